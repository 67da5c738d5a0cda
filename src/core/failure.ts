/** SPEC §6: the failure artifact and owner tickets a red tuple leaves behind. Pure text. */
import { formatProblem } from './problems.ts';
import type { MetricResult, TupleReport } from './schemas.ts';

export const FAILURE_SCHEMA = 'readback.reconcile-failure/1';

export function failureArtifact(entry: TupleReport, replayCommand: string) {
  return {
    schema: FAILURE_SCHEMA,
    tuple_id: entry.tuple_id,
    status: entry.status,
    tuple_revision_hash: entry.tuple_revision_hash,
    artifact_id: entry.artifact_id,
    dictionary_version: entry.dictionary_version,
    window: entry.window,
    failing_metrics: entry.metrics.filter((m) => m.status === 'fail'),
    problems: entry.problems,
    replay: replayCommand,
  };
}

export function ticketFileName(tupleId: string, metricId: string): string {
  return `${tupleId}--${metricId}.md`;
}

export function ownerTicket(entry: TupleReport, metric: MetricResult, replayCommand: string): string {
  const lines = [
    `# Reconcile failed: ${metric.metric_id} in ${entry.tuple_id}`,
    '',
    `To: ${metric.owner}`,
    '',
    `The leadership and partner exports of tuple \`${entry.tuple_id}\` disagree on \`${metric.metric_id}\` (${metric.label}) by more than its epsilon, so Readback refused to publish this tuple.`,
    '',
    '| | value |',
    '|---|---|',
    `| leadership | ${metric.leadership} |`,
    `| partner | ${metric.partner} |`,
    `| delta | ${metric.delta} |`,
    `| epsilon | ${metric.epsilon} |`,
    `| unit | ${metric.unit} |`,
    '',
    `- Window (UTC): ${entry.window ? `${entry.window.start_inclusive} to ${entry.window.end_exclusive} (end exclusive)` : 'unknown'}`,
    `- Dictionary version: ${entry.dictionary_version ?? 'unknown'}`,
    `- Tuple revision hash: \`${entry.tuple_revision_hash ?? 'not computed'}\``,
    `- Artifact id: \`${entry.artifact_id}\``,
    '',
    'Replay it:',
    '',
    '```sh',
    replayCommand,
    '```',
    '',
  ];
  const others = entry.problems.filter((p) => p.metric_id !== metric.metric_id);
  if (others.length > 0) {
    lines.push('Other problems in this tuple:', '');
    for (const p of others) lines.push(`- ${formatProblem(p)}`);
    lines.push('');
  }
  return lines.join('\n');
}
