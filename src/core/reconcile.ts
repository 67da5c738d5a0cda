/**
 * docs/reference/checks.md: reconcile one tuple from what was read of it. Pure: the reader (src/io) streams
 * the files into ExportAccumulators and hands the results here.
 */
import { finishAggregate } from './aggregate.ts';
import {
  absDecimal,
  compareDecimal,
  type Decimal,
  formatDecimal,
  normalizeScale,
  parseDecimal,
  rescale,
  subtractDecimal,
} from './decimal.ts';
import { epsilonFor, type LoadedDictionary } from './dictionary.ts';
import { BYPASS_COLUMN, type BypassPair, type ExportSummary, FREEZE_COLUMN, PERIOD_COLUMN } from './exports.ts';
import { canonicalSha256, tupleRevisionHash } from './hash.ts';
import type { ManifestRead } from './manifest.ts';
import { parseReadback } from './readback.ts';
import { targetedMetrics, type TargetPositions, targetProblems } from './targets.ts';
import { textCharacterProblems } from './text.ts';
import { codesWhere, inStepOrder, problem, type Problem, PROBLEMS, statusOf, worstStatus } from './problems.ts';
import type {
  Audience,
  LeadershipOnlyMetric,
  LeadershipOnlyTuple,
  MetricResult,
  PeriodValue,
  ReconcileReport,
  TupleConfig,
  TuplePeriod,
  TupleReport,
} from './schemas.ts';

export interface ExportRead {
  summary: ExportSummary | null;
  /** SHA-256 of the file's bytes, computed while reading */
  sha256: string | null;
  /** problems found finding or reading the file (path escapes, missing file, BAD_CSV) */
  problems: Problem[];
}

export interface TupleInputs {
  /** the folder name */
  tupleId: string;
  config: TupleConfig | null;
  /** problems of tuple.yaml */
  configProblems: Problem[];
  /** where tuple.yaml writes each target: one naming a metric the partner is not shown is reported there */
  targets?: { file: string; positions: TargetPositions };
  manifests: Record<Audience, ManifestRead>;
  /** per side: problems of the manifest's window (step 2, one side) */
  windowProblems: Problem[];
  /** step 2 across both sides */
  parityProblems: Problem[];
  /** step 3: the dictionary version both manifests cite, when it exists */
  dictionary: LoadedDictionary | null;
  dictionaryProblems: Problem[];
  /** the cited dictionary may be in a file that could not be read (the run's own problem says which) */
  dictionaryUnreadable?: boolean;
  exports: Record<Audience, ExportRead>;
  /** readback.md as read (strict UTF-8), when the tuple has one: its words are checked here too */
  readback?: { file: string; text: string | null; problems: Problem[] } | null;
}

const AUDIENCES: readonly Audience[] = ['leadership', 'partner'];

/** What an earlier problem leaves out of steps 6 and 7 (the table's `leavesOut` column). */
const ROWS_LEFT_OUT = codesWhere((rule) => rule.leavesOut === 'rows');
const METRIC_UNREADABLE = codesWhere((rule) => rule.leavesOut === 'metric');
const PAIRS_UNREADABLE = codesWhere((rule) => rule.leavesOut === 'bypass-pairs');
const isStepOne = (p: Problem) => PROBLEMS[p.code].step === 1;

/**
 * The tuple's report entry, and what leadership alone sees of it (docs/reference/site.md): the values of its
 * `leadership_only` metrics, aggregated from the same streaming pass with each metric's rule. They
 * stay out of the entry, which both audiences get; null when the tuple is invalid or its rows
 * were not aggregated.
 */
