/**
 * Exact decimal arithmetic on scaled bigints. A KPI value is never a binary float:
 * `units / 10^scale` is the number, both parts exact. docs/reference/checks.md requires exact
 * aggregation and a single rounding step; this module is the only place numbers
 * are parsed, rounded and formatted.
 */

export interface Decimal {
  /** the value times 10^scale */
  readonly units: bigint;
  /** digits after the decimal point */
  readonly scale: number;
}

/** A plain decimal as docs/reference/workspace.md allows it in an export: `-?\d+(\.\d+)?`. */
export const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

export type RoundingMode = 'half_up' | 'half_even';

const powersOfTen: bigint[] = [1n];
export function pow10(exponent: number): bigint {
  if (exponent < 0 || !Number.isInteger(exponent)) throw new RangeError(`pow10(${exponent})`);
  while (powersOfTen.length <= exponent) powersOfTen.push(powersOfTen[powersOfTen.length - 1]! * 10n);
  return powersOfTen[exponent]!;
}

/**
 * A cell value small enough to be held exactly in a double: |small| < 10^15 units. The hot path
 * adds these as numbers and turns them into bigints only when a total approaches 2^53.
 */
export interface SmallDecimal {
  readonly small: number;
  readonly scale: number;
}

export type CellValue = Decimal | SmallDecimal;

export function isSmall(value: CellValue): value is SmallDecimal {
  return (value as SmallDecimal).small !== undefined;
}

export function toDecimal(value: CellValue): Decimal {
  return isSmall(value) ? { units: BigInt(value.small), scale: value.scale } : value;
}

/**
 * Where `scanDecimal` puts cell values, by slot: `small` at `scale` for up to 15 digits (exact in
 * a double), `large` (a bigint) at `scale` beyond. Typed arrays reused from row to row, so the hot
 * path allocates nothing.
 */
export interface DecimalSlots {
  small: Float64Array;
  scale: Int32Array;
  large: bigint[];
}

/** What `scanDecimal` found. */
export const NOT_A_NUMBER = 0;
export const SMALL = 1;
export const LARGE = 2;

export function newDecimalSlots(count: number): DecimalSlots {
  return { small: new Float64Array(count), scale: new Int32Array(count), large: new Array<bigint>(count).fill(0n) };
}

/**
 * Scans `bytes[start, end)` as a plain decimal (`PLAIN_DECIMAL`, ASCII) into `slots` at `slot`.
 * This runs for every metric cell of every export, straight on the file's bytes.
 * Returns NOT_A_NUMBER, SMALL or LARGE.
 */
