/**
 * docs/reference/site.md: one metric's aggregate in every period of an export, held in typed arrays indexed by
 * the period's number (periods numbered in the order first read). A period costs a few words per
 * metric instead of an `AggregateState` object: running sums are doubles at one scale while they
 * are exact (aggregate.ts's fast path), and only a period whose values leave that path (more than
 * 15 digits, a second scale, a sum past 2^52, a conflict) gets a decimal in a map beside them.
 * `periodValue` rounds a period straight from its double when that is exact, else through
 * `loadPeriod`, which writes the period as the `AggregateState` observing its cells would have
 * built, for aggregate.ts to round; `foldInto` adds the periods up into the window's aggregate.
 * The properties in test/properties.test.ts hold all three to a state per period and to bigints.
 */
import {
  type AggregateState,
  decimalAt,
  EMPTY,
  finishAggregate,
  FLUSH_AT,
  newAggregate,
  type RowValues,
  RULES,
  ZERO,
} from './aggregate.ts';
import {
  addDecimal,
  compareDecimal,
  type Decimal,
  formatDecimal,
  formatSafeDecimal,
  multiplyDecimal,
  NOT_A_NUMBER,
  pow10,
  type RoundingMode,
  roundSafeRational,
  SMALL,
} from './decimal.ts';
import type { Metric } from './schemas.ts';

/** The periods of one export, numbered in the order first read; shared by its metrics' stores. */
export class PeriodIndex {
  /** by period number: the period_start instant (nanoseconds) */
  readonly instants: bigint[] = [];
  /** by period number: period_start as the export first writes it */
  readonly texts: string[] = [];
  /** by period number: the first line holding the period */
  readonly lines: number[] = [];
  /** the latest instant so far */
  #latest: bigint | null = null;
  /** the numbers by instant, built once an instant comes that is not later than every one before it */
  #numbers: Map<bigint, number> | null = null;

  get count(): number {
    return this.instants.length;
  }

  /** The period's number; a period not seen before is numbered next, first read as `text` on `line`. */
  numberOf(instant: bigint, text: string, line: number): number {
    const count = this.instants.length;
    // exports mostly list their periods in order: an instant later than all before is a new period
    if (this.#latest === null || instant > this.#latest) this.#latest = instant;
    else {
      this.#numbers ??= new Map(this.instants.map((seen, number) => [seen, number]));
      const number = this.#numbers.get(instant);
      if (number !== undefined) return number;
    }
    this.#numbers?.set(instant, count);
    this.instants.push(instant);
    this.texts.push(text);
    this.lines.push(line);
    return count;
  }
}

const INITIAL_CAPACITY = 64;

// module-local copies of aggregate.ts's constants, which the hot path reads for every cell
const SUM = RULES.sum;
const MAX = RULES.max;
const LAST_OBSERVED = RULES.last_observed;
const WEIGHTED_AVERAGE = RULES.weighted_average;
const FLUSH_ABOVE = FLUSH_AT;

function grown<T extends Float64Array | Int32Array>(array: T, capacity: number, fill: number): T {
  const next = new (array.constructor as new (length: number) => T)(capacity);
  next.set(array);
  if (fill !== 0) next.fill(fill, array.length);
  return next;
}

export class PeriodAggregates {
  readonly metric: Metric;
  readonly #rule: number;
  readonly #periods: PeriodIndex;
  /** non-null values seen in all periods (only the window's aggregate counts them) */
  observations = 0;
  /** empty cells seen in all periods */
  nulls = 0;
  #capacity = 0;
  /**
   * The period whose running values the hot path keeps in the fields below instead of the arrays
   * (-1: none): rows of one period mostly come together, and fields are cheaper than array slots.
   */
  #current = -1;
  #currentFast = 0;
  #currentScale = -1;
  #currentWeight = 0;
  #currentWeightScale = -1;
  #currentWeightedRows = 0;
  #currentLine = 0;
  /**
   * by period: sum: the running total; max: the running maximum; last_observed: the period's
   * value; weighted_average: Σ(v·w). A double at the scale in `#scale` (-1: not started, or for
   * last_observed a value held in `#decimal`); never past 2^53.
   */
  #fast = new Float64Array(0);
  #scale = new Int32Array(0);
  /** weighted_average, by period: Σw as a double at the scale in `#weightScale`, and the rows counted */
  #weight = new Float64Array(0);
  #weightScale = new Int32Array(0);
  #weightedRows = new Float64Array(0);
  /** last_observed, by period: the line of the period's value */
  #line = new Float64Array(0);
  /**
   * by period, only where the doubles do not suffice: sum: the rest of the total; max: the maximum
   * of the values the doubles did not take; last_observed: a value of more than 15 digits;
   * weighted_average: the rest of Σ(v·w)
   */
  readonly #decimal = new Map<number, Decimal>();
  /** weighted_average, by period: the rest of Σw */
  readonly #weightDecimal = new Map<number, Decimal>();
  /** last_observed, by period: the first value that differs from the period's value */
  readonly #conflicts = new Map<number, { value: Decimal; line: number }>();
  /** last_observed, by period: period_start as written on the value's row, where not as the period's first row writes it */
  readonly #valueTexts = new Map<number, string>();