export function reconcileTupleWithLeadershipOnly(inputs: TupleInputs): {
  entry: TupleReport;
  leadershipOnly: LeadershipOnlyTuple | null;
} {
  const { config, manifests, dictionary } = inputs;
  // docs/reference/checks.md order: step 1 (manifests, files, checksums), step 2, step 3, then what reading found
  const reads = AUDIENCES.map((audience) => inputs.exports[audience]);
  const problems: Problem[] = [
    ...inputs.configProblems,
    ...AUDIENCES.flatMap((audience) => manifests[audience].problems),
    ...reads.flatMap((read) => read.problems.filter(isStepOne)),
    ...inputs.windowProblems,
    ...inputs.parityProblems,
    ...inputs.dictionaryProblems,
    ...reads.flatMap((read) => [...read.problems.filter((p) => !isStepOne(p)), ...(read.summary?.problems ?? [])]),
  ];
  const leadership = inputs.exports.leadership.summary;
  const partner = inputs.exports.partner.summary;
  // metric columns are only known against a dictionary: without one on a side, parity cannot be judged
  if (config && leadership?.headerSeen && partner?.headerSeen && leadership.dictionaryKnown && partner.dictionaryKnown)
    problems.push(...metricParity(leadership, partner, config));
  if (config && inputs.targets)
    problems.push(
      ...targetProblems(
        config,
        inputs.targets.file,
        inputs.targets.positions,
        dictionary && { version: dictionary.dictionary.version, has: (id) => dictionary.metricsById.has(id) },
        partner?.headerSeen && partner.dictionaryKnown ? new Set(partner.metricColumns) : null,
      ),
    );

  const metrics: MetricResult[] = [];
  // docs/reference/checks.md: every problem found is reported, so steps 6 and 7 run whatever steps 3–5 found, on
  // data read whole and never on data an earlier problem already explains (no problem is an echo
  // of another). Window parity comes "before any row is compared": other windows, runs or tuples
  // are not compared at all.
  const sameWindow = inputs.windowProblems.length === 0 && inputs.parityProblems.length === 0;
  const sides =
    sameWindow && reads.every((read) => read.problems.length === 0) && leadership && partner
      ? [leadership, partner]
      : null;
  const rowsLeftOut =
    !sides || problems.some((p) => ROWS_LEFT_OUT.has(p.code)) || sides.some((side) => !side.columns.has(PERIOD_COLUMN));
  // pairs need both id columns and the row key's columns on both sides, every id readable, and the dictionary's own sentinel
  const pairsWhole =
    !rowsLeftOut &&
    dictionary !== null &&
    config !== null &&
    !problems.some((p) => PAIRS_UNREADABLE.has(p.code)) &&
    sides!.every((side) =>
      [BYPASS_COLUMN, FREEZE_COLUMN, ...(config.dimensions ?? [])].every((name) => side.columns.has(name)),
    );
  if (pairsWhole) problems.push(...bypassParity(leadership!, partner!, config));
  const periods = rowsLeftOut ? [] : periodsOf(leadership!, partner!);
  let leadershipOnlyValues: LeadershipOnlyMetric[] | null = null;
  if (!rowsLeftOut && dictionary) {
    // a metric with cells that are not numbers or without its weight column (or whose weight is such a metric) is not compared
    const unreadable = new Set(
      problems.filter((p) => METRIC_UNREADABLE.has(p.code) && p.metric_id).map((p) => p.metric_id!),
    );
    compareMetrics(leadership!, partner!, dictionary, problems, metrics, unreadable, periods);
    if (config)
      leadershipOnlyValues = leadershipOnlyMetrics(leadership!, partner!, dictionary, config, unreadable, periods);
  }

  // which metrics a headline may cite is known only when every metric could be judged
  const judged = !rowsLeftOut && dictionary !== null && statusOf(problems) !== 'invalid';
  if (inputs.readback)
    problems.push(...readbackProblems(inputs.readback, judged ? metrics : null, config && targetedMetrics(config)));

  const leadershipManifest = manifests.leadership.manifest;
  const partnerManifest = manifests.partner.manifest;
  const window =
    leadershipManifest &&
    partnerManifest &&
    leadershipManifest.start_inclusive === partnerManifest.start_inclusive &&
    leadershipManifest.end_exclusive === partnerManifest.end_exclusive
      ? { start_inclusive: leadershipManifest.start_inclusive, end_exclusive: leadershipManifest.end_exclusive }
      : null;
  const leadershipHash = verifiedHash(inputs.exports.leadership);
  const partnerHash = verifiedHash(inputs.exports.partner);
  const hashable =
    window &&
    dictionary &&
    leadershipHash &&
    partnerHash &&
    inputs.parityProblems.length === 0 &&
    inputs.windowProblems.length === 0;
  const tupleHash = hashable
    ? tupleRevisionHash({
        tuple_id: inputs.tupleId,
        start_inclusive: window.start_inclusive,
        end_exclusive: window.end_exclusive,
        dictionary_version: dictionary.dictionary.version,
        dictionary_sha256: dictionary.sha256,
        leadership_sha256: leadershipHash,
        partner_sha256: partnerHash,
      })
    : null;

  const entry: Omit<TupleReport, 'artifact_id'> = {
    tuple_id: inputs.tupleId,
    // an unreadable dictionary leaves the tuple unjudged: invalid, without echoing the run's problem
    status: inputs.dictionaryUnreadable ? 'invalid' : statusOf(problems),
    tuple_revision_hash: tupleHash,
    dictionary_version: dictionary?.dictionary.version ?? leadershipManifest?.dictionary_version ?? null,
    dictionary_sha256: dictionary?.sha256 ?? null,
    window,
    run_id: leadershipManifest?.run_id ?? partnerManifest?.run_id ?? null,
    exports: {
      leadership: exportFacts(inputs.exports.leadership, leadershipHash),
      partner: exportFacts(inputs.exports.partner, partnerHash),
    },
    bypasses: partner && pairsWhole ? listBypasses(partner) : [],
    metrics,
    problems: inStepOrder(problems),
    periods: tuplePeriods(periods, pairsWhole ? [leadership!, partner!] : null),
  };
  // key order of docs/reference/cli.md's example: artifact_id right after the hash, then the rest
  const { tuple_id, status, tuple_revision_hash, ...rest } = entry;
  return {
    entry: { tuple_id, status, tuple_revision_hash, artifact_id: artifactId(entry), ...rest },
    leadershipOnly: leadershipOnlyValues && status !== 'invalid' ? { tuple_id, metrics: leadershipOnlyValues } : null,
  };
}

