/** Child process for the benchmark: one reconcile, then its wall time and peak RSS as JSON. */
import { reconcileWorkspace } from '../../src/io/reconcile-workspace.ts';
import { peakRssMb } from './peak-rss.ts';

// --one-thread: both exports read on the main thread, one after the other (DuckDB's setting in the bench)
const oneThread = process.argv[2] === '--one-thread';
const started = performance.now();
const report = await reconcileWorkspace({
  root: process.argv[oneThread ? 3 : 2]!,
  workers: oneThread ? false : undefined,
});
const ms = performance.now() - started;
const metrics = Object.fromEntries((report.tuples[0]?.metrics ?? []).map((m) => [m.metric_id, m.partner]));
process.stdout.write(`${JSON.stringify({ ms, maxRssMb: peakRssMb(), status: report.status, metrics })}\n`);
