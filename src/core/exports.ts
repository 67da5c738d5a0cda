/**
 * docs/reference/workspace.md–§5: checking one export's header and rows while they stream past, and
 * folding them into per-period aggregates of each metric (docs/reference/site.md), which make the window's.
 * Memory grows with periods × metrics and with the rows that carry a bypass, never with rows.
 */
import { EMPTY, newAggregate, newRowValues, type AggregateState } from './aggregate.ts';
import { NOT_A_NUMBER } from './decimal.ts';
import type { LoadedDictionary } from './dictionary.ts';
import { AUDIT_ID } from './ids.ts';
import { PeriodAggregates, PeriodIndex } from './period-aggregates.ts';
import { problem, type Problem, type ProblemCode } from './problems.ts';
import type { Audience, Metric } from './schemas.ts';
import { type Row, StringRow } from './row.ts';
import { parseUtcInstant, rfc3339Variant } from './timestamps.ts';

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
  /** the period_start instant (nanoseconds) */
  period: bigint;
  periodText: string;
  /** the row's declared dimension values, in tuple.yaml's order */
  dimensions: string[];
  bypass: string;
  freeze: string;
  line: number;
}

/** docs/reference/site.md: one period of an export. */
export interface PeriodValues {
  /** period_start as this export first writes it */
  periodText: string;
  /** the first line holding this period */
  line: number;
  /**
   * the period's aggregate of each metric (in `metricColumns` order), rounded once to the
   * metric's precision and written as the report writes it (`formatDecimal`); null when the
   * period holds no value of it (no non-null cell, or none that makes an aggregate: every weight
   * empty or zero, two different values at the period)
   */
  values: (string | null)[];
}

export interface ExportSummary {
  audience: Audience;
  file: string;
  /** the dictionary's bypass sentinel: what an empty bypass cell stands for */
  sentinel: string;
  headerSeen: boolean;
  /** whether the dictionary version the manifest cites was found (metric columns are known only then) */
  dictionaryKnown: boolean;
  /** metric columns in header order (known metric_ids only) */
  metricColumns: string[];
  /** 1-based field number of each header name */
  columns: Map<string, number>;
  /** the window's aggregate of each metric (complete once `finish` returned) */
  aggregates: Map<string, AggregateState>;
  /** per period_start instant (nanoseconds), in the order first read: the period's values (complete once `finish` returned) */
  periods: Map<bigint, PeriodValues>;
  /**
   * docs/reference/checks.md step 6: per row key (`rowKey`: the period_start instant and the declared dimension
   * values), the (bypass, freeze) pairs that carry a bypass or freeze id
   */
  bypassPairs: Map<string, Map<string, BypassPair>>;
  rows: number;
  nullCells: number;
  problems: Problem[];
}

/** OWASP CSV injection: the first characters (as UTF-16 codes) that make a spreadsheet evaluate a cell. */
export const FORMULA_START_CODES: ReadonlySet<number> = new Set(
  ['=', '+', '-', '@', '\t', '\r'].map((c) => c.charCodeAt(0)),
);

/** Beyond this many problems of one code in one file, the rest are counted, not listed. */
const MAX_PROBLEMS_PER_CODE = 1000;

interface MetricColumn {
  index: number;
  metric: Metric | null;
  integral: boolean;
  weightIndex: number;
  /** the metric's place in `metricColumns` and in the per-period stores; -1: no known metric */
  slot: number;
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
  /** the declared dimension columns in tuple.yaml's order: the row key after period_start */
  #keyIndexes: number[] = [];
  /** while reading: each known metric's aggregate in every period, in `metricColumns` order */
  #slotStores: PeriodAggregates[] = [];
  readonly #periods = new PeriodIndex();
  #periodNumber = -1;
  #periodInstant: bigint | null = null;
  #headerNames: string[] = [];
  #values = newRowValues(0);
  #metricIndexes = new Int32Array(0);
  readonly #stringRow = new StringRow();

