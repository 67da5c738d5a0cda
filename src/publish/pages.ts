/** The Astro pages of one build, rendered from the site model at `modelPath` (see astro-worker.ts). */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { siblingModule } from '../io/sibling-module.ts';
import { astroProjectRoot } from './astro-project.ts';

export interface PagesOptions {
  /** the process is told what to build once this settles too (the output folder's folders in place) */
  after?: Promise<unknown>;
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
  /**
   * Pages kept for later builds (README, "Rebuilds"): Astro keeps what it renders in `folder` and
   * reuses a page whose key (src/site/data.ts) and templates are unchanged. The identity of the
   * code that renders them, part of every key, is handed over with the site models' page keys
   * (the build works it out once this process has started)
   */
  pageCache?: { folder: string };
}

/** The V8 setting the pages' process runs with (the benchmark's bare Astro build runs with it too). */
export const PAGES_NODE_FLAGS = '--single-threaded-gc';

/** Where the pages' process learns that the site model is written: a file made once it all is. */
export const modelReadyPath = (modelPath: string) => `${modelPath}.ready`;

/** The Astro pages of one build, started: `done` settles when they are built; `abandon` stops them. */
export interface PagesBuild {
  /** the pages' process */
  pid: number;
  /** once the pages are built: how many were rendered (the others were reused, see `pageCache`) */
  done: Promise<{ rendered: number }>;
  /** stops the process if it still runs, and settles once it has ended */
  abandon: () => Promise<void>;
}

/**
 * What the pages' process is told once the build knows what to build (astro-worker.ts): Astro's
 * options, and where the model is and when it is written.
 */
export interface PagesConfig {
  root: string;
  outDir: string;
  site: string;
  workDir: string;
  pageCache?: string;
  modelPath: string;
  modelReady: string;
}

/** The pages' process, started before the build knows what to build; `startPages` tells it. */
export interface PagesProcess {
  child: ChildProcess;
  /** once it has loaded enough to listen for what to build */
  listening: Promise<void>;
  /** what it said of its pages' build, once it has */
  outcome: () => { ok: boolean; error?: string; rendered?: number } | undefined;
  /** why it could not be started or reached, if it could not */
  failed: () => Error | undefined;
  ended: Promise<void>;
  /** stops the process if it still runs, and settles once it has ended */
  abandon: () => Promise<void>;
}

/**
 * Starts the pages' process before anything else of the build is loaded (`readback build` does so
 * first): it loads Astro while the build loads its own code, checks its settings and takes the
 * build lock, and builds once `startPages` says what. A build refused before then abandons it.
 */
export function forkPages(): PagesProcess {
  const child = fork(fileURLToPath(siblingModule('astro-worker', import.meta.url)), [], {
    env: {
      ...process.env,
      ASTRO_TELEMETRY_DISABLED: '1',
      // Astro's bundler (rolldown) allocates with mimalloc, which asks the kernel for transparent
      // huge pages: each is zeroed whole (2 MB) when first touched, about a second of system
      // time in a large build for memory it barely uses. Without them its process takes about a
      // sixth less CPU and 95 MB less memory (docs/PERFORMANCE.md); a setting of the user's stands
      MIMALLOC_ALLOW_THP: process.env.MIMALLOC_ALLOW_THP ?? '0',
    },
    // nothing of the parent's flags (a test runner's loaders); Node runs the .ts file itself.
    // Garbage collected on the process's own thread: the pages' process holds every site's
    // model, and V8's helper threads marking that heap again and again beside it took more CPU
    // than the process's own thread saves, on a machine whose cores the build keeps busy (the
    // program of 2,000 tuples: 43 s of CPU to 34 s; docs/PERFORMANCE.md, round seven)
    execArgv: [PAGES_NODE_FLAGS],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // a process that could not be started (no memory, too many processes) says so with an error
  // and never exits: it has ended then too
  let failed: Error | undefined;
  const ended = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      failed ??= error;
      if (child.pid === undefined) resolve();
    });
  });
  let outcome: ReturnType<PagesProcess['outcome']>;
  let listening: () => void;
  const heard = new Promise<void>((resolve) => (listening = resolve));
  // it says it listens, then, once it has built, how that went
  child.on('message', (message: { listening: true } | NonNullable<typeof outcome>) => {
    if ('listening' in message) listening();
    else outcome = message;
  });
  return {
    child,
    listening: heard,
    outcome: () => outcome,
    failed: () => failed,
    ended,
    abandon: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await ended;
    },
  };
}

/**
 * Starts building the pages before the site model is written: Astro compiles the pages meanwhile
 * and waits, when a page first reads the model (src/site/data.ts), until `modelReadyPath` exists.
 * The caller writes that file once every site's model is written. The process is the one given
 * (started earlier by `forkPages`), or one started now.
 */
export function startPages(options: PagesOptions, started: PagesProcess = forkPages()): PagesBuild {
  const { child } = started;
  const config: PagesConfig = {
    root: astroProjectRoot(options.root, options.workDir),
    outDir: options.outDir,
    site: options.site,
    workDir: options.workDir,
    pageCache: options.pageCache?.folder,
    // the pages find the model through the process's environment (src/site/data.ts)
    modelPath: options.modelPath,
    modelReady: modelReadyPath(options.modelPath),
  };
  // told once it listens (a message sent before would be lost); if it has ended, `done` says why
  Promise.all([started.listening, options.after]).then(() => {
    if (child.connected) child.send(config);
  }, noop);
  const done = new Promise<{ rendered: number }>((resolve, reject) => {
    const settle = () => {
      const outcome = started.outcome();
      const failed = started.failed();
      if (outcome?.ok) resolve({ rendered: outcome.rendered ?? 0 });
      else if (failed && !outcome) reject(new Error(`building the pages: ${failed.message}`));
      else if (outcome) reject(new Error(`building the pages: ${outcome.error}`));
      else
        reject(
          new Error(`building the pages: Astro stopped with ${child.signalCode ?? `exit code ${child.exitCode}`}`),
        );
    };
    started.ended.then(settle);
  });
  done.catch(() => {}); // awaited by the caller, or abandoned
  return {
    pid: child.pid ?? 0,
    done,
    abandon: started.abandon,
  };
}

const noop = () => {};
