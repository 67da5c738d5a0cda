/** A worker thread that reads exports, one after the other, as the main thread hands them over (export-reader-pool.ts). */
import { parentPort } from 'node:worker_threads';
import { ExportAccumulator } from '../core/exports.ts';
import { readExport } from './csv-reader.ts';
import type { ExportAnswer, ExportJob } from './export-reader-pool.ts';

parentPort!.on('message', async (job: ExportJob) => {
  let answer: ExportAnswer;
  try {
    const accumulator = new ExportAccumulator(job.context);
    const read = await readExport(job.path, job.file, accumulator);
    answer = { read, summary: accumulator.finish(read.problems.length > 0) };
  } catch (error) {
    answer = { error: String((error as Error).stack ?? error) };
  }
  parentPort!.postMessage(answer);
});