  constructor(context: ExportReadContext) {
    this.#context = context;
    this.#summary = {
      audience: context.audience,
      file: context.file,
      sentinel: context.dictionary?.dictionary.bypass_sentinel ?? 'NO_BYPASS',
      headerSeen: false,
      dictionaryKnown: context.dictionary !== null,
      metricColumns: [],
      columns: new Map(),
      aggregates: new Map(),
      periods: new Map(),
      bypassPairs: new Map(),
      rows: 0,
      nullCells: 0,
      problems: [],
    };
  }

  report(code: ProblemCode, message: string, line?: number, column?: number, metricId?: string): void {
    const count = (this.#problemCounts.get(code) ?? 0) + 1;
    this.#problemCounts.set(code, count);
    if (count <= MAX_PROBLEMS_PER_CODE)
      this.#summary.problems.push(problem(code, message, { file: this.#context.file, line, column }, metricId));
  }

  /** docs/reference/checks.md step 4: the header row. */
  header(fields: readonly string[], line: number): void {
    const { dictionary, window, dimensions } = this.#context;
    this.#summary.headerSeen = true;
    this.#columnCount = fields.length;
    this.#headerNames = [...fields];
    this.#values = newRowValues(fields.length);
    const seen = new Map<string, number>();
    const structural = new Set([PERIOD_COLUMN, BYPASS_COLUMN, FREEZE_COLUMN, ...dimensions]);
    fields.forEach((name, index) => {
      const column = index + 1;
      const first = seen.get(name);
      if (first !== undefined) {
        this.report(
          'DUPLICATE_COLUMN',
          `column "${name}" appears twice (columns ${first} and ${column}); each column may appear once`,
          line,
          column,
        );
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
        this.report(
          'UNKNOWN_COLUMN',
          `column "${name}" is not a metric_id of dictionary ${dictionary.dictionary.version} nor a declared column${suggestColumn(name, [...structural, ...dictionary.metricsById.keys()])}`,
          line,
          column,
        );
        return;
      }
      if (metric && window && isDeprecatedForWindow(metric, window.startMs)) {
        this.report(
          'DEPRECATED_METRIC',
          `${name} is deprecated after ${metric.deprecated_after}${metric.superseded_by ? ` (use ${metric.superseded_by})` : ''}; it may not appear in a window starting ${window.startText}`,
          line,
          column,
          name,
        );
      }
      this.#metricColumns.push({
        index,
        metric,
        integral: metric
          ? metric.unit === 'count' ||
            metric.unit === 'money_minor_units' ||
            metric.class === 'count' ||
            metric.class === 'money'
          : false,
        weightIndex: -1,
        slot: metric ? this.#slotStores.length : -1,
      });
      if (metric) {
        this.#summary.metricColumns.push(name);
        this.#slotStores.push(new PeriodAggregates(metric, this.#periods));
      }
    });
    this.#keyIndexes = dimensions.flatMap((name) => (seen.has(name) ? [seen.get(name)! - 1] : []));
    for (const name of [PERIOD_COLUMN, BYPASS_COLUMN, FREEZE_COLUMN, ...dimensions]) {
      if (!seen.has(name)) {
        const declared = dimensions.includes(name) ? ' (declared in tuple.yaml dimensions)' : '';
        this.report(
          'MISSING_COLUMN',
          `the header has no "${name}" column${declared}${suggestColumn(name, fields)}`,
          line,
          1,
        );
      }
    }
    this.#metricIndexes = Int32Array.from(this.#metricColumns, (column) => column.index);
    for (const column of this.#metricColumns) {
      if (!column.metric) continue;
      this.#summary.aggregates.set(column.metric.metric_id, newAggregate(column.metric));
      const weightId = column.metric.weight_metric_id;
      if (column.metric.aggregation === 'weighted_average' && weightId) {
        column.weightIndex = fields.indexOf(weightId);
        if (column.weightIndex === -1) {
          this.report(
            'MISSING_METRIC',
            `${column.metric.metric_id} is a weighted average of ${weightId}, but this export has no ${weightId} column`,
            line,
            column.index + 1,
            column.metric.metric_id,
          );
        }
      }
    }
  }

  /** docs/reference/checks.md steps 5–6: one data row, as strings. */
  row(fields: readonly string[], line: number): void {
    this.#stringRow.fields = fields;
    this.record(this.#stringRow, line);
  }

  /** docs/reference/checks.md steps 5–6: one data row. */
  record(row: Row, line: number): void {
    const summary = this.#summary;
    summary.rows++;
    if (row.length !== this.#columnCount) {
      this.report('BAD_CSV', `row has ${row.length} fields; the header has ${this.#columnCount}`, line, 1);
      return;
    }
    let period: bigint | null = null;
    let periodText = '';
    const periodIndex = this.#periodIndex;
    if (periodIndex !== -1) {
      // exports list many rows per period in a row: read and parse each distinct timestamp once
      periodText = row.equals(periodIndex, this.#lastPeriodText) ? this.#lastPeriodText : row.text(periodIndex);
      period = this.#checkPeriod(periodText, line, periodIndex + 1);
    }
    // the common row carries neither a bypass nor a freeze id
    const bypassIndex = this.#bypassIndex;
    const freezeIndex = this.#freezeIndex;
    if (bypassIndex !== -1 && freezeIndex !== -1 && !(row.isEmpty(bypassIndex) && row.isEmpty(freezeIndex))) {
      this.#checkBypass(row, line, periodText, period);
    }
    const dimensions = this.#dimensionIndexes;
    for (let d = 0; d < dimensions.length; d++) {
      const index = dimensions[d]!;
      if (FORMULA_START_CODES.has(row.firstCode(index))) {
        const cell = row.text(index);
        this.report(
          'FORMULA_CELL',
          `${this.#headerNames[index]} "${printable(cell)}" starts with ${printable(cell[0]!)}, which a spreadsheet would run as a formula; exports are published as they are, so such cells are refused`,
          line,
          index + 1,
        );
      }
    }
    const values = this.#values;
    const columns = this.#metricColumns;
    row.decimals(this.#metricIndexes, values);
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c]!;
      const index = column.index;
      const kind = values.kind[index];
      if (kind === EMPTY) summary.nullCells++;
      else if (kind === NOT_A_NUMBER || (column.integral && values.scale[index] !== 0)) {
        values.kind[index] = NOT_A_NUMBER;
        this.#badNumber(column, row.text(index), line);
      }
    }
    if (period === null) return;
    // docs/reference/site.md: each cell goes to its period's aggregate; the window's is folded from them in finish()
    const number = this.#periodNumberOf(period, periodText, line);
    const stores = this.#slotStores;
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c]!;
      if (column.slot !== -1 && values.kind[column.index] !== NOT_A_NUMBER)
        stores[column.slot]!.observe(number, values, column.index, column.weightIndex, periodText, line);
    }
  }

  /** The period's number; rows of one period mostly come together, so the last one is kept at hand. */
  #periodNumberOf(period: bigint, periodText: string, line: number): number {
    if (period !== this.#periodInstant) {
      const periods = this.#periods;
      const count = periods.count;
      this.#periodNumber = periods.numberOf(period, periodText, line);
      this.#periodInstant = period;
      if (periods.count > count) for (const store of this.#slotStores) store.reserve(periods.count);
    }
    return this.#periodNumber;
  }

  #badNumber(column: MetricColumn, text: string, line: number): void {
    const id = column.metric?.metric_id ?? this.#headerNames[column.index];
    const expected = column.integral
      ? 'an integer (digits, optional leading -)'
      : 'a plain decimal such as 12 or -3.75 (no separators, exponents, signs other than a leading -, %, NaN or Infinity)';
    this.report(
      'BAD_NUMBER',
      `${id}: "${printable(text)}" is not a number Readback accepts; expected ${expected}`,
      line,
      column.index + 1,
      column.metric?.metric_id,
    );
  }

  #lastPeriodText = '';
  #lastPeriodInstant: bigint | null = null;

  #checkPeriod(text: string, line: number, column: number): bigint | null {
    const instant = text === this.#lastPeriodText ? this.#lastPeriodInstant : parseUtcInstant(text);
    this.#lastPeriodText = text;
    this.#lastPeriodInstant = instant;
    if (instant === null) {
      const why = rfc3339Variant(text) ?? 'expected an RFC 3339 UTC timestamp such as 2026-04-06T00:00:00Z';
      this.report('BAD_TIMESTAMP', `period_start "${printable(text)}" is not usable: ${why}`, line, column);
      return null;
    }
    const window = this.#context.window;
    if (window && (instant < window.start || instant >= window.end)) {
      this.report(
        'ROW_OUTSIDE_WINDOW',
        `period_start ${text} is outside the window [${window.startText}, ${window.endText})`,
        line,
        column,
      );
      return null;
    }
    return instant;
  }

  #checkBypass(row: Row, line: number, periodText: string, period: bigint | null): void {
    const rawBypass = row.text(this.#bypassIndex);
    const freeze = row.text(this.#freezeIndex);
    const sentinel = this.#summary.sentinel;
    const bypass = rawBypass === '' ? sentinel : rawBypass;
    let ok = true;
    if (bypass !== sentinel && !AUDIT_ID.test(bypass)) {
      this.report(
        'BAD_BYPASS_ID',
        `bypass_audit_id "${printable(bypass)}" is not an id like BYP-2026-0412 (^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$), empty, or ${sentinel}`,
        line,
        this.#bypassIndex + 1,
      );
      ok = false;
    }
    if (freeze !== '' && !AUDIT_ID.test(freeze)) {
      this.report(
        'BAD_BYPASS_ID',
        `parent_freeze_id "${printable(freeze)}" is not an id like FRZ-2026-26 (^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$) or empty`,
        line,
        this.#freezeIndex + 1,
      );
      ok = false;
    }
    if (!ok) return;
    if (bypass !== sentinel && freeze === '') {
      this.report(
        'BYPASS_WITHOUT_FREEZE',
        `bypass ${bypass} has no parent_freeze_id; every bypass belongs to a freeze`,
        line,
        this.#freezeIndex + 1,
      );
    }
    if ((bypass === sentinel && freeze === '') || period === null) return;
    const dimensions = this.#keyIndexes.map((index) => row.text(index));
    const key = rowKey(period, dimensions);
    let pairs = this.#summary.bypassPairs.get(key);
    if (!pairs) {
      pairs = new Map();
      this.#summary.bypassPairs.set(key, pairs);
    }
    const pairKey = `${bypass}\u0000${freeze}`;
    if (!pairs.has(pairKey)) pairs.set(pairKey, { period, periodText, dimensions, bypass, freeze, line });
  }

  /**
   * The export as read. Call once, after the last row, or after the reader stopped on a problem
   * (`readFailed`): the records before the line it stopped on have been read and checked.
   */
  finish(readFailed = false): ExportSummary {
    if (!this.#summary.headerSeen && !readFailed) {
      this.report('BAD_CSV', 'the file is empty; expected a header row', 1, 1);
    }
    // the window's aggregates are the periods' folded together; each period keeps only its rounded values
    const windowStates = [...this.#summary.aggregates.values()];
    const mode = this.#context.dictionary?.dictionary.rounding ?? 'half_even';
    const stores = this.#slotStores;
    const { instants, texts, lines } = this.#periods;
    for (let number = 0; number < instants.length; number++) {
      const values = stores.map((store) => store.periodValue(number, mode));
      this.#summary.periods.set(instants[number]!, { periodText: texts[number]!, line: lines[number]!, values });
    }
    stores.forEach((store, slot) => store.foldInto(windowStates[slot]!));
    this.#slotStores = [];
    for (const [code, count] of this.#problemCounts) {
      if (count > MAX_PROBLEMS_PER_CODE) {
        this.#summary.problems.push(
          problem(code, `… and ${count - MAX_PROBLEMS_PER_CODE} more ${code} problems in this file`, {
            file: this.#context.file,
          }),
        );
      }
    }
    return this.#summary;
  }
}

/**
 * docs/reference/checks.md step 6: a row key, the period_start instant (so 00:00:00Z and 00:00:00.000Z are one
 * period) and the declared dimension values.
 */
export function rowKey(period: bigint, dimensions: readonly string[]): string {
  return JSON.stringify([period.toString(), ...dimensions]);
}

/** Shows invisible characters in a message instead of printing them. */
export function printable(text: string): string {
  const shown = text.length > 60 ? `${text.slice(0, 57)}…` : text;
  return shown.replace(
    /[\u0000-\u001f\u007f-\u009f\u00a0\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function suggestColumn(name: string, candidates: Iterable<string>): string {
  const folded = name.trim().toLowerCase();
  for (const candidate of candidates) {
    if (candidate !== name && candidate.toLowerCase() === folded) return `; did you mean "${candidate}"?`;
  }
  return '';
}

/** docs/reference/workspace.md: a metric past `deprecated_after` may not appear in an export whose window starts after that date. */
function isDeprecatedForWindow(metric: Metric, windowStartMs: number): boolean {
  if (!metric.deprecated_after) return false;
  const firstDayAfter = Date.parse(`${metric.deprecated_after}T00:00:00Z`) + 86_400_000;
  return windowStartMs >= firstDayAfter;
}
