/**
 * SPEC §5: reconcile one tuple from what was read of it. Pure: the reader (src/io) streams
 * the files into ExportAccumulators and hands the results here.
 */
import { finishAggregate } from './aggregate.ts';
import {
  absDecimal,
  compareDecimal,
  type Decimal,
  formatDecimal,
  normalizeScale,
  rescale,
  subtractDecimal,
} from './decimal.ts';
import { epsilonFor, type LoadedDictionary } from './dictionary.ts';
import { BYPASS_COLUMN, type BypassPair, type ExportSummary, FREEZE_COLUMN, PERIOD_COLUMN } from './exports.ts';
import { canonicalJson, sha256Hex, tupleRevisionHash } from './hash.ts';
import type { ManifestRead } from './manifest.ts';
import { parseReadback } from './readback.ts';
import { textCharacterProblems } from './text.ts';
import { codesWhere, inStepOrder, problem, type Problem, PROBLEMS, statusOf, worstStatus } from './problems.ts';
import type { Audience, MetricResult, ReconcileReport, TupleConfig, TupleReport } from './schemas.ts';

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

export function reconcileTuple(inputs: TupleInputs): TupleReport {
  const { config, manifests, dictionary } = inputs;
  // SPEC §5 order: step 1 (manifests, files, checksums), step 2, step 3, then what reading found
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

  const metrics: MetricResult[] = [];
  // SPEC §5: every problem found is reported, so steps 6 and 7 run whatever steps 3–5 found, on
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
  // pairs need both id columns on both sides, every id readable, and the dictionary's own sentinel
  const pairsWhole =
    !rowsLeftOut &&
    dictionary !== null &&
    !problems.some((p) => PAIRS_UNREADABLE.has(p.code)) &&
    sides!.every((side) => side.columns.has(BYPASS_COLUMN) && side.columns.has(FREEZE_COLUMN));
  if (pairsWhole && config) problems.push(...bypassParity(leadership!, partner!, config));
  if (!rowsLeftOut && dictionary) {
    // a metric with cells that are not numbers or without its weight column (or whose weight is such a metric) is not compared
    const unreadable = new Set(
      problems.filter((p) => METRIC_UNREADABLE.has(p.code) && p.metric_id).map((p) => p.metric_id!),
    );
    compareMetrics(leadership!, partner!, dictionary, problems, metrics, unreadable);
  }

  // which metrics a headline may cite is known only when every metric could be judged
  const judged = !rowsLeftOut && dictionary !== null && statusOf(problems) !== 'invalid';
  if (inputs.readback) problems.push(...readbackProblems(inputs.readback, judged ? metrics : null));

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
  };
  // key order of SPEC §6's example: artifact_id right after the hash, then the rest
  const { tuple_id, status, tuple_revision_hash, ...rest } = entry;
  return { tuple_id, status, tuple_revision_hash, artifact_id: artifactId(entry), ...rest };
}

/**
 * The readback's words are an input like any other: checked when the tuple is reconciled, not
 * only when the site is built. Which metrics a headline may cite is known once they are compared.
 */
function readbackProblems(
  readback: { file: string; text: string | null; problems: Problem[] },
  metrics: readonly MetricResult[] | null,
): Problem[] {
  if (readback.text === null) return readback.problems;
  const visible = metrics ? new Set(metrics.map((m) => m.metric_id)) : null;
  return [
    ...textCharacterProblems(readback.text, readback.file, 'BAD_READBACK'),
    ...parseReadback(readback.text, readback.file, visible).problems,
  ];
}

/** SPEC §6: the SHA-256 of the entry's canonical JSON without its artifact_id. */
export function artifactId(entry: Omit<TupleReport, 'artifact_id'> | TupleReport): string {
  const { artifact_id: _ignored, ...rest } = entry as TupleReport;
  return sha256Hex(canonicalJson(rest));
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

/** Step 6: per period_start, the same (bypass, freeze) pairs on both sides, each explained. */
function bypassParity(leadership: ExportSummary, partner: ExportSummary, config: TupleConfig): Problem[] {
  const problems: Problem[] = [];
  const periods = new Set([...leadership.bypassPairs.keys(), ...partner.bypassPairs.keys()]);
  for (const period of [...periods].sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : BigInt(x) > BigInt(y) ? 1 : 0))) {
    const a = leadership.bypassPairs.get(period) ?? new Map<string, BypassPair>();
    const b = partner.bypassPairs.get(period) ?? new Map<string, BypassPair>();
    const shown = [...a.values(), ...b.values()][0]!.periodText;
    for (const [key, pair] of a) {
      if (!b.has(key)) {
        problems.push(
          problem(
            'BYPASS_MISMATCH',
            `period ${shown}: leadership carries bypass ${pair.bypass} (freeze ${pair.freeze || 'none'}) at line ${pair.line}; the partner export does not`,
            { file: leadership.file, line: pair.line, column: leadership.columns.get('bypass_audit_id') },
          ),
        );
      }
    }
    for (const [key, pair] of b) {
      if (!a.has(key)) {
        problems.push(
          problem(
            'BYPASS_MISMATCH',
            `period ${shown}: partner carries bypass ${pair.bypass} (freeze ${pair.freeze || 'none'}) at line ${pair.line}; the leadership export does not`,
            { file: partner.file, line: pair.line, column: partner.columns.get('bypass_audit_id') },
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
              { file: summary.file, line: pair.line, column: summary.columns.get('bypass_audit_id') },
            ),
          );
        }
      }
    }
  }
  return problems;
}

function listBypasses(summary: ExportSummary) {
  const rows = [];
  for (const pairs of summary.bypassPairs.values()) {
    for (const pair of pairs.values())
      rows.push({ period_start: pair.periodText, bypass_audit_id: pair.bypass, parent_freeze_id: pair.freeze });
  }
  return rows.sort((x, y) =>
    x.period_start + x.bypass_audit_id + x.parent_freeze_id < y.period_start + y.bypass_audit_id + y.parent_freeze_id
      ? -1
      : 1,
  );
}

/** Step 7: aggregate, round once, compare within epsilon. */
function compareMetrics(
  leadership: ExportSummary,
  partner: ExportSummary,
  loaded: LoadedDictionary,
  problems: Problem[],
  metrics: MetricResult[],
  unreadable: ReadonlySet<string>,
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
    // key order of SPEC §6's example, then what the site shows besides
    const result: MetricResult = {
      metric_id: metric.metric_id,
      leadership: formatDecimal(leadershipValue),
      partner: formatDecimal(partnerValue),
      delta: formatDecimal(delta),
      epsilon: formatEpsilon(epsilon, metric.precision),
      status: pass ? 'pass' : 'fail',
      owner: metric.owner,
      label: metric.label,
      unit: metric.unit,
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
  }
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
): ReconcileReport {
  const status = worstStatus([...tuples.map((t) => t.status), problems.length > 0 ? 'invalid' : 'green']);
  return { schema: 'readback.reconcile-report/1', status, dictionary_version: dictionaryVersion, tuples, problems };
}
