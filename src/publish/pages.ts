/** The Astro pages of one build, rendered from the site model at `modelPath` (see astro-worker.ts). */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { siblingModule } from '../io/sibling-module.ts';
import { astroProjectRoot } from './astro-project.ts';

export interface PagesOptions {
  /** Readback's own Astro project: src/pages and astro.config.mjs */
  root: string;
  outDir: string;
  site: string;
  modelPath: string;
  /**
   * Astro's working folder for this build alone: its compiled pages land in `<workDir>/.astro/`.
   * Inside `root`, so those chunks find the project's dependencies, or, when the package cannot be
   * written, elsewhere with a copy of the project (astro-project.ts); never inside `outDir`, so
   * nothing of them can be published.
   */
  workDir: string;
}

export function buildPages(options: PagesOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = fork(
      fileURLToPath(siblingModule('astro-worker', import.meta.url)),
      [
        JSON.stringify({
          root: astroProjectRoot(options.root, options.workDir),
          outDir: options.outDir,
          site: options.site,
          workDir: options.workDir,
        }),
      ],
      {
        cwd: options.workDir,
        // the pages find the model through the child's own environment (src/site/data.ts)
        env: { ...process.env, READBACK_SITE_MODEL: options.modelPath, ASTRO_TELEMETRY_DISABLED: '1' },
        // nothing of the parent's flags (a test runner's loaders); Node runs the .ts file itself
        execArgv: [],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    let outcome: { ok: boolean; error?: string } | undefined;
    child.once('message', (message: { ok: boolean; error?: string }) => (outcome = message));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (outcome?.ok) resolve();
      else if (outcome) reject(new Error(`building the pages: ${outcome.error}`));
      else reject(new Error(`building the pages: Astro stopped with ${signal ?? `exit code ${code}`}`));
    });
  });
}
