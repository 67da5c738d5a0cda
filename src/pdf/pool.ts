/**
 * Renders many one-pagers across the machine's cores with worker threads. Output does not depend
 * on which worker renders which tuple: every render is a pure function of its tuple.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { TuplePage } from '../core/site-model.ts';
import type { PageSize } from './one-pager.ts';
import { renderOnePager } from './render.ts';

/** Below this many PDFs, starting workers costs more than it saves. */
const POOL_THRESHOLD = 6;

export async function renderOnePagers(
  tuples: readonly TuplePage[],
  siteUrl: string,
  size: PageSize,
  onDone: (tuple: TuplePage, pdf: Uint8Array) => void,
): Promise<void> {
  const workers = Math.min(availableParallelism(), Math.ceil(tuples.length / 2));
  if (tuples.length < POOL_THRESHOLD || workers < 2) {
    for (const tuple of tuples) onDone(tuple, await renderOnePager(tuple, siteUrl, size));
    return;
  }
  let next = 0;
  const run = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      const send = () => {
        if (next >= tuples.length) {
          resolve();
          return;
        }
        const id = next++;
        worker.postMessage({ id, tuple: tuples[id], siteUrl, size });
      };
      worker.on('message', (message: { id: number; pdf?: Uint8Array; error?: string }) => {
        if (message.error) return reject(new Error(`rendering ${tuples[message.id]!.tuple_id}: ${message.error}`));
        onDone(tuples[message.id]!, message.pdf!);
        send();
      });
      worker.on('error', reject);
      send();
    });
  const pool = Array.from({ length: workers }, () => new Worker(new URL('./worker.ts', import.meta.url)));
  try {
    await Promise.all(pool.map(run));
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
