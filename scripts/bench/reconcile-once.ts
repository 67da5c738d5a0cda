/** Child process for the benchmark: one reconcile, then its wall time and peak RSS as JSON. */
import { reconcileWorkspace } from '../../src/io/reconcile-workspace.ts';
import { peakRssMb } from './peak-rss.ts';

const started = performance.now();
const report = await reconcileWorkspace({ root: process.argv[2]! });
const ms = performance.now() - started;
const metrics = Object.fromEntries((report.tuples[0]?.metrics ?? []).map((m) => [m.metric_id, m.partner]));
process.stdout.write(`${JSON.stringify({ ms, maxRssMb: peakRssMb(), status: report.status, metrics })}\n`);
