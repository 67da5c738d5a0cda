/** A worker thread that renders one-pagers for the build's pool (src/pdf/pool.ts). */
import { parentPort } from 'node:worker_threads';
import type { PageSize } from './one-pager.ts';
import { OnePagerOverflowError, renderAndReadWithCopies, type OnePagerDraft } from './render.ts';

type Job = OnePagerDraft & { id: number; size: PageSize; copies: OnePagerDraft[] };

parentPort!.on('message', async (job: Job) => {
  try {
    // read back here too (links and text), so the build's thread never parses the PDF again
    const rendered = await renderAndReadWithCopies(job, job.copies, job.size);
    // a Buffer may share a pooled ArrayBuffer, which cannot be transferred: hand over copies
    const results = rendered.map(({ pdf, reading, drawn }) => ({ pdf: new Uint8Array(pdf), reading, drawn }));
    parentPort!.postMessage(
      { id: job.id, results },
      results.map((r) => r.pdf.buffer),
    );
  } catch (error) {
    if (error instanceof OnePagerOverflowError)
      parentPort!.postMessage({ id: job.id, overflow: { pages: error.pages, message: error.message } });
    else parentPort!.postMessage({ id: job.id, error: String((error as Error).stack ?? error) });
  }
});
