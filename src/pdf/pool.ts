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
  /**
   * a core that frees up later (the pages' process ending): once `when` settles, `threads` more
   * worker threads take the one-pagers still waiting, if there are enough to pay for starting them
   */
  later?: { threads: number; when: Promise<unknown> },
): Promise<void> {
  const done = (job: Job, results: readonly { pdf: Uint8Array; reading: PdfReading; drawn: boolean }[]) =>
    [job, ...((job.copies ?? []) as Job[])].forEach((each, i) =>
      onDone(each, results[i]!.pdf, results[i]!.reading, results[i]!.drawn),
    );
  // one queue for every thread: each takes the next job when it is free (the order of the results
  // does not matter: each render is a pure function of its job)
  let next = 0;
  let failed = false;
  const take = () => (failed || next >= jobs.length ? -1 : next++);
  const inThisThread = async () => {
    for (;;) {
      // each one-pager lets this thread's events in first: drawing and reading one may settle in
      // promises alone, and the events waiting (the pages' process ending, a worker's answer)
      // would otherwise wait until every one-pager of this thread is done
      await new Promise((resolve) => setImmediate(resolve));
      const id = take();
      if (id === -1) return;
      const job = jobs[id]!;
      try {
        done(job, await renderAndReadWithCopies(job, job.copies ?? [], size));
      } catch (error) {
        if (!(error instanceof OnePagerOverflowError)) throw error;
        onOverflow(error);
      }
    }
  };
  const pool: Worker[] = [];
  const inWorker = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(siblingModule('worker', import.meta.url));
      pool.push(worker);
      const send = () => {
        const id = take();
        if (id === -1) {
          resolve();
          return;
        }
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
      // a worker that stops before the queue is empty (no answer will come): settled, never awaited forever
      worker.on('exit', (code) => reject(new Error(`a one-pager worker stopped (exit code ${code})`)));
      send();
    });
  const workers = Math.min(threads, Math.ceil(jobs.length / 2));
  const runs =
    jobs.length < POOL_THRESHOLD || workers < 2 ? [inThisThread()] : Array.from({ length: workers }, () => inWorker());
  if (later)
    runs.push(
      later.when.then(() =>
        jobs.length - next >= POOL_THRESHOLD
          ? Promise.all(Array.from({ length: later.threads }, () => inWorker())).then(() => {})
          : undefined,
      ),
    );
  try {
    await Promise.all(runs);
  } catch (error) {
    failed = true; // the other threads stop taking jobs
    throw error;
  } finally {
    await Promise.all(runs.map((run) => run.catch(() => {})));
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