export function scanDecimal(bytes: Uint8Array, start: number, end: number, slots: DecimalSlots, slot: number): number {
  let i = bytes[start] === 45 ? start + 1 : start; // '-'
  const first = i;
  let point = -1;
  let small = 0;
  for (; i < end; i++) {
    const c = bytes[i]!;
    if (c >= 48 && c <= 57) small = small * 10 + (c - 48);
    else if (c === 46 && point === -1 && i > first && i < end - 1) point = i;
    else return NOT_A_NUMBER;
  }
  if (i === first) return NOT_A_NUMBER;
  slots.scale[slot] = point === -1 ? 0 : end - point - 1;
  const digits = end - first - (point === -1 ? 0 : 1);
  // up to 15 digits fit a double exactly
  if (digits <= 15) {
    slots.small[slot] = first > start && small !== 0 ? -small : small;
    return SMALL;
  }
  let text = '';
  for (let k = first; k < end; k++) if (k !== point) text += String.fromCharCode(bytes[k]!);
  slots.large[slot] = first > start ? -BigInt(text) : BigInt(text);
  return LARGE;
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(256);

/** `scanDecimal` on a string (any character outside ASCII encodes to bytes that are not digits). */
export function scanDecimalText(text: string, slots: DecimalSlots, slot: number): number {
  if (scratch.length < text.length * 3) scratch = new Uint8Array(text.length * 3);
  const { written } = encoder.encodeInto(text, scratch);
  return scanDecimal(scratch, 0, written, slots, slot);
}

const parsed = newDecimalSlots(1);

/** Parses a plain decimal (`PLAIN_DECIMAL`); up to 15 digits come back as a SmallDecimal. */
export function parseCell(text: string): CellValue | null {
  const kind = scanDecimalText(text, parsed, 0);
  if (kind === NOT_A_NUMBER) return null;
  return kind === SMALL
    ? { small: parsed.small[0]!, scale: parsed.scale[0]! }
    : { units: parsed.large[0]!, scale: parsed.scale[0]! };
}

/** Parses a plain decimal; returns null for anything else (exponents, separators, signs other than a leading `-`). */
export function parseDecimal(text: string): Decimal | null {
  const value = parseCell(text);
  return value === null ? null : toDecimal(value);
}

export function decimalFromInteger(value: bigint): Decimal {
  return { units: value, scale: 0 };
}

/** Rewrites `value` at a larger scale (never loses digits). */
export function rescale(value: Decimal, scale: number): Decimal {
  if (scale < value.scale) throw new RangeError(`cannot rescale ${value.scale} down to ${scale} without rounding`);
  if (scale === value.scale) return value;
  return { units: value.units * pow10(scale - value.scale), scale };
}

export function addDecimal(a: Decimal, b: Decimal): Decimal {
  if (a.scale === b.scale) return { units: a.units + b.units, scale: a.scale };
  const scale = Math.max(a.scale, b.scale);
  return { units: rescale(a, scale).units + rescale(b, scale).units, scale };
}

export function multiplyDecimal(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

export function compareDecimal(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const scale = Math.max(a.scale, b.scale);
  const x = rescale(a, scale).units;
  const y = rescale(b, scale).units;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Rounds the exact rational `numerator / denominator` to `precision` decimal places.
 * half_up rounds ties away from zero; half_even rounds ties to the even neighbour.
 * Returns the result as units at scale `precision`.
 */
export function roundRational(numerator: bigint, denominator: bigint, precision: number, mode: RoundingMode): Decimal {
  if (denominator === 0n) throw new RangeError('division by zero');
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const negative = numerator < 0n;
  const scaled = (negative ? -numerator : numerator) * pow10(precision);
  let quotient = scaled / denominator;
  const twiceRemainder = (scaled % denominator) * 2n;
  if (twiceRemainder > denominator) quotient += 1n;
  else if (twiceRemainder === denominator) {
    if (mode === 'half_up' || quotient % 2n === 1n) quotient += 1n;
  }
  const units = negative ? -quotient : quotient;
  return { units: units === 0n ? 0n : units, scale: precision };
}

/**
 * `roundRational` in doubles, for a numerator and denominator that are safe integers: the units
 * at scale `precision`, or null when |numerator| × 10^precision is not a safe integer. `%` of
 * doubles is exact, so is the quotient of what it leaves.
 */
export function roundSafeRational(
  numerator: number,
  denominator: number,
  precision: number,
  mode: RoundingMode,
): number | null {
  if (denominator === 0 || !Number.isSafeInteger(denominator) || !Number.isSafeInteger(numerator)) return null;
  if (denominator < 0) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const scaled = Math.abs(numerator) * 10 ** precision;
  if (!Number.isSafeInteger(scaled)) return null;
  const remainder = scaled % denominator;
  let quotient = (scaled - remainder) / denominator;
  const twiceRemainder = remainder * 2;
  if (twiceRemainder > denominator) quotient += 1;
  else if (twiceRemainder === denominator && (mode === 'half_up' || quotient % 2 === 1)) quotient += 1;
  return numerator < 0 && quotient !== 0 ? -quotient : quotient;
}

export function roundDecimal(value: Decimal, precision: number, mode: RoundingMode): Decimal {
  if (value.scale <= precision) return rescale(value, precision);
  return roundRational(value.units, pow10(value.scale), precision, mode);
}

export function absDecimal(value: Decimal): Decimal {
  return value.units < 0n ? { units: -value.units, scale: value.scale } : value;
}

export function subtractDecimal(a: Decimal, b: Decimal): Decimal {
  return addDecimal(a, { units: -b.units, scale: b.scale });
}

/** Formats with exactly `value.scale` decimals; `-0` is written `0`. */
export function formatDecimal(value: Decimal): string {
  const negative = value.units < 0n;
  return withPoint((negative ? -value.units : value.units).toString(), value.scale, negative);
}

/** `formatDecimal({ units, scale })` for units that are a safe integer, without a bigint. */
export function formatSafeDecimal(units: number, scale: number): string {
  return withPoint(String(Math.abs(units)), scale, units < 0);
}

function withPoint(digits: string, scale: number, negative: boolean): string {
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  }
  return negative ? `-${digits}` : digits;
}

/** Groups the integer digits of an exact decimal string in threes (`"9392299295182327"` → `"9,392,299,295,182,327"`); a minus is written `−` (U+2212). */
export function groupDigits(decimal: string): string {
  const negative = decimal.startsWith('-');
  const start = negative ? 1 : 0;
  const point = decimal.indexOf('.', start);
  const end = point === -1 ? decimal.length : point;
  return `${negative ? '−' : ''}${inThrees(decimal.slice(start, end))}${decimal.slice(end)}`;
}

const DIGITS = /^\d+$/;

/**
 * A run of digits with a comma before every three from the right (what `\B(?=(\d{3})+(?!\d))`
 * gives, without the regular expression: a site model shows some hundred thousand numbers, and
 * the expression's lookahead was a tenth of its making). Anything else as the expression gives it.
 */
function inThrees(integer: string): string {
  if (!DIGITS.test(integer)) return integer.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const head = integer.length % 3 || 3;
  let grouped = integer.slice(0, head);
  for (let at = head; at < integer.length; at += 3) grouped += `,${integer.slice(at, at + 3)}`;
  return grouped;
}

/** The smallest scale that writes `value` exactly (at least `minimumScale`). */
export function normalizeScale(value: Decimal, minimumScale = 0): Decimal {
  let { units, scale } = value;
  while (scale > minimumScale && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  return scale < minimumScale ? rescale({ units, scale }, minimumScale) : { units, scale };
}
