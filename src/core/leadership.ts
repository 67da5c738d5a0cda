/**
 * docs/reference/site.md: what the leadership tiles and their export show, taken from the reconcile report
 * alone: the bypass columns of a period, the tile export's bytes, and a chart's geometry.
 */
import { parseDecimal, rescale } from './decimal.ts';
import type { LeadershipOnlyTuple, ReconcileReport, TuplePeriod, TupleReport } from './schemas.ts';

/** How a tile export's published name ends (before it: `<tuple_id>_<start>_<end>`). */
export const TILE_EXPORT_SUFFIX = '_leadership-tiles.csv';

/** The tile export's first three columns; the metric_ids follow. */
export const TILE_EXPORT_KEY_COLUMNS = ['period_start', 'bypass_audit_id', 'parent_freeze_id'] as const;

/**
 * A period's (bypass, freeze) pairs as two columns: the bypass ids space-separated and the freeze
 * ids in the same order, so the nth of one column belongs to the nth of the other; the sentinel
 * in both when the period has none.
 */
export function bypassColumns(
  pairs: TuplePeriod['leadership_bypasses'],
  sentinel: string,
): { bypass_audit_id: string; parent_freeze_id: string } {
  if (pairs.length === 0) return { bypass_audit_id: sentinel, parent_freeze_id: sentinel };
  return {
    bypass_audit_id: pairs.map((pair) => pair.bypass_audit_id).join(' '),
    parent_freeze_id: pairs.map((pair) => pair.parent_freeze_id || sentinel).join(' '),
  };
}

/** A carve-out period: one whose rows carry a bypass audit id (not only a freeze id). */
export function isCarveOut(pairs: TuplePeriod['leadership_bypasses'], sentinel: string): boolean {
  return pairs.some((pair) => pair.bypass_audit_id !== sentinel);
}

/** One metric of the leadership tiles with leadership's value in each period of the tuple (in the entry's period order). */
export interface TileSeries {
  metric_id: string;
  /** the window's value */
  leadership: string;
  periods: readonly { period_start: string; leadership: string | null }[];
  /** listed under leadership_only: the partner export does not hold it */
  leadership_only: boolean;
}

/** The tuple's leadership-only values, when the report holds them (a report written before them does not). */
export function leadershipOnlyOf(report: ReconcileReport, tupleId: string): LeadershipOnlyTuple | undefined {
  return report.leadership_only?.find((tuple) => tuple.tuple_id === tupleId);
}

/** What the tiles show: the metrics both exports hold, in the entry's order, then the leadership-only ones. */
export function tileSeries(entry: TupleReport, leadershipOnly: LeadershipOnlyTuple | undefined): TileSeries[] {
  return [
    ...entry.metrics.map((m) => ({
      metric_id: m.metric_id,
      leadership: m.leadership,
      periods: m.periods ?? [],
      leadership_only: false,
    })),
    ...(leadershipOnly?.metrics ?? []).map((m) => ({ ...m, leadership_only: true })),
  ];
}

/**
 * docs/reference/site.md: the tile export, one row per period of the tuple: period_start, the period's bypass
 * and freeze ids (bypassColumns, leadership's pairs), then leadership's value of each metric as
 * the report writes it (minor units for money; an empty cell where the period has no value).
 */
export function leadershipTilesCsv(entry: TupleReport, series: readonly TileSeries[], sentinel: string): string {
  const lines = [[...TILE_EXPORT_KEY_COLUMNS, ...series.map((s) => s.metric_id)].join(',')];
  (entry.periods ?? []).forEach((period, index) => {
    const ids = bypassColumns(period.leadership_bypasses, sentinel);
    const values = series.map((s) => s.periods[index]?.leadership ?? '');
    lines.push([period.period_start, ids.bypass_audit_id, ids.parent_freeze_id, ...values].join(','));
  });
  return `${lines.join('\n')}\n`;
}

/** The tile export of one tuple of a report (the bytes the leadership page links to). */
export function tupleTilesCsv(report: ReconcileReport, entry: TupleReport, sentinel: string): string {
  return leadershipTilesCsv(entry, tileSeries(entry, leadershipOnlyOf(report, entry.tuple_id)), sentinel);
}

/** A chart's drawing area, in SVG user units. */
export interface ChartBox {
  width: number;
  height: number;
  /** room kept free on every side, so a point's mark is not cut */
  padding: number;
}

/**
 * Where each value of a series sits on a small chart: x spreads the periods evenly, y places the
 * value between the series' smallest (bottom) and largest (top), computed on the exact decimals
 * (scaled integers, rounded to whole units) so no value passes through a binary float. A flat
 * series sits mid-height; a period without a value has no point (null).
 */
export function chartPoints(values: readonly (string | null)[], box: ChartBox): ({ x: number; y: number } | null)[] {
  const inner = { width: box.width - 2 * box.padding, height: box.height - 2 * box.padding };
  const decimals = values.map((value) => (value === null ? null : parseDecimal(value)));
  const scale = Math.max(0, ...decimals.map((d) => d?.scale ?? 0));
  const units = decimals.map((d) => (d === null ? null : rescale(d, scale).units));
  const present = units.filter((u): u is bigint => u !== null);
  const min = present.reduce((a, b) => (b < a ? b : a), present[0] ?? 0n);
  const max = present.reduce((a, b) => (b > a ? b : a), present[0] ?? 0n);
  const range = max - min;
  const span = BigInt(inner.height);
  return units.map((u, index) => {
    if (u === null) return null;
    // (u − min) / range of the height, rounded half up: an integer number of units from the bottom
    const rise = range === 0n ? span / 2n : ((u - min) * span * 2n + range) / (2n * range);
    return { x: chartX(index, values.length, box), y: box.padding + inner.height - Number(rise) };
  });
}

/** Where the period numbered `index` of `count` sits on a chart's x axis: evenly spread, one alone in the middle. */
export function chartX(index: number, count: number, box: ChartBox): number {
  const width = box.width - 2 * box.padding;
  return box.padding + (count === 1 ? Math.round(width / 2) : Math.round((index * width) / (count - 1)));
}
