/** A worker thread that renders one-pagers for the build's pool (src/pdf/pool.ts). */
import { parentPort } from 'node:worker_threads';
import type { TuplePage } from '../core/site-model.ts';
import type { PageSize } from './one-pager.ts';
import { OnePagerOverflowError, renderAndReadOnePager } from './render.ts';

parentPort!.on('message', async (job: { id: number; tuple: TuplePage; siteUrl: string; size: PageSize }) => {
  try {
    // read back here too (links and text), so the build's thread never parses the PDF again
    const rendered = await renderAndReadOnePager(job.tuple, job.siteUrl, job.size);
    // a Buffer may share a pooled ArrayBuffer, which cannot be transferred: hand over a copy
    const pdf = new Uint8Array(rendered.pdf);
    parentPort!.postMessage({ id: job.id, pdf, reading: rendered.reading }, [pdf.buffer]);
  } catch (error) {
    if (error instanceof OnePagerOverflowError)
      parentPort!.postMessage({ id: job.id, overflow: { pages: error.pages, message: error.message } });
    else parentPort!.postMessage({ id: job.id, error: String((error as Error).stack ?? error) });
  }
});
