/**
 * Builds the site's pages with Astro in a worker thread of its own (src/publish/pages.ts): every
 * build gets a fresh module graph, because Astro imports its compiled pages from the same folder
 * on every build and a process's module cache would otherwise serve the previous build's pages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { build } from 'astro';

const { root, outDir, site } = workerData as { root: string; outDir: string; site: string };
try {
  await build({ root, outDir, site, logLevel: 'warn' });
  parentPort!.postMessage({ ok: true });
} catch (error) {
  parentPort!.postMessage({ ok: false, error: String((error as Error).stack ?? error) });
}
