/**
 * Reads a large export in a worker thread: the two exports of a tuple then stream on both cores
 * at once, and the worker's young generation is sized so the short-lived strings of a big file
 * die young instead of growing the heap (peak memory stays flat with rows). Small exports are
 * read in-process, where starting a thread would cost more than it saves. The result is the same
 * either way: the worker runs the same reader and accumulator and sends back the summary.
 */
import { statSync } from 'node:fs';
import { ExportAccumulator, type ExportReadContext, type ExportSummary } from '../core/exports.ts';
import { type ExportReadResult, readExport } from './csv-reader.ts';
import { siblingModule } from './sibling-module.ts';

/** Exports at least this large are read in a worker. */
export const WORKER_THRESHOLD_BYTES = 8 << 20;

export interface ExportReadOutcome {
  read: ExportReadResult;
  summary: ExportSummary;
}

export async function readExportAnywhere(
  path: string,
  file: string,
  context: ExportReadContext,
  options: { worker?: boolean } = {},
): Promise<ExportReadOutcome> {
  const useWorker = options.worker ?? statSync(path).size >= WORKER_THRESHOLD_BYTES;
  if (!useWorker) {
    const accumulator = new ExportAccumulator(context);
    const read = await readExport(path, file, accumulator);
    return { read, summary: accumulator.finish(read.problems.length > 0) };
  }
  // loaded only when a worker starts: most runs read small exports and never need it
  const { Worker } = await import('node:worker_threads');
  const worker = new Worker(siblingModule('export-worker', import.meta.url), {
    resourceLimits: { maxYoungGenerationSizeMb: 24 },
  });
  try {
    return await new Promise<ExportReadOutcome>((resolve, reject) => {
      worker.once('message', (message: ExportReadOutcome & { error?: string }) =>
        message.error ? reject(new Error(message.error)) : resolve(message),
      );
      worker.once('error', reject);
      worker.postMessage({ path, file, context });
    });
  } finally {
    await worker.terminate();
  }
}
