/** The reconcile report as people read it on a terminal. The report itself is the machine interface. */
import { windowPasses } from './failure.ts';
import { formatProblem } from './problems.ts';
import type { ReconcileReport } from './schemas.ts';
import { shortHash } from './hash.ts';

const MARK = { green: 'ok  ', red: 'RED ', invalid: 'BAD ' } as const;

export function reconcileSummary(report: ReconcileReport): string {
  const lines: string[] = [];
  for (const p of report.problems) lines.push(formatProblem(p));
  const width = Math.max(8, ...report.tuples.map((t) => t.tuple_id.length));
  for (const tuple of report.tuples) {
    const hash = tuple.tuple_revision_hash ? `sha256:${shortHash(tuple.tuple_revision_hash)}` : 'no hash';
    const passed = tuple.metrics.filter((m) => m.status === 'pass').length;
    const detail =
      tuple.status === 'green'
        ? `${passed} metrics within epsilon`
        : tuple.problems.length === 0
          ? 'not reconciled: its dictionary is unreadable (see above)'
          : `${tuple.problems.length} problem${tuple.problems.length === 1 ? '' : 's'}`;
    lines.push(`${MARK[tuple.status]}${tuple.tuple_id.padEnd(width)}  ${tuple.status.padEnd(7)}  ${hash}  ${detail}`);
    for (const metric of tuple.metrics.filter((m) => m.status === 'fail')) {
      const periods = (metric.periods ?? []).filter((p) => p.status === 'fail').length;
      const inPeriods = periods > 0 ? `; ${periods} period${periods === 1 ? '' : 's'} apart by more than epsilon` : '';
      const window = windowPasses(metric)
        ? `leadership ${metric.leadership}, partner ${metric.partner} over the window (within epsilon ${metric.epsilon})`
        : `leadership ${metric.leadership}, partner ${metric.partner}, delta ${metric.delta} > epsilon ${metric.epsilon}`;
      lines.push(`      ${metric.metric_id}: ${window}${inPeriods}  (owner ${metric.owner})`);
    }
    for (const p of tuple.problems.filter((p) => p.code !== 'VARIANCE_EXCEEDED')) {
      lines.push(`      ${formatProblem(p)}`);
    }
  }
  const counts = { green: 0, red: 0, invalid: 0 };
  for (const tuple of report.tuples) counts[tuple.status]++;
  lines.push(
    `${report.tuples.length} tuple${report.tuples.length === 1 ? '' : 's'}: ${counts.green} green, ${counts.red} red, ${counts.invalid} invalid (dictionary ${report.dictionary_version ?? 'unreadable'})`,
  );
  return lines.join('\n');
}
