/** Human-readable summaries for the terminal. The report itself is the machine interface. */
import { formatProblem } from '../core/problems.ts';
import type { ReconcileReport } from '../core/schemas.ts';
import { shortHash } from '../core/hash.ts';

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
        : `${tuple.problems.length} problem${tuple.problems.length === 1 ? '' : 's'}`;
    lines.push(`${MARK[tuple.status]}${tuple.tuple_id.padEnd(width)}  ${tuple.status.padEnd(7)}  ${hash}  ${detail}`);
    for (const metric of tuple.metrics.filter((m) => m.status === 'fail')) {
      lines.push(
        `      ${metric.metric_id}: leadership ${metric.leadership}, partner ${metric.partner}, delta ${metric.delta} > epsilon ${metric.epsilon}  (owner ${metric.owner})`,
      );
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

/** Prints "n/total" on a terminal once a run has taken more than a moment. */
export function progressReporter(stream: NodeJS.WriteStream, label: string, clock: () => number = Date.now) {
  const started = clock();
  let shown = false;
  let lastPrint = 0;
  return {
    update(done: number, total: number, item: string) {
      const now = clock();
      if (now - started < 1000) return;
      if (stream.isTTY) {
        stream.write(`\r${label} ${done}/${total} ${item}`.padEnd(60).slice(0, 100));
        shown = true;
      } else if (now - lastPrint >= 5000) {
        stream.write(`${label} ${done}/${total} ${item}\n`);
        lastPrint = now;
      }
    },
    done() {
      if (shown) stream.write('\r'.padEnd(61) + '\r');
    },
  };
}
