/** Cells observed into the compact per-period store (src/core/period-aggregates.ts), as ExportAccumulator does. */
import {
  type AggregateState,
  cellValues,
  finishAggregate,
  mergeAggregate,
  newAggregate,
} from '../../src/core/aggregate.ts';
import { type CellValue, formatDecimal } from '../../src/core/decimal.ts';
import { PeriodAggregates, PeriodIndex } from '../../src/core/period-aggregates.ts';
import type { Metric } from '../../src/core/schemas.ts';

export interface ObservedCell {
  period: bigint;
  periodText: string;
  value: CellValue | null;
  weight: CellValue | null;
  line: number;
}

/** The store after observing `cells` in order, and its periods. */
export function observePeriods(metric: Metric, cells: readonly ObservedCell[]) {
  const periods = new PeriodIndex();
  const store = new PeriodAggregates(metric, periods);
  for (const cell of cells) {
    const number = periods.numberOf(cell.period, cell.periodText, cell.line);
    store.reserve(periods.count);
    store.observe(number, cellValues(cell.value, cell.weight), 0, 1, cell.periodText, cell.line);
  }
  return { store, periods };
}

/** The window's aggregate as ExportAccumulator.finish folds it. */
export function foldWindow(store: PeriodAggregates): AggregateState {
  const window = newAggregate(store.metric);
  store.foldInto(window);
  return window;
}

/** The window's aggregate: each period's state merged, as a reference for `foldInto`. */
export function foldPeriods(store: PeriodAggregates, periods: PeriodIndex): AggregateState {
  const window = newAggregate(store.metric);
  const period = newAggregate(store.metric);
  for (let number = 0; number < periods.count; number++) {
    store.loadPeriod(number, period);
    mergeAggregate(window, period);
  }
  window.observations = store.observations;
  window.nulls = store.nulls;
  return window;
}

/** An outcome as text: the value, or the problem's code, line and message. */
export function outcomeText(state: AggregateState, mode: 'half_up' | 'half_even' = 'half_even'): string {
  const outcome = finishAggregate(state, mode);
  return outcome.ok ? formatDecimal(outcome.value) : `${outcome.code}@${outcome.line}: ${outcome.message}`;
}
