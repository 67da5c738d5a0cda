/** Child process for the benchmark: one reconcile, then its wall time and peak RSS as JSON. */
import { reconcileWorkspace } from '../../src/io/reconcile-workspace.ts';
import { peakRssMb } from './peak-rss.ts';

// --one-thread: both exports read on the main thread, one after the other (DuckDB's setting in the bench)
const oneThread = process.argv[2] === '--one-thread';
const started = performance.now();
const cpuStarted = process.cpuUsage();
const report = await reconcileWorkspace({
  root: process.argv[oneThread ? 3 : 2]!,
  workers: oneThread ? false : undefined,
});
const ms = performance.now() - started;
// every thread of the process (the reader threads too), from the start of the reconcile
const cpu = process.cpuUsage(cpuStarted);
const metrics = Object.fromEntries((report.tuples[0]?.metrics ?? []).map((m) => [m.metric_id, m.partner]));
// each metric's partner value per period, for the bench to compare with DuckDB's
const periods = Object.fromEntries(
  (report.tuples[0]?.metrics ?? []).map((m) => [
    m.metric_id,
    (m.periods ?? []).map((p) => [p.period_start, p.partner]),
  ]),
);
const hashes = [report.tuples[0]?.exports?.leadership?.sha256, report.tuples[0]?.exports?.partner?.sha256];
process.stdout.write(
  `${JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMb: peakRssMb(), status: report.status, metrics, periods, hashes })}\n`,
);
