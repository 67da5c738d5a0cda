/** A worker thread that reads one export (see readExportInWorker in export-reader-pool.ts). */
import { parentPort } from 'node:worker_threads';
import { ExportAccumulator, type ExportReadContext } from '../core/exports.ts';
import { readExport } from './csv-reader.ts';
import type { ExportReadOutcome } from './export-reader-pool.ts';

parentPort!.once('message', async (job: { path: string; file: string; context: ExportReadContext }) => {
  try {
    const accumulator = new ExportAccumulator(job.context);
    const read = await readExport(job.path, job.file, accumulator);
    parentPort!.postMessage({
      read,
      summary: accumulator.finish(read.problems.length > 0),
    } satisfies ExportReadOutcome);
  } catch (error) {
    parentPort!.postMessage({ error: String((error as Error).stack ?? error) });
  }
});
