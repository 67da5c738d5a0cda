/**
 * A per-period series drawn as a sparkline: drawing coordinates computed exactly from the
 * reconciled decimal strings (bigint arithmetic, rounded once to hundredths of a point), so the
 * same values always give the same drawing and the same PDF bytes.
 */
import { compareDecimal, type Decimal, formatDecimal, parseDecimal, rescale, roundRational } from './decimal.ts';

export interface SparklineBox {
  /** in points, whole numbers */
  width: number;
  height: number;
}

/** A point of the drawing, as decimal strings of points. */
export interface SparkPoint {
  x: string;
  y: string;
}

export interface Sparkline {
  /** runs of consecutive periods with a value; a period without one breaks the line */
  runs: SparkPoint[][];
  /** one point per period (null: no value), in period order */
  points: (SparkPoint | null)[];
  /** the height a reference value (a target) is drawn at, or null when none was given */
  referenceY: string | null;
}

const DRAWING_DECIMALS = 2;

/**
 * Places each value of `values` (decimal strings, null for a period without one) in `box`: x by
 * period, evenly spaced; y from the lowest value (bottom) to the highest (top). `reference` (a
 * target's operand) is included in the range, so the line and the target it is read against share
 * one scale. A flat series sits in the middle.
 */
export function sparkline(values: readonly (string | null)[], box: SparklineBox, reference?: string | null): Sparkline {
  const parsed = values.map((value) => (value === null ? null : parseDecimal(value)));
  const referenceValue = reference ? parseDecimal(reference) : null;
  const known = [...parsed, referenceValue].filter((value): value is Decimal => value !== null);
  if (known.length === 0) return { runs: [], points: parsed.map(() => null), referenceY: null };
  const scale = Math.max(...known.map((value) => value.scale));
  const units = (value: Decimal) => rescale(value, scale).units;
  const low = units(known.reduce((a, b) => (compareDecimal(a, b) <= 0 ? a : b)));
  const high = units(known.reduce((a, b) => (compareDecimal(a, b) >= 0 ? a : b)));
  const coordinate = (numerator: bigint, denominator: bigint) =>
    formatDecimal(roundRational(numerator, denominator, DRAWING_DECIMALS, 'half_up'));
  const height = BigInt(box.height);
  const yOf = (value: Decimal) =>
    high === low ? coordinate(height, 2n) : coordinate(height * (high - units(value)), high - low);
  const last = BigInt(Math.max(parsed.length - 1, 1));
  const xOf = (index: number) =>
    parsed.length === 1 ? coordinate(BigInt(box.width), 2n) : coordinate(BigInt(box.width) * BigInt(index), last);
  const points = parsed.map((value, index) => (value === null ? null : { x: xOf(index), y: yOf(value) }));
  const runs: SparkPoint[][] = [];
  let run: SparkPoint[] = [];
  for (const point of points) {
    if (point) run.push(point);
    else if (run.length > 0) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length > 0) runs.push(run);
  return { runs, points, referenceY: referenceValue ? yOf(referenceValue) : null };
}

/** A run as an SVG `points` attribute: `0,12.5 10,3`. */
export function polylinePoints(run: readonly SparkPoint[]): string {
  return run.map((point) => `${point.x},${point.y}`).join(' ');
}
