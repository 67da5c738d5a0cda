/**
 * SPEC §4–§5: checking one export's header and rows while they stream past, and
 * folding them into per-metric aggregates. Memory grows with periods × bypass pairs
 * and with metrics, never with rows.
 */
import { newAggregate, observe, type AggregateState } from './aggregate.ts';
import { type CellValue, parseCell } from './decimal.ts';
import { isDeprecatedForWindow, type LoadedDictionary } from './dictionary.ts';
import { problem, type Problem, type ProblemCode } from './problems.ts';
import { type Audience, AUDIT_ID, type Metric } from './schemas.ts';
import { isOffsetTimestamp, parseUtcInstant } from './timestamps.ts';

export const PERIOD_COLUMN = 'period_start';
export const BYPASS_COLUMN = 'bypass_audit_id';
export const FREEZE_COLUMN = 'parent_freeze_id';

export interface ExportWindow {
  start: bigint;
  end: bigint;
  startText: string;
  endText: string;
  startMs: number;
}

export interface ExportReadContext {
  audience: Audience;
  /** path relative to the workspace root, used in problems */
  file: string;
  /** the dictionary version the manifest cites; null when it could not be resolved */
  dictionary: LoadedDictionary | null;
  /** the manifest's window; null when it is not usable */
  window: ExportWindow | null;
  dimensions: readonly string[];
}

export interface BypassPair {
  periodText: string;
  bypass: string;
  freeze: string;
  line: number;
}

export interface ExportSummary {
  audience: Audience;
  file: string;
  /** the dictionary's bypass sentinel: what an empty bypass cell stands for */
  sentinel: string;
  headerSeen: boolean;
  /** metric columns in header order (known metric_ids only) */
  metricColumns: string[];
  /** 1-based field number of each header name */
  columns: Map<string, number>;
  aggregates: Map<string, AggregateState>;
  /** per period_start instant (nanoseconds, as text): the (bypass, freeze) pairs that carry a bypass or freeze id */
  bypassPairs: Map<string, Map<string, BypassPair>>;
  rows: number;
  nullCells: number;
  problems: Problem[];
}

/** OWASP CSV injection: a cell a spreadsheet would evaluate. */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** Beyond this many problems of one code in one file, the rest are counted, not listed. */
const MAX_PROBLEMS_PER_CODE = 1000;

interface MetricColumn {
  index: number;
  metric: Metric | null;
  integral: boolean;
  weightIndex: number;
  state: AggregateState | null;
}

export class ExportAccumulator {
  readonly #context: ExportReadContext;
  readonly #summary: ExportSummary;
  readonly #problemCounts = new Map<ProblemCode, number>();
  #columnCount = 0;
  #periodIndex = -1;
  #bypassIndex = -1;
  #freezeIndex = -1;
  #metricColumns: MetricColumn[] = [];
  #dimensionIndexes: number[] = [];
  #headerNames: string[] = [];