  constructor(metric: Metric, periods: PeriodIndex) {
    this.metric = metric;
    this.#rule = RULES[metric.aggregation];
    this.#periods = periods;
    this.#grow(INITIAL_CAPACITY);
  }

  #grow(capacity: number): void {
    this.#fast = grown(this.#fast, capacity, 0);
    this.#scale = grown(this.#scale, capacity, -1);
    if (this.#rule === WEIGHTED_AVERAGE) {
      this.#weight = grown(this.#weight, capacity, 0);
      this.#weightScale = grown(this.#weightScale, capacity, -1);
      this.#weightedRows = grown(this.#weightedRows, capacity, 0);
    }
    if (this.#rule === LAST_OBSERVED) this.#line = grown(this.#line, capacity, 0);
    this.#capacity = capacity;
  }

  /** Makes room for periods numbered below `count` (call before observing a new period's cells). */
  reserve(count: number): void {
    if (count > this.#capacity) this.#grow(Math.max(this.#capacity * 2, count));
  }

  /**
   * Adds the cell at `index` of a row of period number `period` (aggregate.ts's `observeAt`, per
   * period; `reserve` made room for it); `weightIndex` is the row's weight cell (-1: none). The
   * cell is EMPTY, SMALL or LARGE.
   */
  observe(
    period: number,
    values: RowValues,
    index: number,
    weightIndex: number,
    periodText: string,
    line: number,
  ): void {
    const kind = values.kind[index];
    if (kind === EMPTY) {
      this.nulls++;
      return;
    }
    if (period !== this.#current) this.#switchTo(period);
    this.observations++;
    const scale = values.scale[index]!;
    switch (this.#rule) {
      case SUM: {
        if (kind === SMALL) {
          if (this.#currentScale === -1) this.#currentScale = scale;
          if (scale === this.#currentScale) {
            const total = this.#currentFast + values.small[index]!;
            this.#currentFast = total;
            if (total > FLUSH_ABOVE || total < -FLUSH_ABOVE) this.#flush();
            break;
          }
        }
        this.#add(this.#decimal, period, decimalAt(values, index));
        break;
      }
      case MAX: {
        // doubles of up to 15 digits at one scale compare exactly; anything else compares as decimals
        if (kind === SMALL && (this.#currentScale === -1 || scale === this.#currentScale)) {
          const small = values.small[index]!;
          if (this.#currentScale === -1 || small > this.#currentFast) this.#currentFast = small;
          this.#currentScale = scale;
          break;
        }
        const value = decimalAt(values, index);
        const maximum = this.#decimal.get(period);
        if (maximum === undefined || compareDecimal(value, maximum) > 0) this.#decimal.set(period, value);
        break;
      }
      case LAST_OBSERVED: {
        // every value of a period is at its latest instant: the first is the value, a different one a conflict
        if (this.#currentScale === -1 && !this.#decimal.has(period)) {
          this.#currentLine = line;
          if (periodText !== this.#periods.texts[period]) this.#valueTexts.set(period, periodText);
          if (kind === SMALL) {
            this.#currentFast = values.small[index]!;
            this.#currentScale = scale;
          } else this.#decimal.set(period, decimalAt(values, index));
          break;
        }
        // the common case, the same small value again, compares as doubles
        const same =
          kind === SMALL && scale === this.#currentScale
            ? values.small[index] === this.#currentFast
            : compareDecimal(
                decimalAt(values, index),
                this.#latestValue(period, this.#currentFast, this.#currentScale),
              ) === 0;
        if (!same && !this.#conflicts.has(period))
          this.#conflicts.set(period, { value: decimalAt(values, index), line });
        break;
      }
      case WEIGHTED_AVERAGE: {
        const weightKind = weightIndex === -1 ? EMPTY : values.kind[weightIndex];
        // an empty weight, or one that is not a number (reported as BAD_NUMBER), weighs nothing
        if (weightKind === EMPTY || weightKind === NOT_A_NUMBER) break;
        this.#currentWeightedRows++;
        if (kind === SMALL && weightKind === SMALL) {
          const weight = values.small[weightIndex]!;
          const weightScale = values.scale[weightIndex]!;
          const product = values.small[index]! * weight;
          // a double product at most 2^53 is the exact product
          if (product <= Number.MAX_SAFE_INTEGER && product >= -Number.MAX_SAFE_INTEGER) {
            const productScale = scale + weightScale;
            if (this.#currentScale === -1) this.#currentScale = productScale;
            if (this.#currentWeightScale === -1) this.#currentWeightScale = weightScale;
            if (productScale === this.#currentScale && weightScale === this.#currentWeightScale) {
              // a product may be up to 2^53: move the running sum to decimals first if the two could pass it
              if (Math.abs(this.#currentFast) + Math.abs(product) > Number.MAX_SAFE_INTEGER) this.#flush();
              const weighted = this.#currentFast + product;
              const weights = this.#currentWeight + weight;
              this.#currentFast = weighted;
              this.#currentWeight = weights;
              if (weighted > FLUSH_ABOVE || weighted < -FLUSH_ABOVE || weights > FLUSH_ABOVE || weights < -FLUSH_ABOVE)
                this.#flush();
              break;
            }
          }
        }
        const weight = decimalAt(values, weightIndex);
        this.#add(this.#decimal, period, multiplyDecimal(decimalAt(values, index), weight));
        this.#add(this.#weightDecimal, period, weight);
        break;
      }
    }
  }

  /** Moves the running values of the current period to the arrays and takes up `period`'s. */
  #switchTo(period: number): void {
    this.#settle();
    this.#current = period;
    this.#currentFast = this.#fast[period]!;
    this.#currentScale = this.#scale[period]!;
    if (this.#rule === WEIGHTED_AVERAGE) {
      this.#currentWeight = this.#weight[period]!;
      this.#currentWeightScale = this.#weightScale[period]!;
      this.#currentWeightedRows = this.#weightedRows[period]!;
    }
    if (this.#rule === LAST_OBSERVED) this.#currentLine = this.#line[period]!;
  }

  /** Writes the current period's running values to the arrays (before the arrays are read). */
  #settle(): void {
    const period = this.#current;
    if (period === -1) return;
    this.#fast[period] = this.#currentFast;
    this.#scale[period] = this.#currentScale;
    if (this.#rule === WEIGHTED_AVERAGE) {
      this.#weight[period] = this.#currentWeight;
      this.#weightScale[period] = this.#currentWeightScale;
      this.#weightedRows[period] = this.#currentWeightedRows;
    }
    if (this.#rule === LAST_OBSERVED) this.#line[period] = this.#currentLine;
  }

  #add(decimals: Map<number, Decimal>, period: number, value: Decimal): void {
    const sum = decimals.get(period);
    decimals.set(period, sum === undefined ? value : addDecimal(sum, value));
  }

  /** Moves the current period's running sums (sum, weighted_average) from doubles to its decimals. */
  #flush(): void {
    const period = this.#current;
    if (this.#currentFast !== 0)
      this.#add(this.#decimal, period, { units: BigInt(this.#currentFast), scale: this.#currentScale });
    this.#currentFast = 0;
    if (this.#rule === WEIGHTED_AVERAGE && this.#currentWeight !== 0) {
      this.#add(this.#weightDecimal, period, { units: BigInt(this.#currentWeight), scale: this.#currentWeightScale });
      this.#currentWeight = 0;
    }
  }

  /** last_observed: the value of a period that has one, from its double and scale. */
  #latestValue(period: number, fast: number, scale: number): Decimal {
    return scale === -1 ? this.#decimal.get(period)! : { units: BigInt(fast), scale };
  }

  /**
   * Writes period number `period` into `state` (a state of this metric, which it overwrites): the
   * state aggregate.ts's `observeAt` builds from the period's cells, except the counts of cells:
   * `nulls` is 0 and `observations` 1 when the period holds a value that makes an aggregate, else 0
   * (this store's `nulls` and `observations` count the cells of all periods).
   */
  loadPeriod(period: number, state: AggregateState): void {
    this.#settle();
    const fast = period < this.#capacity ? this.#fast[period]! : 0;
    const scale = period < this.#capacity ? this.#scale[period]! : -1;
    const decimal = this.#decimal.get(period) ?? null;
    const weightedRows = this.#rule === WEIGHTED_AVERAGE && period < this.#capacity ? this.#weightedRows[period]! : 0;
    // a weighted average without a weighted row makes no aggregate, however many values it saw
    const observations = (this.#rule === WEIGHTED_AVERAGE ? weightedRows > 0 : scale !== -1 || decimal !== null)
      ? 1
      : 0;
    state.observations = observations;
    state.nulls = 0;
    state.total = ZERO;
    state.maximum = null;
    state.latest = null;
    state.conflict = null;
    state.weightedTotal = ZERO;
    state.weightTotal = ZERO;
    state.weightedRows = 0;
    if (observations === 0) return;
    const withFast = (total: Decimal | null, value: number, scale: number): Decimal =>
      value !== 0 ? addDecimal(total ?? ZERO, { units: BigInt(value), scale }) : (total ?? ZERO);
    switch (this.#rule) {
      case SUM:
        state.total = withFast(decimal, fast, scale);
        break;
      case MAX: {
        state.maximum = decimal;
        if (scale !== -1) {
          const max = { units: BigInt(fast), scale };
          if (decimal === null || compareDecimal(max, decimal) > 0) state.maximum = max;
        }
        break;
      }
      case LAST_OBSERVED:
        state.latest = {
          period: this.#periods.instants[period]!,
          periodText: this.#valueTexts.get(period) ?? this.#periods.texts[period]!,
          value: this.#latestValue(period, fast, scale),
          line: this.#line[period]!,
        };
        state.conflict = this.#conflicts.get(period) ?? null;
        break;
      case WEIGHTED_AVERAGE:
        state.weightedRows = weightedRows;
        state.weightedTotal = withFast(decimal, fast, scale);
        state.weightTotal = withFast(
          this.#weightDecimal.get(period) ?? null,
          this.#weight[period]!,
          this.#weightScale[period]!,
        );
        break;
    }
  }

  /**
   * docs/reference/site.md: period number `period`'s aggregate rounded once like the window's and written
   * as the report writes it (`formatDecimal`); null when the period holds no value that makes an
   * aggregate.
   */
  periodValue(period: number, mode: RoundingMode): string | null {
    this.#settle();
    const scale = period < this.#capacity ? this.#scale[period]! : -1;
    const precision = this.metric.precision;
    // a sum, maximum or value held as one double at no more places than the precision is exact as it stands
    if (
      this.#rule !== WEIGHTED_AVERAGE &&
      scale !== -1 &&
      scale <= precision &&
      !this.#decimal.has(period) &&
      (this.#rule !== LAST_OBSERVED || !this.#conflicts.has(period))
    ) {
      const units = this.#fast[period]! * 10 ** (precision - scale);
      // the product of two integers is exact whenever it comes out a safe integer
      if (Number.isSafeInteger(units)) return formatSafeDecimal(units, precision);
      return formatDecimal({ units: BigInt(this.#fast[period]!) * pow10(precision - scale), scale: precision });
    }
    // Σ(v·w)/Σw of one double each
    if (
      this.#rule === WEIGHTED_AVERAGE &&
      scale !== -1 &&
      this.#weight[period] !== 0 &&
      !this.#decimal.has(period) &&
      !this.#weightDecimal.has(period)
    ) {
      const weightScale = this.#weightScale[period]!;
      const common = Math.max(scale, weightScale);
      const units = roundSafeRational(
        this.#fast[period]! * 10 ** (common - scale),
        this.#weight[period]! * 10 ** (common - weightScale),
        precision,
        mode,
      );
      if (units !== null) return formatSafeDecimal(units, precision);
    }
    const rounded = this.#roundedPeriod(period, mode);
    return rounded && formatDecimal(rounded);
  }

  #roundedPeriod(period: number, mode: RoundingMode): Decimal | null {
    const state = (this.#scratch ??= newAggregate(this.metric));
    this.loadPeriod(period, state);
    if (state.observations === 0) return null;
    const outcome = finishAggregate(state, mode);
    return outcome.ok ? outcome.value : null;
  }

  #scratch: AggregateState | null = null;

  /**
   * Folds every period into `window` (a fresh state of this metric): afterwards it holds what
   * `mergeAggregate` of each loaded period into it gives (its decimals may be at other scales, of
   * equal value), with this store's counts of cells. Doubles at one scale are added as doubles.
   */
  foldInto(window: AggregateState): void {
    this.#settle();
    window.observations = this.observations;
    window.nulls = this.nulls;
    const count = Math.min(this.#periods.count, this.#capacity);
    const fast = this.#fast;
    const scales = this.#scale;
    switch (this.#rule) {
      case SUM:
        window.total = sumOf(fast, scales, count, this.#decimal);
        break;
      case MAX: {
        let maximum: Decimal | null = null;
        const consider = (value: Decimal) => {
          if (maximum === null || compareDecimal(value, maximum) > 0) maximum = value;
        };
        // the largest double at the first scale met; the rest compare as decimals
        let best = -Infinity;
        let bestScale = -1;
        for (let period = 0; period < count; period++) {
          const scale = scales[period]!;
          if (scale === -1) continue;
          if (bestScale === -1) bestScale = scale;
          if (scale === bestScale) best = Math.max(best, fast[period]!);
          else consider({ units: BigInt(fast[period]!), scale });
        }
        if (bestScale !== -1) consider({ units: BigInt(best), scale: bestScale });
        for (const value of this.#decimal.values()) consider(value);
        window.maximum = maximum;
        break;
      }
      case LAST_OBSERVED: {
        // the value of the latest period holding one, with its conflict (docs/reference/checks.md: last_observed)
        const instants = this.#periods.instants;
        let latest = -1;
        for (let period = 0; period < count; period++) {
          if (scales[period] === -1 && !this.#decimal.has(period)) continue;
          if (latest === -1 || instants[period]! > instants[latest]!) latest = period;
        }
        if (latest !== -1) {
          const state = this.periodState(latest);
          window.latest = state.latest;
          window.conflict = state.conflict;
        }
        break;
      }
      case WEIGHTED_AVERAGE: {
        window.weightedTotal = sumOf(fast, scales, count, this.#decimal);
        window.weightTotal = sumOf(this.#weight, this.#weightScale, count, this.#weightDecimal);
        let rows = 0;
        for (let period = 0; period < count; period++) rows += this.#weightedRows[period]!;
        window.weightedRows = rows;
        break;
      }
    }
  }
  /** Period number `period` as a state of its own (for tests and for one-off reads; `loadPeriod` reuses one). */
  periodState(period: number): AggregateState {
    const state = newAggregate(this.metric);
    this.loadPeriod(period, state);
    return state;
  }
}

/**
 * Σ of each period's double (at its scale) and decimal. A period's double is at most 2^52 (the
 * store moves it to decimals beyond), so a running double kept under 2^52 adds one exactly.
 */
function sumOf(values: Float64Array, scales: Int32Array, count: number, decimals: Map<number, Decimal>): Decimal {
  let total = ZERO;
  let running = 0;
  let runningScale = -1;
  for (let period = 0; period < count; period++) {
    const value = values[period]!;
    if (value === 0) continue;
    const scale = scales[period]!;
    if (runningScale === -1) runningScale = scale;
    if (scale !== runningScale) {
      total = addDecimal(total, { units: BigInt(value), scale });
      continue;
    }
    running += value;
    if (running > FLUSH_ABOVE || running < -FLUSH_ABOVE) {
      total = addDecimal(total, { units: BigInt(running), scale });
      running = 0;
    }
  }
  if (running !== 0) total = addDecimal(total, { units: BigInt(running), scale: runningScale });
  for (const decimal of decimals.values()) total = addDecimal(total, decimal);
  return total;
}