/**
 * docs/reference/site.md: the metrics tuple.yaml lists under `leadership_only` that only the leadership export
 * holds, each with its window value and every period's, rounded as the compared metrics are. A
 * metric whose aggregate cannot be made (no value at all, say) is left out: nothing is compared
 * for it, so nothing about it may make the entry both audiences see red or invalid.
 */
function leadershipOnlyMetrics(
  leadership: ExportSummary,
  partner: ExportSummary,
  loaded: LoadedDictionary,
  config: TupleConfig,
  unreadable: ReadonlySet<string>,
  periods: readonly TuplePeriodKey[],
): LeadershipOnlyMetric[] {
  const listed = new Set(config.leadership_only ?? []);
  const inPartner = new Set(partner.metricColumns);
  const values: LeadershipOnlyMetric[] = [];
  for (const metric of loaded.dictionary.metrics) {
    const id = metric.metric_id;
    if (!listed.has(id) || inPartner.has(id) || unreadable.has(id)) continue;
    if (metric.weight_metric_id && unreadable.has(metric.weight_metric_id)) continue;
    const state = leadership.aggregates.get(id);
    const outcome = state && finishAggregate(state, loaded.dictionary.rounding);
    if (!outcome?.ok) continue;
    const slot = leadership.metricColumns.indexOf(id);
    values.push({
      metric_id: id,
      leadership: formatDecimal(outcome.value),
      periods: periods.map(({ instant, text }) => ({
        period_start: text,
        leadership: leadership.periods.get(instant)?.values[slot] ?? null,
      })),
    });
  }
  return values;
}