  constructor(context: ExportReadContext) {
    this.#context = context;
    this.#summary = {
      audience: context.audience,
      file: context.file,
      sentinel: context.dictionary?.dictionary.bypass_sentinel ?? 'NO_BYPASS',
      headerSeen: false,
      metricColumns: [],
      columns: new Map(),
      aggregates: new Map(),
      bypassPairs: new Map(),
      rows: 0,
      nullCells: 0,
      problems: [],
    };
  }

  report(code: ProblemCode, message: string, line?: number, column?: number, metricId?: string): void {
    const count = (this.#problemCounts.get(code) ?? 0) + 1;
    this.#problemCounts.set(code, count);
    if (count <= MAX_PROBLEMS_PER_CODE) this.#summary.problems.push(problem(code, message, { file: this.#context.file, line, column }, metricId));
  }

  /** SPEC §5 step 4: the header row. */
  header(fields: readonly string[], line: number): void {
    const { dictionary, window, dimensions } = this.#context;
    this.#summary.headerSeen = true;
    this.#columnCount = fields.length;
    this.#headerNames = [...fields];
    const seen = new Map<string, number>();
    const structural = new Set([PERIOD_COLUMN, BYPASS_COLUMN, FREEZE_COLUMN, ...dimensions]);
    fields.forEach((name, index) => {
      const column = index + 1;
      const first = seen.get(name);
      if (first !== undefined) {
        this.report('DUPLICATE_COLUMN', `column "${name}" appears twice (columns ${first} and ${column}); each column may appear once`, line, column);
        return;
      }
      seen.set(name, column);
      this.#summary.columns.set(name, column);
      if (name === PERIOD_COLUMN) this.#periodIndex = index;
      else if (name === BYPASS_COLUMN) this.#bypassIndex = index;
      else if (name === FREEZE_COLUMN) this.#freezeIndex = index;
      if (dimensions.includes(name)) this.#dimensionIndexes.push(index);
      if (structural.has(name)) return;
      const metric = dictionary?.metricsById.get(name) ?? null;
      if (dictionary && !metric) {
        this.report('UNKNOWN_COLUMN', `column "${name}" is not a metric_id of dictionary ${dictionary.dictionary.version} nor a declared column${suggestColumn(name, [...structural, ...dictionary.metricsById.keys()])}`, line, column);
        return;
      }
      if (metric && window && isDeprecatedForWindow(metric, window.startMs)) {
        this.report('DEPRECATED_METRIC', `${name} is deprecated after ${metric.deprecated_after}${metric.superseded_by ? ` (use ${metric.superseded_by})` : ''}; it may not appear in a window starting ${window.startText}`, line, column, name);
      }
      this.#metricColumns.push({
        index,
        metric,
        integral: metric ? metric.unit === 'count' || metric.unit === 'money_minor_units' || metric.class === 'count' || metric.class === 'money' : false,
        weightIndex: -1,
        state: metric ? newAggregate(metric) : null,
      });
      if (metric) this.#summary.metricColumns.push(name);
    });
    for (const name of [PERIOD_COLUMN, BYPASS_COLUMN, FREEZE_COLUMN, ...dimensions]) {
      if (!seen.has(name)) {
        const declared = dimensions.includes(name) ? ' (declared in tuple.yaml dimensions)' : '';
        this.report('MISSING_COLUMN', `the header has no "${name}" column${declared}${suggestColumn(name, fields)}`, line, 1);
      }
    }
    for (const column of this.#metricColumns) {
      if (!column.metric || !column.state) continue;
      this.#summary.aggregates.set(column.metric.metric_id, column.state);
      const weightId = column.metric.weight_metric_id;
      if (column.metric.aggregation === 'weighted_average' && weightId) {
        column.weightIndex = fields.indexOf(weightId);
        if (column.weightIndex === -1) {
          this.report('MISSING_METRIC', `${column.metric.metric_id} is a weighted average of ${weightId}, but this export has no ${weightId} column`, line, column.index + 1, column.metric.metric_id);
        }
      }
    }
  }

  /** SPEC §5 steps 5–6: one data row. */
  row(fields: readonly string[], line: number): void {
    const summary = this.#summary;
    summary.rows++;
    if (fields.length !== this.#columnCount) {
      this.report('BAD_CSV', `row has ${fields.length} fields; the header has ${this.#columnCount}`, line, 1);
      return;
    }
    let period: bigint | null = null;
    let periodText = '';
    if (this.#periodIndex !== -1) {
      periodText = fields[this.#periodIndex]!;
      period = this.#checkPeriod(periodText, line, this.#periodIndex + 1);
    }
    this.#checkBypass(fields, line, periodText, period);
    for (const index of this.#dimensionIndexes) {
      const cell = fields[index]!;
      if (FORMULA_START.test(cell)) {
        this.report('FORMULA_CELL', `${this.#headerNames[index]} "${printable(cell)}" starts with ${printable(cell[0]!)}, which a spreadsheet would run as a formula; exports are published as they are, so such cells are refused`, line, index + 1);
      }
    }
    const values: (CellValue | null | undefined)[] = new Array(fields.length);
    for (const column of this.#metricColumns) {
      const text = fields[column.index]!;
      if (text === '') {
        values[column.index] = null;
        summary.nullCells++;
        continue;
      }
      const value = parseCell(text);
      if (value === null || (column.integral && value.scale > 0)) {
        values[column.index] = undefined;
        const id = column.metric?.metric_id ?? fields[column.index];
        const expected = column.integral ? 'an integer (digits, optional leading -)' : 'a plain decimal such as 12 or -3.75 (no separators, exponents, signs other than a leading -, %, NaN or Infinity)';
        this.report('BAD_NUMBER', `${id}: "${printable(text)}" is not a number Readback accepts; expected ${expected}`, line, column.index + 1, column.metric?.metric_id);
        continue;
      }
      values[column.index] = value;
    }
    if (period === null) return;
    for (const column of this.#metricColumns) {
      const value = values[column.index];
      if (!column.state || value === undefined) continue;
      const weight = column.weightIndex === -1 ? null : (values[column.weightIndex] ?? null);
      observe(column.state, value, weight, period, periodText, line);
    }
  }

  #lastPeriodText = '';
  #lastPeriodInstant: bigint | null = null;

  #checkPeriod(text: string, line: number, column: number): bigint | null {
    // exports list many rows per period in a row: parse each distinct timestamp once
    const instant = text === this.#lastPeriodText ? this.#lastPeriodInstant : parseUtcInstant(text);
    this.#lastPeriodText = text;
    this.#lastPeriodInstant = instant;
    if (instant === null) {
      const why = isOffsetTimestamp(text) ? 'it carries an offset; write it in UTC with a Z suffix' : 'expected an RFC 3339 UTC timestamp such as 2026-04-06T00:00:00Z';
      this.report('BAD_TIMESTAMP', `period_start "${printable(text)}" is not usable: ${why}`, line, column);
      return null;
    }
    const window = this.#context.window;
    if (window && (instant < window.start || instant >= window.end)) {
      this.report('ROW_OUTSIDE_WINDOW', `period_start ${text} is outside the window [${window.startText}, ${window.endText})`, line, column);
      return null;
    }
    return instant;
  }

  #checkBypass(fields: readonly string[], line: number, periodText: string, period: bigint | null): void {
    if (this.#bypassIndex === -1 || this.#freezeIndex === -1) return;
    const sentinel = this.#summary.sentinel;
    const rawBypass = fields[this.#bypassIndex]!;
    const freeze = fields[this.#freezeIndex]!;
    const bypass = rawBypass === '' ? sentinel : rawBypass;
    let ok = true;
    if (bypass !== sentinel && !AUDIT_ID.test(bypass)) {
      this.report('BAD_BYPASS_ID', `bypass_audit_id "${printable(bypass)}" is not an id like BYP-2026-0412 (^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$), empty, or ${sentinel}`, line, this.#bypassIndex + 1);
      ok = false;
    }
    if (freeze !== '' && !AUDIT_ID.test(freeze)) {
      this.report('BAD_BYPASS_ID', `parent_freeze_id "${printable(freeze)}" is not an id like FRZ-2026-26 (^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$) or empty`, line, this.#freezeIndex + 1);
      ok = false;
    }
    if (!ok) return;
    if (bypass !== sentinel && freeze === '') {
      this.report('BYPASS_WITHOUT_FREEZE', `bypass ${bypass} has no parent_freeze_id; every bypass belongs to a freeze`, line, this.#freezeIndex + 1);
    }
    if ((bypass === sentinel && freeze === '') || period === null) return;
    // keyed by the instant, so 00:00:00Z and 00:00:00.000Z are the same period
    const key = period.toString();
    let pairs = this.#summary.bypassPairs.get(key);
    if (!pairs) {
      pairs = new Map();
      this.#summary.bypassPairs.set(key, pairs);
    }
    const pairKey = `${bypass}\u0000${freeze}`;
    if (!pairs.has(pairKey)) pairs.set(pairKey, { periodText, bypass, freeze, line });
  }

  /** The export as read. Call once, after the last row, or after the reader failed (`readFailed`). */
  finish(readFailed = false): ExportSummary {
    if (!this.#summary.headerSeen && !readFailed) {
      this.report('BAD_CSV', 'the file is empty; expected a header row', 1, 1);
    }
    for (const [code, count] of this.#problemCounts) {
      if (count > MAX_PROBLEMS_PER_CODE) {
        this.#summary.problems.push(problem(code, `… and ${count - MAX_PROBLEMS_PER_CODE} more ${code} problems in this file`, { file: this.#context.file }));
      }
    }
    return this.#summary;
  }
}

/** Shows invisible characters in a message instead of printing them. */
export function printable(text: string): string {
  const shown = text.length > 60 ? `${text.slice(0, 57)}…` : text;
  return shown.replace(/[\u0000-\u001f\u007f-\u009f\u00a0\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function suggestColumn(name: string, candidates: Iterable<string>): string {
  const folded = name.trim().toLowerCase();
  for (const candidate of candidates) {
    if (candidate !== name && candidate.toLowerCase() === folded) return `; did you mean "${candidate}"?`;
  }
  return '';
}
