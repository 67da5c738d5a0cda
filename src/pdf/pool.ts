/**
 * Renders many one-pagers across the machine's cores with worker threads. Output does not depend
 * on which worker renders which tuple: every render is a pure function of its tuple.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { TuplePage } from '../core/site-model.ts';
import { siblingModule } from '../io/sibling-module.ts';
import type { PageSize } from './one-pager.ts';
import type { PdfReading } from './readings.ts';
import { OnePagerOverflowError, renderAndReadWithCopies } from './render.ts';

interface WorkerReply {
  id: number;
  /** the job's one-pager, then its copies' */
  results?: { pdf: Uint8Array; reading: PdfReading; drawn: boolean }[];
  overflow?: { pages: number; message: string };
  error?: string;
}

/**
 * One one-pager to render: a tuple, with links built on the base URL of the site it is published
 * in; and its copies, the same page in other sites, whose links alone differ (src/pdf/render.ts).
 */
export interface OnePagerJob {
  tuple: TuplePage;
  siteUrl: string;
  copies?: readonly OnePagerJob[];
}

/** Below this many PDFs, starting workers costs more than it saves. */
const POOL_THRESHOLD = 6;

export async function renderOnePagers<Job extends OnePagerJob>(
  jobs: readonly Job[],
  size: PageSize,
  /**
   * a rendered PDF (a job's, then each of its copies'), with its links and text as pdfjs-dist
   * reads them from these bytes, and whether it was drawn (a copy is usually made from its job's)
   */
  onDone: (job: Job, pdf: Uint8Array, reading: PdfReading, drawn: boolean) => void,
  /** a readback that does not fit one page even in the compact layout: reported, the others still render */
  onOverflow: (overflow: OnePagerOverflowError) => void,
  /**
   * threads to render on: the build's pages render in a process of their own meanwhile, on a core
   * of their own, so the one-pagers take the others (on two cores, this thread alone, which only
   * waits for the pages: another thread would slow the pages more than it speeds the one-pagers)
   */
  threads = availableParallelism() - 1,
): Promise<void> {
  const workers = Math.min(threads, Math.ceil(jobs.length / 2));
  const done = (job: Job, results: readonly { pdf: Uint8Array; reading: PdfReading; drawn: boolean }[]) =>
    [job, ...((job.copies ?? []) as Job[])].forEach((each, i) =>
      onDone(each, results[i]!.pdf, results[i]!.reading, results[i]!.drawn),
    );
  if (jobs.length < POOL_THRESHOLD || workers < 2) {
    for (const job of jobs) {
      try {
        done(job, await renderAndReadWithCopies(job, job.copies ?? [], size));
      } catch (error) {
        if (!(error instanceof OnePagerOverflowError)) throw error;
        onOverflow(error);
      }
    }
    return;
  }
  let next = 0;
  const run = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      const send = () => {
        if (next >= jobs.length) {
          resolve();
          return;
        }
        const id = next++;
        const { tuple, siteUrl, copies = [] } = jobs[id]!;
        worker.postMessage({
          id,
          tuple,
          siteUrl,
          copies: copies.map((c) => ({ tuple: c.tuple, siteUrl: c.siteUrl })),
          size,
        });
      };
      worker.on('message', (message: WorkerReply) => {
        const job = jobs[message.id]!;
        if (message.error) return reject(new Error(`rendering ${job.tuple.tuple_id}: ${message.error}`));
        if (message.overflow)
          onOverflow(new OnePagerOverflowError(job.tuple.tuple_id, message.overflow.pages, message.overflow.message));
        else done(job, message.results!);
        send();
      });
      worker.on('error', reject);
      send();
    });
  const pool = Array.from({ length: workers }, () => new Worker(siblingModule('worker', import.meta.url)));
  try {
    await Promise.all(pool.map(run));
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
