/** docs/reference/checks.md: exact aggregation rules, one streaming state per metric and export. */
import {
  addDecimal,
  type CellValue,
  compareDecimal,
  type Decimal,
  type DecimalSlots,
  formatDecimal,
  isSmall,
  LARGE,
  multiplyDecimal,
  newDecimalSlots,
  NOT_A_NUMBER,
  pow10,
  roundDecimal,
  roundRational,
  type RoundingMode,
  SMALL,
} from './decimal.ts';
import type { ProblemCode } from './problems.ts';
import type { Metric } from './schemas.ts';

/** The aggregation rule as a small integer: the hot path switches on it for every cell. */
export const RULES = { sum: 0, max: 1, last_observed: 2, weighted_average: 3 } as const;

export interface AggregateState {
  readonly metric: Metric;
  readonly rule: number;
  /** non-null values seen */
  observations: number;
  /** empty cells seen */
  nulls: number;
  total: Decimal;
  maximum: Decimal | null;
  /** last_observed: the latest period holding a value, its value, and a conflicting value at that period */
  latest: { period: bigint; periodText: string; value: Decimal; line: number } | null;
  conflict: { value: Decimal; line: number } | null;
  /** weighted_average: Σ(v·w) and Σw over rows where both are non-null */
  weightedTotal: Decimal;
  weightTotal: Decimal;
  weightedRows: number;
  /** exact running sums held in doubles at one scale each (never past 2^53: flushed to the bigint
   * totals before), the running maximum and the latest value while they are small; a scale of
   * -1 = not started */
  fast: {
    total: number;
    totalScale: number;
    weighted: number;
    weightedScale: number;
    weight: number;
    weightScale: number;
    max: number;
    maxScale: number;
    latest: number;
    latestScale: number;
  };
}

/** Below this a sum of 15-digit values stays exact in a double; above it the sum moves to bigints. */
export const FLUSH_AT = 2 ** 52;

export const ZERO: Decimal = { units: 0n, scale: 0 };

export function newAggregate(metric: Metric): AggregateState {
  return {
    metric,
    rule: RULES[metric.aggregation],
    observations: 0,
    nulls: 0,
    total: ZERO,
    maximum: null,
    latest: null,
    conflict: null,
    weightedTotal: ZERO,
    weightTotal: ZERO,
    weightedRows: 0,
    fast: {
      total: 0,
      totalScale: -1,
      weighted: 0,
      weightedScale: -1,
      weight: 0,
      weightScale: -1,
      max: 0,
      maxScale: -1,
      latest: 0,
      latestScale: -1,
    },
  };
}

function flush(state: AggregateState): void {
  const f = state.fast;
  if (f.total !== 0) state.total = addDecimal(state.total, { units: BigInt(f.total), scale: f.totalScale });
  if (f.weighted !== 0)
    state.weightedTotal = addDecimal(state.weightedTotal, { units: BigInt(f.weighted), scale: f.weightedScale });
  if (f.weight !== 0)
    state.weightTotal = addDecimal(state.weightTotal, { units: BigInt(f.weight), scale: f.weightScale });
  f.total = 0;
  f.weighted = 0;
  f.weight = 0;
  if (f.maxScale !== -1) {
    const max = { units: BigInt(f.max), scale: f.maxScale };
    if (state.maximum === null || compareDecimal(max, state.maximum) > 0) state.maximum = max;
    f.maxScale = -1;
  }
}

/**
 * One row's parsed metric cells, by field index, in typed arrays reused from row to row:
 * `kind` is EMPTY, SMALL (`small` at `scale`), LARGE (`large` at `scale`) or NOT_A_NUMBER.
 */
export interface RowValues extends DecimalSlots {
  kind: Uint8Array;
}

/** An empty cell (docs/reference/workspace.md: null). The other kinds are decimal.ts's NOT_A_NUMBER, SMALL and LARGE. */
export const EMPTY = 3;

export function newRowValues(fields: number): RowValues {
  return { kind: new Uint8Array(fields), ...newDecimalSlots(fields) };
}

/** The cell at `index` (SMALL or LARGE) as a decimal. */
export function decimalAt(values: RowValues, index: number): Decimal {
  return {
    units: values.kind[index] === SMALL ? BigInt(values.small[index]!) : values.large[index]!,
    scale: values.scale[index]!,
  };
}

