/** The Astro pages of one build, rendered from the site model at `modelPath` (see astro-worker.ts). */
import { Worker } from 'node:worker_threads';

export interface PagesOptions {
  /** Readback's own Astro project: src/pages and astro.config.mjs */
  root: string;
  outDir: string;
  site: string;
  modelPath: string;
}

export function buildPages(options: PagesOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./astro-worker.ts', import.meta.url), {
      workerData: { root: options.root, outDir: options.outDir, site: options.site },
      // the pages find the model through the worker's own environment (src/site/data.ts)
      env: { ...process.env, READBACK_SITE_MODEL: options.modelPath, ASTRO_TELEMETRY_DISABLED: '1' },
    });
    let settled = false;
    worker.once('message', (message: { ok: boolean; error?: string }) => {
      settled = true;
      if (message.ok) resolve();
      else reject(new Error(`building the pages: ${message.error}`));
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`building the pages: the worker stopped with exit code ${code}`));
    });
  });
}
