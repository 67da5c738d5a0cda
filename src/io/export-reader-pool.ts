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
  /** started workers not reading now (each unreferenced: an idle one never keeps the process alive) */
  readonly #idle: Promise<Worker>[] = [];
  readonly #started: Promise<Worker>[] = [];

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
    const starting = this.#idle.pop() ?? this.#start();
    const worker = await starting;
    worker.ref();
    let failed = false;
    try {
      return await new Promise<ExportReadOutcome>((resolve, reject) => {
        const fail = (error: Error) => {
          failed = true;
          worker.off('message', answer);
          reject(error);
        };
        const answer = (message: ExportAnswer) => {
          worker.off('error', fail);
          if ('error' in message) reject(new Error(message.error));
          else resolve(message);
        };
        worker.once('message', answer);
        worker.once('error', fail);
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

  #start(): Promise<Worker> {
    // loaded only when a worker starts: most runs read small exports and never need it
    const starting = import('node:worker_threads').then(({ Worker }) => {
      const worker = new Worker(siblingModule('export-worker', import.meta.url), {
        resourceLimits: { maxYoungGenerationSizeMb: 24 },
      });
      worker.unref();
      return worker;
    });
    this.#started.push(starting);
    return starting;
  }
}