const single = newRowValues(2);
function put(index: number, cell: CellValue | null): void {
  if (cell === null) single.kind[index] = EMPTY;
  else if (isSmall(cell)) {
    single.kind[index] = SMALL;
    single.small[index] = cell.small;
  } else {
    single.kind[index] = LARGE;
    single.large[index] = cell.units;
  }
  single.scale[index] = cell?.scale ?? 0;
}

/**
 * One cell (`null` is an empty cell) and its row's weight cell as row values: the cell at index 0,
 * the weight at 1. The values are shared and overwritten by the next call.
 */
export function cellValues(cell: CellValue | null, weightCell: CellValue | null): RowValues {
  put(0, cell);
  put(1, weightCell);
  return single;
}

/** Adds one cell (`null` is an empty cell) with its row's weight cell (read only for weighted_average). */
export function observe(
  state: AggregateState,
  cell: CellValue | null,
  weightCell: CellValue | null,
  period: bigint,
  periodText: string,
  line: number,
): void {
  observeAt(state, cellValues(cell, weightCell), 0, 1, period, periodText, line);
}

/**
 * Adds the cell at `index` of a row's values; `weightIndex` is the row's weight cell (-1: none).
 * The cell is EMPTY, SMALL or LARGE (never NOT_A_NUMBER).
 */
export function observeAt(
  state: AggregateState,
  values: RowValues,
  index: number,
  weightIndex: number,
  period: bigint,
  periodText: string,
  line: number,
): void {
  const kind = values.kind[index];
  if (kind === EMPTY) {
    state.nulls++;
    return;
  }
  state.observations++;
  const f = state.fast;
  const scale = values.scale[index]!;
  switch (state.rule) {
    case RULES.sum: {
      if (kind === SMALL) {
        if (f.totalScale === -1) f.totalScale = scale;
        if (scale === f.totalScale) {
          f.total += values.small[index]!;
          if (f.total > FLUSH_AT || f.total < -FLUSH_AT) flush(state);
          break;
        }
      }
      state.total = addDecimal(state.total, decimalAt(values, index));
      break;
    }
    case RULES.max: {
      // doubles of up to 15 digits at one scale compare exactly; anything else compares as decimals
      if (kind === SMALL && (f.maxScale === -1 || scale === f.maxScale)) {
        const small = values.small[index]!;
        if (f.maxScale === -1 || small > f.max) f.max = small;
        f.maxScale = scale;
        break;
      }
      const value = decimalAt(values, index);
      if (state.maximum === null || compareDecimal(value, state.maximum) > 0) state.maximum = value;
      break;
    }
    case RULES.last_observed: {
      const latest = state.latest;
      if (latest === null || period > latest.period) {
        state.latest = { period, periodText, value: decimalAt(values, index), line };
        state.conflict = null;
        f.latestScale = kind === SMALL ? scale : -1;
        f.latest = values.small[index]!;
      } else if (period === latest.period && state.conflict === null) {
        // the common case, the same small value again, compares as doubles
        const same =
          kind === SMALL && scale === f.latestScale
            ? values.small[index] === f.latest
            : compareDecimal(decimalAt(values, index), latest.value) === 0;
        if (!same) state.conflict = { value: decimalAt(values, index), line };
      }
      break;
    }
    case RULES.weighted_average: {
      const weightKind = weightIndex === -1 ? EMPTY : values.kind[weightIndex];
      // an empty weight, or one that is not a number (reported as BAD_NUMBER), weighs nothing
      if (weightKind === EMPTY || weightKind === NOT_A_NUMBER) break;
      state.weightedRows++;
      if (kind === SMALL && weightKind === SMALL) {
        const weight = values.small[weightIndex]!;
        const weightScale = values.scale[weightIndex]!;
        const product = values.small[index]! * weight;
        // a double product at most 2^53 is the exact product
        if (product <= Number.MAX_SAFE_INTEGER && product >= -Number.MAX_SAFE_INTEGER) {
          const productScale = scale + weightScale;
          if (f.weightedScale === -1) f.weightedScale = productScale;
          if (f.weightScale === -1) f.weightScale = weightScale;
          if (productScale === f.weightedScale && weightScale === f.weightScale) {
            // a product may be up to 2^53: move the running sum to bigints first if the two could pass it
            if (Math.abs(f.weighted) + Math.abs(product) > Number.MAX_SAFE_INTEGER) flush(state);
            f.weighted += product;
            f.weight += weight;
            if (f.weighted > FLUSH_AT || f.weighted < -FLUSH_AT || f.weight > FLUSH_AT || f.weight < -FLUSH_AT)
              flush(state);
            break;
          }
        }
      }
      const weight = decimalAt(values, weightIndex);
      state.weightedTotal = addDecimal(state.weightedTotal, multiplyDecimal(decimalAt(values, index), weight));
      state.weightTotal = addDecimal(state.weightTotal, weight);
      break;
    }
  }
}