/**
 * The readback's words are an input like any other: checked when the tuple is reconciled, not
 * only when the site is built. Which metrics a headline may cite is known once they are compared.
 */
function readbackProblems(
  readback: { file: string; text: string | null; problems: Problem[] },
  metrics: readonly MetricResult[] | null,
  targeted: ReadonlySet<string> | null,
): Problem[] {
  if (readback.text === null) return readback.problems;
  const visible = metrics ? new Set(metrics.map((m) => m.metric_id)) : null;
  return [
    ...textCharacterProblems(readback.text, readback.file, 'BAD_READBACK'),
    ...parseReadback(readback.text, readback.file, visible, targeted).problems,
  ];
}

/** docs/reference/cli.md: the SHA-256 of the entry's canonical JSON without its artifact_id. */
export function artifactId(entry: Omit<TupleReport, 'artifact_id'> | TupleReport): string {
  const { artifact_id: _ignored, ...rest } = entry as TupleReport;
  return canonicalSha256(rest);
}

function verifiedHash(read: ExportRead): string | null {
  if (!read.sha256 || read.problems.some(isStepOne)) return null;
  return read.sha256;
}

function exportFacts(read: ExportRead, sha256: string | null) {
  if (!read.summary || !sha256) return null;
  return { file: read.summary.file, sha256, rows: read.summary.rows, null_cells: read.summary.nullCells };
}

/** Step 4 across both exports: the same metric columns, except the tuple's leadership_only ones. */
function metricParity(leadership: ExportSummary, partner: ExportSummary, config: TupleConfig): Problem[] {
  const leadershipOnly = new Set(config.leadership_only ?? []);
  const inLeadership = new Set(leadership.metricColumns);
  const inPartner = new Set(partner.metricColumns);
  const problems: Problem[] = [];
  for (const id of inLeadership) {
    if (!inPartner.has(id) && !leadershipOnly.has(id)) {
      problems.push(
        problem(
          'MISSING_METRIC',
          `${id} is in the leadership export but not in the partner export (list it under leadership_only in tuple.yaml if partners must not see it)`,
          { file: leadership.file, line: 1, column: leadership.columns.get(id) },
          id,
        ),
      );
    }
  }
  for (const id of inPartner) {
    if (!inLeadership.has(id)) {
      problems.push(
        problem(
          'MISSING_METRIC',
          `${id} is in the partner export but not in the leadership export`,
          { file: partner.file, line: 1, column: partner.columns.get(id) },
          id,
        ),
      );
    }
  }
  return problems;
}

/** Step 6: per row key, the same (bypass, freeze) pairs on both sides, each explained. */
function bypassParity(leadership: ExportSummary, partner: ExportSummary, config: TupleConfig): Problem[] {
  const problems: Problem[] = [];
  const dimensions = config.dimensions ?? [];
  const keys = new Map<string, BypassPair>();
  for (const summary of [leadership, partner]) {
    for (const [key, pairs] of summary.bypassPairs) if (!keys.has(key)) keys.set(key, pairs.values().next().value!);
  }
  const ordered = [...keys].sort(([, x], [, y]) => byRowKey(x, y));
  for (const [key, first] of ordered) {
    const where = [`period ${first.periodText}`, ...dimensions.map((name, i) => `${name} "${first.dimensions[i]}"`)];
    const sides = [
      [leadership, partner, 'leadership', 'partner'],
      [partner, leadership, 'partner', 'leadership'],
    ] as const;
    for (const [summary, other, name, otherName] of sides) {
      const otherPairs = other.bypassPairs.get(key);
      for (const [pairKey, pair] of summary.bypassPairs.get(key) ?? []) {
        if (otherPairs?.has(pairKey)) continue;
        problems.push(
          problem(
            'BYPASS_MISMATCH',
            `${where.join(', ')}: ${name} carries bypass ${pair.bypass} (freeze ${pair.freeze || 'none'}) at line ${pair.line}; no ${otherName} row with this period_start${dimensions.length > 0 ? ` and ${dimensions.join(', ')}` : ''} carries it`,
            { file: summary.file, line: pair.line, column: summary.columns.get(BYPASS_COLUMN) },
          ),
        );
      }
    }
  }
  const explained = config.bypasses ?? {};
  const reported = new Set<string>();
  for (const summary of [leadership, partner]) {
    for (const pairs of summary.bypassPairs.values()) {
      for (const pair of pairs.values()) {
        if (pair.bypass === summary.sentinel || reported.has(pair.bypass)) continue;
        if (!Object.hasOwn(explained, pair.bypass)) {
          reported.add(pair.bypass);
          problems.push(
            problem(
              'BYPASS_UNEXPLAINED',
              `bypass ${pair.bypass} has no blast-radius line under bypasses: in tuple.yaml`,
              { file: summary.file, line: pair.line, column: summary.columns.get(BYPASS_COLUMN) },
            ),
          );
        }
      }
    }
  }
  return problems;
}

