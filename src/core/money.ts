/**
 * Money in minor units shown as its currency (`$93,922,992,951,823.27`, `¥1,235`, `KWD 1.234`):
 * exactly, on the decimal string, never through a float. Intl (fixed locale en-US) is asked only
 * for what it knows of a currency: whether it is one, its symbol and where the symbol goes, and
 * its minor-unit exponent. The digits are moved and grouped here, so a value beyond 2^53 or one
 * with a fraction of a minor unit (an epsilon of "0.5") is never rounded.
 */
import { formatDecimal, groupDigits, normalizeScale, parseDecimal } from './decimal.ts';

/** ISO 4217 alphabetic code. */
export const CURRENCY_CODE = /^[A-Z]{3}$/;

/** Display text is the same on every machine: one locale, never the reader's. */
const LOCALE = 'en-US';

export interface CurrencyFormat {
  code: string;
  /** digits of the minor unit: USD 2, JPY 0, KWD 3 */
  exponent: number;
  /** what stands before the amount, symbol and spacing included: `$`, `¥`, `KWD\u00a0` */
  prefix: string;
  /** what stands after it (nothing in en-US, kept for completeness) */
  suffix: string;
  /** English name: @example "US Dollar" */
  name: string;
}

let known: ReadonlySet<string> | null = null;

/** Whether the formatter knows `code` as a currency (Intl accepts any three letters, so its list decides). */
export function isKnownCurrency(code: string): boolean {
  known ??= new Set(Intl.supportedValuesOf('currency'));
  return CURRENCY_CODE.test(code) && known.has(code);
}

const formats = new Map<string, CurrencyFormat>();

/** What Intl knows of a currency; throws for a code the dictionary check refuses (a programmer error here). */
export function currencyFormat(code: string): CurrencyFormat {
  const cached = formats.get(code);
  if (cached) return cached;
  if (!isKnownCurrency(code)) throw new RangeError(`${code} is not a currency the formatter knows`);
  const intl = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: code });
  const parts = intl.formatToParts(1);
  const number = (type: string) => type === 'integer' || type === 'group' || type === 'decimal' || type === 'fraction';
  const first = parts.findIndex((part) => number(part.type));
  const last = parts.length - 1 - [...parts].reverse().findIndex((part) => number(part.type));
  const format: CurrencyFormat = {
    code,
    exponent: intl.resolvedOptions().maximumFractionDigits ?? 2,
    prefix: parts
      .slice(0, first)
      .map((part) => part.value)
      .join(''),
    suffix: parts
      .slice(last + 1)
      .map((part) => part.value)
      .join(''),
    name: new Intl.DisplayNames(LOCALE, { type: 'currency' }).of(code) ?? code,
  };
  formats.set(code, format);
  return format;
}

/**
 * A decimal string of minor units as its currency: `("9392299295182327", "USD")` →
 * `$93,922,992,951,823.27`, `("-5", "JPY")` → `−¥5`. At least the currency's exponent of
 * fraction digits, more only when the value holds a fraction of a minor unit.
 */
export function formatMoney(minorUnits: string, code: string): string {
  const value = parseDecimal(minorUnits);
  if (!value) throw new RangeError(`"${minorUnits}" is not a plain decimal`);
  const format = currencyFormat(code);
  const major = normalizeScale({ units: value.units, scale: value.scale + format.exponent }, format.exponent);
  const grouped = groupDigits(formatDecimal(major));
  const negative = grouped.startsWith('−');
  return `${negative ? '−' : ''}${format.prefix}${negative ? grouped.slice(1) : grouped}${format.suffix}`;
}
