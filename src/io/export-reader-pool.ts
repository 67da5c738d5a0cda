/**
 * Reads a large export in a worker thread: the two exports of a tuple then stream on both cores
 * at once, and the worker's young generation is sized so the short-lived strings of a big file
 * die young instead of growing the heap (peak memory stays flat with rows). Small exports are
 * read in-process, where starting a thread would cost more than it saves. The result is the same
 * either way: the worker runs the same reader and accumulator and sends back the summary.
 *
 * One `ExportReaders` serves a whole run: a worker thread, once started, reads every large export
 * handed to it, one after the other, and `warm()` starts one before it is needed, so that it loads
 * while this thread reads the dictionaries and manifests (docs/PERFORMANCE.md).
 */
import { statSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { ExportAccumulator, type ExportReadContext, type ExportSummary } from '../core/exports.ts';
import { type ExportReadResult, readExport } from './csv-reader.ts';
import { siblingModule } from './sibling-module.ts';

/** Exports at least this large are read in a worker. */
export const WORKER_THRESHOLD_BYTES = 8 << 20;

export interface ExportReadOutcome {
  read: ExportReadResult;
  summary: ExportSummary;
}

/** What the main thread asks of a worker, and what it answers. */
export interface ExportJob {
  path: string;
  file: string;
  context: ExportReadContext;
}
export type ExportAnswer = ExportReadOutcome | { error: string };

export class ExportReaders {
  /** the module each worker thread runs */
  readonly #module: URL;
  /** started workers not reading now (each unreferenced: an idle one never keeps the process alive) */
  readonly #idle: Promise<Worker>[] = [];
  readonly #started: Promise<Worker>[] = [];
  /** workers that failed or ended: never handed a read */
  readonly #dead = new WeakSet<Worker>();

  /** `module`: what each worker thread runs (tests give another) */
  constructor(module: URL = siblingModule('export-worker', import.meta.url)) {
    this.#module = module;
  }

  /** How many worker threads this has started. */
  get threadsStarted(): number {
    return this.#started.length;
  }

  /** Starts a worker thread now, unless one is idle: the next `read` in a worker then finds it loaded. */
  warm(): void {
    if (this.#idle.length === 0) this.#idle.push(this.#start());
  }

  /** Reads `path` (shown as `file`) in a worker thread, or in this one when it is small (or `worker: false`). */
  async read(
    path: string,
    file: string,
    context: ExportReadContext,
    options: { worker?: boolean } = {},
  ): Promise<ExportReadOutcome> {
    const small = statSync(path).size < WORKER_THRESHOLD_BYTES;
    if (!(options.worker ?? !small)) {
      const accumulator = new ExportAccumulator(context);
      // a small file is read at once, not behind whatever this process has queued for libuv's threads
      const read = await readExport(path, file, accumulator, { synchronous: small });
      return { read, summary: accumulator.finish(read.problems.length > 0) };
    }
    const [starting, worker] = await this.#take();
    worker.ref();
    let failed = false;
    try {
      return await new Promise<ExportReadOutcome>((resolve, reject) => {
        const settled = () => {
          worker.off('message', answer);
          worker.off('error', fail);
          worker.off('exit', ended);
        };
        const fail = (error: Error) => {
          failed = true;
          settled();
          reject(error);
        };
        const ended = (code: number) => fail(new Error(`the export's reader thread stopped (exit code ${code})`));
        const answer = (message: ExportAnswer) => {
          settled();
          if ('error' in message) reject(new Error(message.error));
          else resolve(message);
        };
        worker.on('message', answer);
        worker.on('error', fail);
        worker.on('exit', ended);
        worker.postMessage({ path, file, context } satisfies ExportJob);
      });
    } finally {
      // a worker that failed is done with; one that answered reads the next export
      if (failed) await worker.terminate();
      else {
        worker.unref();
        this.#idle.push(starting);
      }
    }
  }

  /** Stops every worker this started. */
  async close(): Promise<void> {
    const started = this.#started.splice(0);
    this.#idle.length = 0;
    // one that never started has nothing to stop (its read reported why)
    await Promise.all(started.map((starting) => starting.then((worker) => worker.terminate()).catch(() => {})));
  }

  /** An idle worker that is still alive (one warmed that failed to start is passed over), else a new one. */
  async #take(): Promise<[Promise<Worker>, Worker]> {
    for (let starting = this.#idle.pop(); starting; starting = this.#idle.pop()) {
      const worker = await starting.catch(() => null);
      if (worker && !this.#dead.has(worker)) return [starting, worker];
    }
    const starting = this.#start();
    return [starting, await starting];
  }

  #start(): Promise<Worker> {
    // loaded only when a worker starts: most runs read small exports and never need it
    const starting = import('node:worker_threads').then(({ Worker }) => {
      const worker = new Worker(this.#module, { resourceLimits: { maxYoungGenerationSizeMb: 24 } });
      // a worker that fails or ends while idle (one warmed ahead that cannot load, say) is only
      // noted: the read that would have used it starts another, which reports why
      worker.on('error', () => this.#dead.add(worker));
      worker.on('exit', () => this.#dead.add(worker));
      worker.unref();
      return worker;
    });
    starting.catch(() => {}); // a thread that cannot be made fails the read that awaits it
    this.#started.push(starting);
    return starting;
  }
}