function byRowKey(x: BypassPair, y: BypassPair): number {
  if (x.period !== y.period) return x.period < y.period ? -1 : 1;
  for (let i = 0; i < x.dimensions.length; i++) {
    if (x.dimensions[i] !== y.dimensions[i]) return x.dimensions[i]! < y.dimensions[i]! ? -1 : 1;
  }
  return 0;
}

/** The export's distinct (bypass, freeze) pairs per period instant. */
function pairsByPeriod(summary: ExportSummary): Map<bigint, Map<string, BypassPair>> {
  const byPeriod = new Map<bigint, Map<string, BypassPair>>();
  for (const pairs of summary.bypassPairs.values()) {
    for (const [pairKey, pair] of pairs) {
      let seen = byPeriod.get(pair.period);
      if (!seen) byPeriod.set(pair.period, (seen = new Map()));
      if (!seen.has(pairKey)) seen.set(pairKey, pair);
    }
  }
  return byPeriod;
}

/** docs/reference/site.md: the tuple's periods with each export's pairs in them (none when the pairs could not be judged). */
function tuplePeriods(periods: readonly TuplePeriodKey[], sides: readonly ExportSummary[] | null): TuplePeriod[] {
  const [leadership, partner] = (sides ?? []).map(pairsByPeriod);
  const listed = (pairs: Map<string, BypassPair> | undefined) =>
    [...(pairs?.entries() ?? [])]
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
      .map(([, pair]) => ({ bypass_audit_id: pair.bypass, parent_freeze_id: pair.freeze }));
  return periods.map(({ instant, text }) => ({
    period_start: text,
    leadership_bypasses: listed(leadership?.get(instant)),
    partner_bypasses: listed(partner?.get(instant)),
  }));
}

function listBypasses(summary: ExportSummary) {
  const rows = [];
  for (const pairs of pairsByPeriod(summary).values()) {
    for (const pair of pairs.values())
      rows.push({ period_start: pair.periodText, bypass_audit_id: pair.bypass, parent_freeze_id: pair.freeze });
  }
  return rows.sort((x, y) =>
    x.period_start + x.bypass_audit_id + x.parent_freeze_id < y.period_start + y.bypass_audit_id + y.parent_freeze_id
      ? -1
      : 1,
  );
}

/** One period of the tuple: its instant, its period_start as written (the partner's, else leadership's) and where the partner export first holds it. */
interface TuplePeriodKey {
  instant: bigint;
  text: string;
  /** the partner export's first line of the period; 1 when it has none */
  partnerLine: number;
}

