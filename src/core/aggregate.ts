/** SPEC §5: exact aggregation rules, one streaming state per metric and export. */
import { addDecimal, type CellValue, compareDecimal, type Decimal, formatDecimal, isSmall, multiplyDecimal, pow10, roundDecimal, roundRational, type RoundingMode, toDecimal } from './decimal.ts';
import type { ProblemCode } from './problems.ts';
import type { Metric } from './schemas.ts';

export interface AggregateState {
  readonly metric: Metric;
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
  /** exact running sums held in doubles (below 2^52) at one scale each; -1 = not started */
  fast: { total: number; totalScale: number; weighted: number; weightedScale: number; weight: number; weightScale: number };
}

/** Below this a sum of 15-digit values stays exact in a double; above it the sum moves to bigints. */
const FLUSH_AT = 2 ** 52;

const ZERO: Decimal = { units: 0n, scale: 0 };

export function newAggregate(metric: Metric): AggregateState {
  return {
    metric,
    observations: 0,
    nulls: 0,
    total: ZERO,
    maximum: null,
    latest: null,
    conflict: null,
    weightedTotal: ZERO,
    weightTotal: ZERO,
    weightedRows: 0,
    fast: { total: 0, totalScale: -1, weighted: 0, weightedScale: -1, weight: 0, weightScale: -1 },
  };
}

function flush(state: AggregateState): void {
  const f = state.fast;
  if (f.total !== 0) state.total = addDecimal(state.total, { units: BigInt(f.total), scale: f.totalScale });
  if (f.weighted !== 0) state.weightedTotal = addDecimal(state.weightedTotal, { units: BigInt(f.weighted), scale: f.weightedScale });
  if (f.weight !== 0) state.weightTotal = addDecimal(state.weightTotal, { units: BigInt(f.weight), scale: f.weightScale });
  f.total = 0;
  f.weighted = 0;
  f.weight = 0;
}

/**
 * Adds one cell. `value` null is an empty cell; `weight` is the same row's weight metric value
 * (only read for weighted_average).
 */
export function observe(state: AggregateState, cell: CellValue | null, weightCell: CellValue | null, period: bigint, periodText: string, line: number): void {
  if (cell === null) {
    state.nulls++;
    return;
  }
  state.observations++;
  const f = state.fast;
  switch (state.metric.aggregation) {
    case 'sum': {
      if (isSmall(cell)) {
        if (f.totalScale === -1) f.totalScale = cell.scale;
        if (cell.scale === f.totalScale) {
          f.total += cell.small;
          if (f.total > FLUSH_AT || f.total < -FLUSH_AT) flush(state);
          break;
        }
      }
      state.total = addDecimal(state.total, toDecimal(cell));
      break;
    }
    case 'max': {
      const value = toDecimal(cell);
      if (state.maximum === null || compareDecimal(value, state.maximum) > 0) state.maximum = value;
      break;
    }
    case 'last_observed': {
      if (state.latest === null || period > state.latest.period) {
        state.latest = { period, periodText, value: toDecimal(cell), line };
        state.conflict = null;
      } else if (period === state.latest.period && state.conflict === null) {
        const value = toDecimal(cell);
        if (compareDecimal(value, state.latest.value) !== 0) state.conflict = { value, line };
      }
      break;
    }
    case 'weighted_average': {
      if (weightCell === null) break;
      state.weightedRows++;
      if (isSmall(cell) && isSmall(weightCell)) {
        const product = cell.small * weightCell.small;
        // a double product at most 2^53 is the exact product
        if (product <= Number.MAX_SAFE_INTEGER && product >= -Number.MAX_SAFE_INTEGER) {
          const scale = cell.scale + weightCell.scale;
          if (f.weightedScale === -1) f.weightedScale = scale;
          if (f.weightScale === -1) f.weightScale = weightCell.scale;
          if (scale === f.weightedScale && weightCell.scale === f.weightScale) {
            f.weighted += product;
            f.weight += weightCell.small;
            if (f.weighted > FLUSH_AT || f.weighted < -FLUSH_AT || f.weight > FLUSH_AT || f.weight < -FLUSH_AT) flush(state);
            break;
          }
        }
      }
      const weight = toDecimal(weightCell);
      state.weightedTotal = addDecimal(state.weightedTotal, multiplyDecimal(toDecimal(cell), weight));
      state.weightTotal = addDecimal(state.weightTotal, weight);
      break;
    }
  }
}

export type AggregateOutcome =
  | { ok: true; value: Decimal }
  | { ok: false; code: ProblemCode; message: string; line?: number };

/** The aggregate rounded once to the metric's precision with the dictionary's rounding mode. */
export function finishAggregate(state: AggregateState, mode: RoundingMode): AggregateOutcome {
  flush(state);
  const { metric } = state;
  const id = metric.metric_id;
  if (state.observations === 0) {
    return { ok: false, code: 'NO_OBSERVATIONS', message: `${id} has no non-null value in this export; nothing to aggregate` };
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
        return { ok: false, code: 'NO_OBSERVATIONS', message: `${id} has no row where both it and its weight ${weightId} are non-null` };
      }
      if (state.weightTotal.units === 0n) {
        return { ok: false, code: 'ZERO_WEIGHT', message: `${id}: the weights (${weightId}) sum to zero, so the weighted average is undefined` };
      }
      // Σ(v·w)/Σw as one exact fraction, rounded once
      const scale = Math.max(state.weightedTotal.scale, state.weightTotal.scale);
      const numerator = state.weightedTotal.units * pow10(scale - state.weightedTotal.scale);
      const denominator = state.weightTotal.units * pow10(scale - state.weightTotal.scale);
      return { ok: true, value: roundRational(numerator, denominator, metric.precision, mode) };
    }
  }
}
