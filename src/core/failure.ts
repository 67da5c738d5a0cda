/** docs/reference/cli.md: the failure artifact and owner tickets a red tuple leaves behind. Pure text. */
import { absDecimal, compareDecimal, type Decimal, parseDecimal } from './decimal.ts';
import { formatProblem, PROBLEMS, type Problem } from './problems.ts';
import { z } from 'zod';
import {
  BypassPairSchema,
  type MetricResult,
  MetricResultSchema,
  type PeriodValue,
  type TupleReport,
  TupleReportSchema,
} from './schemas.ts';

export const FAILURE_SCHEMA = 'readback.reconcile-failure/1';

/** A period where a failing metric's exports part, for its owner. */
export const PeriodDriftSchema = z.object({
  period_start: z.string(),
  leadership: z.string().nullable(),
  partner: z.string().nullable(),
  delta: z.string().nullable(),
  /** the (bypass, freeze) pairs either export carries in this period */
  bypasses: z.array(BypassPairSchema),
});
export type PeriodDrift = z.infer<typeof PeriodDriftSchema>;

/** `.readback/reconcile/failures/<tuple_id>.json`: what a red or invalid tuple leaves for its owners. */
export const FailureArtifactSchema = z.object({
  schema: z.literal(FAILURE_SCHEMA),
  tuple_id: TupleReportSchema.shape.tuple_id,
  status: TupleReportSchema.shape.status,
  tuple_revision_hash: TupleReportSchema.shape.tuple_revision_hash,
  artifact_id: TupleReportSchema.shape.artifact_id,
  dictionary_version: TupleReportSchema.shape.dictionary_version,
  window: TupleReportSchema.shape.window,
  /** each failing metric's result (without its whole per-period series) and the periods where it drifts most */
  failing_metrics: z.array(
    MetricResultSchema.omit({ periods: true }).extend({ largest_period_deltas: z.array(PeriodDriftSchema) }),
  ),
  problems: TupleReportSchema.shape.problems,
  /** the command that reconciles this tuple again */
  replay: z.string(),
});
export type FailureArtifact = z.infer<typeof FailureArtifactSchema>;

export function failureArtifact(entry: TupleReport, replayCommand: string): FailureArtifact {
  return {
    schema: FAILURE_SCHEMA,
    tuple_id: entry.tuple_id,
    status: entry.status,
    tuple_revision_hash: entry.tuple_revision_hash,
    artifact_id: entry.artifact_id,
    dictionary_version: entry.dictionary_version,
    window: entry.window,
    // the whole per-period series is in the report; here, where the drift is
    failing_metrics: entry.metrics
      .filter((m) => m.status === 'fail')
      .map((metric) => {
        const { periods: _series, ...withoutSeries } = metric;
        return { ...withoutSeries, largest_period_deltas: largestPeriodDeltas(entry, metric) };
      }),
    problems: entry.problems,
    replay: replayCommand,
  };
}

/** How many periods a failure artifact and an owner ticket list to localize a drift. */
export const LARGEST_PERIODS_SHOWN = 5;

/**
 * docs/reference/site.md: the periods of a metric whose delta is largest, largest first (earlier periods first
 * among equals). A period with a value on one side only counts that value as its delta here.
 */
export function largestPeriodDeltas(
  entry: TupleReport,
  metric: MetricResult,
  count = LARGEST_PERIODS_SHOWN,
): PeriodDrift[] {
  const bypassesOf = new Map((entry.periods ?? []).map((period) => [period.period_start, period]));
  const size = (period: PeriodValue): Decimal =>
    absDecimal(parseDecimal(period.delta ?? period.leadership ?? period.partner ?? '0')!);
  return (metric.periods ?? [])
    .map((period) => ({ period, size: size(period) }))
    .filter(({ period, size }) => size.units !== 0n || (period.leadership === null) !== (period.partner === null))
    .sort((x, y) => compareDecimal(y.size, x.size))
    .slice(0, count)
    .map(({ period }) => {
      const pairs = bypassesOf.get(period.period_start);
      const both = [...(pairs?.leadership_bypasses ?? []), ...(pairs?.partner_bypasses ?? [])];
      const unique = new Map(both.map((pair) => [`${pair.bypass_audit_id}\u0000${pair.parent_freeze_id}`, pair]));
      return {
        period_start: period.period_start,
        leadership: period.leadership,
        partner: period.partner,
        delta: period.delta,
        bypasses: [...unique.values()],
      };
    });
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
    `The leadership and partner exports of tuple \`${entry.tuple_id}\` disagree on \`${metric.metric_id}\` (${metric.label}) by more than its epsilon${windowPasses(metric) ? ' in some periods, though their totals over the window agree' : ''}, so Readback refused to publish this tuple.`,
    '',
    '| | value |',
    '|---|---|',
    `| leadership | ${metric.leadership} |`,
    `| partner | ${metric.partner} |`,
    `| delta | ${metric.delta} |`,
    `| epsilon | ${metric.epsilon} |`,
    `| unit | ${metric.unit} |`,
    '',
    ...driftTable(entry, metric),
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

export function windowPasses(metric: MetricResult): boolean {
  return compareDecimal(parseDecimal(metric.delta)!, parseDecimal(metric.epsilon)!) <= 0;
}

/** The periods where the drift is, with both values side by side. */
function driftTable(entry: TupleReport, metric: MetricResult): string[] {
  const drifts = largestPeriodDeltas(entry, metric);
  if (drifts.length === 0) return [];
  const shown = (value: string | null) => value ?? 'no value';
  return [
    `Periods with the largest delta (largest first, at most ${LARGEST_PERIODS_SHOWN}):`,
    '',
    '| period_start | leadership | partner | delta | bypass ids |',
    '|---|---|---|---|---|',
    ...drifts.map(
      (d) =>
        `| ${d.period_start} | ${shown(d.leadership)} | ${shown(d.partner)} | ${d.delta ?? 'one side only'} | ${d.bypasses.map((b) => `${b.bypass_audit_id} (freeze ${b.parent_freeze_id || 'none'})`).join(', ') || 'none'} |`,
    ),
    '',
  ];
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
 * docs/reference/workspace.md: the ticket for a tuple's red problems that belong to no metric, addressed to the
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