/** docs/reference/site.md: every period either export holds, in period order. */
function periodsOf(leadership: ExportSummary, partner: ExportSummary): TuplePeriodKey[] {
  const instants = [...new Set([...leadership.periods.keys(), ...partner.periods.keys()])];
  instants.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return instants.map((instant) => {
    const own = partner.periods.get(instant);
    return { instant, text: (own ?? leadership.periods.get(instant)!).periodText, partnerLine: own?.line ?? 1 };
  });
}

/** Step 7: aggregate, round once, compare within epsilon. */
function compareMetrics(
  leadership: ExportSummary,
  partner: ExportSummary,
  loaded: LoadedDictionary,
  problems: Problem[],
  metrics: MetricResult[],
  unreadable: ReadonlySet<string>,
  periods: readonly TuplePeriodKey[],
): void {
  const { dictionary } = loaded;
  for (const metric of dictionary.metrics) {
    if (unreadable.has(metric.metric_id) || (metric.weight_metric_id && unreadable.has(metric.weight_metric_id)))
      continue;
    const a = leadership.aggregates.get(metric.metric_id);
    const b = partner.aggregates.get(metric.metric_id);
    if (!a || !b) continue;
    const outcomes = [finishAggregate(a, dictionary.rounding), finishAggregate(b, dictionary.rounding)] as const;
    let failed = false;
    outcomes.forEach((outcome, index) => {
      if (outcome.ok) return;
      failed = true;
      const summary = index === 0 ? leadership : partner;
      const where = outcome.line !== undefined ? { line: outcome.line } : { line: 1 };
      problems.push(
        problem(
          outcome.code,
          outcome.message,
          { file: summary.file, ...where, column: summary.columns.get(metric.metric_id) },
          metric.metric_id,
        ),
      );
    });
    if (failed || !outcomes[0].ok || !outcomes[1].ok) continue;
    const leadershipValue = outcomes[0].value;
    const partnerValue = outcomes[1].value;
    const delta = absDecimal(subtractDecimal(leadershipValue, partnerValue));
    const epsilon = epsilonFor(metric, dictionary).value;
    const pass = compareDecimal(delta, epsilon) <= 0;
    const perPeriod = comparePeriods(metric.metric_id, leadership, partner, periods, epsilon);
    const periodsPass = perPeriod.every((period) => period.status === 'pass');
    // key order of docs/reference/cli.md's example, then what the site shows besides
    const result: MetricResult = {
      metric_id: metric.metric_id,
      leadership: formatDecimal(leadershipValue),
      partner: formatDecimal(partnerValue),
      delta: formatDecimal(delta),
      epsilon: formatEpsilon(epsilon, metric.precision),
      status: pass && periodsPass ? 'pass' : 'fail',
      owner: metric.owner,
      label: metric.label,
      unit: metric.unit,
      periods: perPeriod,
    };
    metrics.push(result);
    if (!pass) {
      problems.push(
        problem(
          'VARIANCE_EXCEEDED',
          `${metric.metric_id}: leadership ${result.leadership} vs partner ${result.partner} differ by ${result.delta}, more than epsilon ${result.epsilon}`,
          { file: partner.file, line: 1, column: partner.columns.get(metric.metric_id) },
          metric.metric_id,
          { actual: result.delta, expected: `<= ${result.epsilon}` },
        ),
      );
    }
    if (!periodsPass) problems.push(...periodProblems(result, partner, periods));
  }
}

