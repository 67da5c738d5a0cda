/**
 * How a reconciled value is shown to people: the one place a number is formatted for display.
 * The annex, the HTML readback and the PDF all take their text from here (through the site model).
 */
import { groupDigits } from './decimal.ts';
import { shortHash, tupleRevisionDocument } from './hash.ts';
import { currencyFormat, formatMoney } from './money.ts';
import type { MetricResult, TupleReport } from './schemas.ts';

export { groupDigits };

export const UNIT_SYMBOL: Record<MetricResult['unit'], string> = {
  count: '',
  milliseconds: ' ms',
  percentage_points: '%',
  money_minor_units: ' minor units',
};

export const UNIT_NAME: Record<MetricResult['unit'], string> = {
  count: 'count',
  milliseconds: 'milliseconds',
  percentage_points: 'percentage points',
  money_minor_units: 'minor currency units',
};

/** Whatever a value is shown as: its unit, and for money the currency the dictionary version gives it (null: none). */
export interface ShownAs {
  unit: MetricResult['unit'];
  currency: string | null;
}

/**
 * The value as a reader sees it, never re-rounded: money with a currency as that currency
 * (`$1,234.56`), anything else as grouped digits and the unit's symbol. Exports keep minor units.
 */
export function displayValue(value: string, shownAs: ShownAs): string {
  if (shownAs.unit === 'money_minor_units' && shownAs.currency !== null) return formatMoney(value, shownAs.currency);
  return `${groupDigits(value)}${UNIT_SYMBOL[shownAs.unit]}`;
}

/** The unit in words, the same on every page: money with a currency is named by it ("US Dollar"). */
export function unitName(shownAs: ShownAs): string {
  if (shownAs.unit === 'money_minor_units' && shownAs.currency !== null) return currencyFormat(shownAs.currency).name;
  return UNIT_NAME[shownAs.unit];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const RFC3339_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z$/;

/**
 * An instant as people read it, from its own digits (no clock, no time zone database):
 * `2026-04-01T00:00:00Z` → `1 Apr 2026 00:00 UTC`; seconds only when there are some.
 * Anything that is not an RFC 3339 UTC instant is shown as written.
 */
export function humanInstant(instant: string): string {
  const match = RFC3339_UTC.exec(instant);
  if (!match) return instant;
  const [, , , , hour, minute, second, fraction = ''] = match;
  const seconds = second === '00' && /^\.?0*$/.test(fraction) ? '' : `:${second}${fraction}`;
  return `${humanDate(instant)} ${hour}:${minute}${seconds} UTC`;
}

/** The day of an instant as people read it: `2026-04-06T00:00:00Z` → `6 Apr 2026`. */
export function humanDate(instant: string): string {
  const match = RFC3339_UTC.exec(instant);
  if (!match) return instant;
  const [, year, month, day] = match;
  return `${Number(day)} ${MONTHS[Number(month) - 1] ?? month} ${year}`;
}

/** A window as people read it, start to end: `1 Apr 2026 00:00 UTC to 1 Jul 2026 00:00 UTC` (the end is not part of it). */
export function humanWindow(window: { start_inclusive: string; end_exclusive: string }): string {
  return `${humanInstant(window.start_inclusive)} to ${humanInstant(window.end_exclusive)}`;
}

/** What a page shows for a fact the report entry does not hold (an invalid tuple's window, say). */
export const NOT_HELD = '—';

/** The facts of a tuple, besides its metrics, that pages show: each as they show it (`data-field` names them). */
export const TUPLE_FACT_FIELDS = [
  'start_inclusive',
  'end_exclusive',
  'run_id',
  'dictionary_version',
  'dictionary_sha256',
  'tuple_revision_hash',
  'short_hash',
  'tuple_revision_hex',
  'hash_document',
  'artifact_id',
  'status',
  'metric_count',
  'leadership_sha256',
  'partner_sha256',
] as const;
export type TupleFactField = (typeof TUPLE_FACT_FIELDS)[number];

/**
 * Every fact of a report entry a page shows, formatted once here: the site model and the pages
 * take their text from it, and `readback verify` checks what a page shows against it.
 */
export function tupleFacts(entry: TupleReport): Record<TupleFactField, string> {
  const hash = entry.tuple_revision_hash;
  const { window, dictionary_version, dictionary_sha256 } = entry;
  const leadership = entry.exports.leadership?.sha256;
  const partner = entry.exports.partner?.sha256;
  const hashed = window && dictionary_version && dictionary_sha256 && leadership && partner;
  return {
    start_inclusive: window?.start_inclusive ?? NOT_HELD,
    end_exclusive: window?.end_exclusive ?? NOT_HELD,
    run_id: entry.run_id ?? NOT_HELD,
    dictionary_version: dictionary_version ?? NOT_HELD,
    dictionary_sha256: dictionary_sha256 ?? NOT_HELD,
    tuple_revision_hash: hash ?? NOT_HELD,
    short_hash: hash ? `sha256:${shortHash(hash)}` : NOT_HELD,
    tuple_revision_hex: hash ? hash.replace(/^sha256:/, '') : NOT_HELD,
    hash_document: hashed
      ? tupleRevisionDocument({
          tuple_id: entry.tuple_id,
          start_inclusive: window.start_inclusive,
          end_exclusive: window.end_exclusive,
          dictionary_version,
          dictionary_sha256,
          leadership_sha256: leadership,
          partner_sha256: partner,
        })
      : NOT_HELD,
    artifact_id: entry.artifact_id,
    status: entry.status,
    metric_count: String(entry.metrics.length),
    leadership_sha256: leadership ?? NOT_HELD,
    partner_sha256: partner ?? NOT_HELD,
  };
}
