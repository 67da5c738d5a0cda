/**
 * Builds the site's pages with Astro in a child process of its own (src/publish/pages.ts). A
 * process, not a worker thread: Astro puts its compiled pages under the process's working folder
 * when the output folder is outside it (its `getOutDirWithinCwd`), so each build runs in a working
 * folder of its own, and a fresh process also gives every build a fresh module graph.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PagesConfig } from './pages.ts';

// a build that stops (killed) takes its page build with it, and the working folder made for it
let workDir: string | undefined;
const abandoned = () => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  process.exit(1);
};
process.once('disconnect', abandoned);
// what to build, once the build knows (pages.ts startPages); Astro loads meanwhile
const told = new Promise<PagesConfig>((resolve) => process.once('message', resolve));
process.send!({ listening: true });
const loading = Promise.all([import('astro'), import('./astro-page-links.ts')]);
loading.catch(() => {}); // awaited below, once told
const { root, outDir, site, pageCache, modelPath, modelReady, ...config } = await told;
workDir = config.workDir;

let outcome: { ok: boolean; error?: string; rendered?: number };
try {
  // Astro puts its compiled pages under the working folder (see above): this build's own. (What
  // Astro's modules noted of the folder as they loaded is the one the process started in: esbuild
  // notes it, and Astro gives esbuild its folder wherever it matters)
  process.chdir(workDir);
  // the pages find the model through the environment (src/site/data.ts)
  process.env.READBACK_SITE_MODEL = modelPath;
  process.env.READBACK_SITE_MODEL_READY = modelReady;
  const [{ build }, { linkKeptPages }] = await loading;
  // the pages Astro keeps for later builds are hard links, not copies (astro-page-links.ts)
  if (pageCache) await linkKeptPages();
  // Astro's and Vite's caches (default: under the project's node_modules/) stay in this build's
  // own working folder too: the installed package is never written to by them, and builds share none
  const cacheDir = join(workDir, 'cache');
  await build(
    {
      root,
      outDir,
      site,
      logLevel: 'warn',
      // with page reuse, Astro's cache (the pages it rendered, by key) is the one the parent keeps
      cacheDir: pageCache ?? cacheDir,
      experimental: { incrementalBuild: pageCache !== undefined },
      // the staging folder is this build's own and starts empty: the build writes the downloads and
      // the one-pagers into it while the pages are rendered, so Astro must not empty it first
      vite: { cacheDir: join(cacheDir, 'vite'), build: { emptyOutDir: false } },
    },
    // Astro's sync (content collections and their types, through a Vite server of its own, about
    // 0.2 s a build) is left out: the pages use no content collection and no generated type.
    // `sync` is an option of Astro's builder that its build() hands on, not in build()'s type
    { sync: false } as Parameters<typeof build>[1],
  );
  // the pages rendered, counted by their layout (src/site/data.ts); the others were reused
  outcome = { ok: true, rendered: (globalThis as { readbackPagesRendered?: number }).readbackPagesRendered ?? 0 };
} catch (error) {
  outcome = { ok: false, error: String((error as Error).stack ?? error) };
}
// exit once the parent has the outcome, whatever handles Astro left open
if (!process.connected) abandoned();
process.send!(outcome, (error: Error | null) => (error ? abandoned() : process.exit(0)));