/** docs/reference/site.md: each period's aggregate on both sides, rounded like the window's, compared within epsilon. */
function comparePeriods(
  metricId: string,
  leadership: ExportSummary,
  partner: ExportSummary,
  periods: readonly TuplePeriodKey[],
  epsilon: Decimal,
): PeriodValue[] {
  const slots = [leadership.metricColumns.indexOf(metricId), partner.metricColumns.indexOf(metricId)];
  const valueOf = (summary: ExportSummary, slot: number, instant: bigint): string | null =>
    summary.periods.get(instant)?.values[slot] ?? null;
  // most periods agree to the last digit: their delta is a zero with as many places
  const zeros = new Map<number, { delta: string; pass: boolean }>();
  const zeroAt = (value: string) => {
    const point = value.indexOf('.');
    const scale = point === -1 ? 0 : value.length - point - 1;
    let zero = zeros.get(scale);
    if (!zero) {
      const delta = { units: 0n, scale };
      zeros.set(scale, (zero = { delta: formatDecimal(delta), pass: compareDecimal(delta, epsilon) <= 0 }));
    }
    return zero;
  };
  return periods.map(({ instant, text }) => {
    const a = valueOf(leadership, slots[0]!, instant);
    const b = valueOf(partner, slots[1]!, instant);
    if (a !== null && a === b) {
      const zero = zeroAt(a);
      return { period_start: text, leadership: a, partner: b, delta: zero.delta, status: zero.pass ? 'pass' : 'fail' };
    }
    const delta = a !== null && b !== null ? absDecimal(subtractDecimal(parseDecimal(a)!, parseDecimal(b)!)) : null;
    return {
      period_start: text,
      leadership: a,
      partner: b,
      delta: delta && formatDecimal(delta),
      status: (delta ? compareDecimal(delta, epsilon) <= 0 : a === b) ? 'pass' : 'fail',
    };
  });
}

/** Beyond this many periods of one metric, the rest are counted in one more problem. */
const MAX_PERIOD_PROBLEMS = 20;

function periodProblems(result: MetricResult, partner: ExportSummary, periods: readonly TuplePeriodKey[]): Problem[] {
  const problems: Problem[] = [];
  const column = partner.columns.get(result.metric_id);
  const failing = result.periods!.flatMap((period, i) => (period.status === 'fail' ? [{ period, i }] : []));
  for (const { period, i } of failing.slice(0, MAX_PERIOD_PROBLEMS)) {
    const { leadership, partner: partnerValue, delta } = period;
    const message =
      delta !== null
        ? `${result.metric_id} in period ${period.period_start}: leadership ${leadership} vs partner ${partnerValue} differ by ${delta}, more than epsilon ${result.epsilon}`
        : `${result.metric_id} in period ${period.period_start}: ${leadership !== null ? `leadership has ${leadership}, the partner export no value` : `the partner export has ${partnerValue}, leadership no value`}`;
    problems.push(
      problem(
        'PERIOD_VARIANCE_EXCEEDED',
        message,
        { file: partner.file, line: periods[i]!.partnerLine, column },
        result.metric_id,
        {
          actual: delta ?? `${leadership ?? 'no value'} vs ${partnerValue ?? 'no value'}`,
          expected: `<= ${result.epsilon}`,
        },
      ),
    );
  }
  if (failing.length > MAX_PERIOD_PROBLEMS) {
    problems.push(
      problem(
        'PERIOD_VARIANCE_EXCEEDED',
        `… and ${failing.length - MAX_PERIOD_PROBLEMS} more periods of ${result.metric_id} differ by more than epsilon ${result.epsilon} (the report's per-period values list every one)`,
        { file: partner.file, line: 1, column },
        result.metric_id,
      ),
    );
  }
  return problems;
}

/** Epsilon at the metric's precision, or with more places when it needs them (5 bp at precision 1 is 0.05). */
export function formatEpsilon(epsilon: Decimal, precision: number): string {
  const exact = normalizeScale(epsilon);
  return formatDecimal(exact.scale <= precision ? rescale(exact, precision) : exact);
}

export function assembleReport(
  dictionaryVersion: string | null,
  tuples: TupleReport[],
  problems: Problem[],
  leadershipOnly: LeadershipOnlyTuple[] = [],
): ReconcileReport {
  const status = worstStatus([...tuples.map((t) => t.status), problems.length > 0 ? 'invalid' : 'green']);
  return {
    schema: 'readback.reconcile-report/1',
    status,
    dictionary_version: dictionaryVersion,
    tuples,
    leadership_only: leadershipOnly,
    problems,
  };
}
