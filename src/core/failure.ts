/** SPEC §6: the failure artifact and owner tickets a red tuple leaves behind. Pure text. */
import { formatProblem, PROBLEMS, type Problem } from './problems.ts';
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
    ...provenanceAndReplay(entry, replayCommand),
  ];
  const others = entry.problems.filter((p) => p.metric_id !== metric.metric_id);
  if (others.length > 0) {
    lines.push('Other problems in this tuple:', '');
    for (const p of others) lines.push(`- ${formatProblem(p)}`);
    lines.push('');
  }
  return lines.join('\n');
}

function provenanceAndReplay(entry: TupleReport, replayCommand: string): string[] {
  return [
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
}

/**
 * The tuple's own ticket: `<tuple_id>--_tuple.md` (a metric_id starts with a letter, so `_tuple`
 * names no metric's ticket).
 */
export function tupleTicketFileName(tupleId: string): string {
  return `${tupleId}--_tuple.md`;
}

/** Red problems no metric owns (window, run and bypass parity): they go to the tuple's owner. */
export function tupleOwnedProblems(entry: TupleReport): Problem[] {
  return entry.problems.filter((p) => PROBLEMS[p.code].severity === 'red' && p.metric_id === undefined);
}

/**
 * SPEC §4: the ticket for a tuple's red problems that belong to no metric, addressed to the
 * tuple's `owner`; without one it says that it addresses nobody and where to name someone.
 */
export function tupleTicket(
  entry: TupleReport,
  problems: readonly Problem[],
  owner: string | null,
  tupleFile: string,
  replayCommand: string,
): string {
  return [
    `# Reconcile failed: tuple ${entry.tuple_id}`,
    '',
    owner
      ? `To: ${owner}`
      : `To: nobody — ${tupleFile} has no \`owner\`, so this ticket is addressed to no one. Name who answers for this tuple there, e.g. \`owner: "team:partner-ops <ops@example.com>"\`.`,
    '',
    `The leadership and partner exports of tuple \`${entry.tuple_id}\` disagree in a way that belongs to no single metric (their windows, runs or bypass audit ids), so Readback refused to publish this tuple.`,
    '',
    ...problems.map((p) => `- ${formatProblem(p)}`),
    '',
    ...provenanceAndReplay(entry, replayCommand),
  ].join('\n');
}
