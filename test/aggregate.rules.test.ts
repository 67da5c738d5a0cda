import { describe, expect, it } from 'vitest';
import { finishAggregate, newAggregate, observe } from '../src/core/aggregate.ts';
import { formatDecimal, parseDecimal } from '../src/core/decimal.ts';
import type { Metric } from '../src/core/schemas.ts';
import { foldPeriods, foldWindow, observePeriods, outcomeText } from './helpers/periods.ts';

function metric(aggregation: Metric['aggregation'], precision = 0, extra: Partial<Metric> = {}): Metric {
  return {
    metric_id: 'm.test',
    label: 'Test',
    class: 'count',
    unit: 'count',
    aggregation,
    precision,
    definition: '',
    formula_ref: 'f',
    owner: 'o',
    ...extra,
  };
}

function aggregate(
  m: Metric,
  rows: [period: number, value: string | null, weight?: string | null][],
  mode: 'half_up' | 'half_even' = 'half_up',
) {
  const state = newAggregate(m);
  const cells = rows.map(([period, value, weight], index) => ({
    period: BigInt(period),
    periodText: `p${period}`,
    value: value === null ? null : parseDecimal(value)!,
    weight: weight == null ? null : parseDecimal(weight)!,
    line: index + 2,
  }));
  for (const cell of cells) observe(state, cell.value, cell.weight, cell.period, cell.periodText, cell.line);
  // SPEC §8.1: the same cells in the compact per-period store, its periods folded, give the same outcome
  const { store, periods } = observePeriods(m, cells);
  expect(outcomeText(foldPeriods(store, periods), mode)).toBe(outcomeText(state, mode));
  expect(outcomeText(foldWindow(store), mode)).toBe(outcomeText(state, mode));
  const outcome = finishAggregate(state, mode);
  return outcome.ok ? formatDecimal(outcome.value) : outcome.code;
}

describe('sum', () => {
  it('adds non-null values exactly, beyond 2^53', () => {
    expect(
      aggregate(metric('sum'), [
        [1, '9007199254740993'],
        [2, null],
        [3, '2'],
      ]),
    ).toBe('9007199254740995');
  });
  it('adds decimals of mixed scale before one rounding', () => {
    expect(
      aggregate(metric('sum', 1, { class: 'latency', unit: 'milliseconds' }), [
        [1, '0.04'],
        [2, '0.01'],
      ]),
    ).toBe('0.1');
  });
});

describe('max', () => {
  it('takes the largest, ignoring nulls and negative values', () => {
    expect(
      aggregate(metric('max'), [
        [1, '-5'],
        [2, null],
        [3, '210'],
        [4, '209'],
      ]),
    ).toBe('210');
  });
});

describe('last_observed', () => {
  it('takes the value of the latest period holding one, whatever the row order', () => {
    expect(
      aggregate(metric('last_observed'), [
        [3, '30'],
        [1, '10'],
        [4, null],
        [2, '20'],
      ]),
    ).toBe('30');
  });
  it('accepts equal values written differently at the latest period', () => {
    expect(
      aggregate(metric('last_observed', 1, { class: 'rate', unit: 'percentage_points' }), [
        [2, '96.8'],
        [2, '96.80'],
      ]),
    ).toBe('96.8');
  });
  it('refuses two different values at the latest period', () => {
    expect(
      aggregate(metric('last_observed'), [
        [2, '5'],
        [2, '6'],
        [1, '7'],
      ]),
    ).toBe('AMBIGUOUS_LAST_OBSERVED');
  });
  it('forgets an ambiguity at an earlier period', () => {
    expect(
      aggregate(metric('last_observed'), [
        [1, '5'],
        [1, '6'],
        [2, '7'],
      ]),
    ).toBe('7');
  });
});

describe('weighted_average', () => {
  const rate = metric('weighted_average', 2, { class: 'rate', unit: 'percentage_points', weight_metric_id: 'm.w' });
  it('is Σ(v·w)/Σw over rows where both are non-null, rounded once', () => {
    // (99.9·1000 + 99.0·3000) / 4000 = 99.225 → 99.23 (half_up) / 99.22 (half_even)
    const rows: [number, string | null, string | null][] = [
      [1, '99.9', '1000'],
      [2, '99.0', '3000'],
      [3, null, '5000'],
      [4, '10', null],
    ];
    expect(aggregate(rate, rows, 'half_up')).toBe('99.23');
    expect(aggregate(rate, rows, 'half_even')).toBe('99.22');
  });
  it('keeps repeating fractions exact until the rounding step', () => {
    // (1·1 + 0·2) / 3 = 0.3333…
    expect(
      aggregate(rate, [
        [1, '1', '1'],
        [2, '0', '2'],
      ]),
    ).toBe('0.33');
  });
  it('refuses weights that sum to zero', () => {
    expect(
      aggregate(rate, [
        [1, '99', '0'],
        [2, '98', '0'],
      ]),
    ).toBe('ZERO_WEIGHT');
  });
  it('needs at least one row with both value and weight', () => {
    expect(aggregate(rate, [[1, '99', null]])).toBe('NO_OBSERVATIONS');
  });
});

it('a metric with only empty cells has no observations', () => {
  expect(
    aggregate(metric('sum'), [
      [1, null],
      [2, null],
    ]),
  ).toBe('NO_OBSERVATIONS');
});