/**
 * Folds `from` into `into`: afterwards `into` is what observing both states' cells in one state
 * gives. Reconcile observes each cell once, into its period's state (docs/reference/site.md), and folds the
 * periods into the window's aggregate.
 */
export function mergeAggregate(into: AggregateState, from: AggregateState): void {
  flush(into);
  flush(from);
  into.observations += from.observations;
  into.nulls += from.nulls;
  into.total = addDecimal(into.total, from.total);
  if (from.maximum !== null && (into.maximum === null || compareDecimal(from.maximum, into.maximum) > 0))
    into.maximum = from.maximum;
  const latest = from.latest;
  if (latest !== null) {
    if (into.latest === null || latest.period > into.latest.period) {
      into.latest = latest;
      into.conflict = from.conflict;
      into.fast.latestScale = -1;
    } else if (latest.period === into.latest.period && into.conflict === null) {
      into.conflict =
        compareDecimal(latest.value, into.latest.value) !== 0
          ? { value: latest.value, line: latest.line }
          : from.conflict;
    }
  }
  into.weightedTotal = addDecimal(into.weightedTotal, from.weightedTotal);
  into.weightTotal = addDecimal(into.weightTotal, from.weightTotal);
  into.weightedRows += from.weightedRows;
}

export type AggregateOutcome =
  { ok: true; value: Decimal } | { ok: false; code: ProblemCode; message: string; line?: number };

/** The aggregate rounded once to the metric's precision with the dictionary's rounding mode. */
export function finishAggregate(state: AggregateState, mode: RoundingMode): AggregateOutcome {
  flush(state);
  const { metric } = state;
  const id = metric.metric_id;
  if (state.observations === 0) {
    return {
      ok: false,
      code: 'NO_OBSERVATIONS',
      message: `${id} has no non-null value in this export; nothing to aggregate`,
    };
  }
  switch (metric.aggregation) {
    case 'sum':
      return { ok: true, value: roundDecimal(state.total, metric.precision, mode) };
    case 'max':
      return { ok: true, value: roundDecimal(state.maximum!, metric.precision, mode) };
    case 'last_observed': {
      const latest = state.latest!;
      if (state.conflict) {
        return {
          ok: false,
          code: 'AMBIGUOUS_LAST_OBSERVED',
          message: `${id} has two different values at its latest period ${latest.periodText}: ${formatDecimal(latest.value)} (line ${latest.line}) and ${formatDecimal(state.conflict.value)}`,
          line: state.conflict.line,
        };
      }
      return { ok: true, value: roundDecimal(latest.value, metric.precision, mode) };
    }
    case 'weighted_average': {
      const weightId = metric.weight_metric_id ?? '(weight)';
      if (state.weightedRows === 0) {
        return {
          ok: false,
          code: 'NO_OBSERVATIONS',
          message: `${id} has no row where both it and its weight ${weightId} are non-null`,
        };
      }
      if (state.weightTotal.units === 0n) {
        return {
          ok: false,
          code: 'ZERO_WEIGHT',
          message: `${id}: the weights (${weightId}) sum to zero, so the weighted average is undefined`,
        };
      }
      // Σ(v·w)/Σw as one exact fraction, rounded once
      const scale = Math.max(state.weightedTotal.scale, state.weightTotal.scale);
      const numerator = state.weightedTotal.units * pow10(scale - state.weightedTotal.scale);
      const denominator = state.weightTotal.units * pow10(scale - state.weightTotal.scale);
      return { ok: true, value: roundRational(numerator, denominator, metric.precision, mode) };
    }
  }
}
