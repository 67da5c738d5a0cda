/** docs/reference/workspace.md: RFC 3339 UTC timestamps with a `Z` suffix. */

const UTC_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;
const RFC3339_ANY_OFFSET = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Nanoseconds since the epoch as a bigint, so comparisons are exact at any written
 * precision; null when `text` is not a real UTC instant written with `Z`.
 */
export function parseUtcInstant(text: string): bigint | null {
  const match = UTC_TIMESTAMP.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute, second, fraction] = match;
  const ms = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
  const date = new Date(ms);
  const roundTrip =
    date.getUTCFullYear() === Number(year) &&
    date.getUTCMonth() === Number(month) - 1 &&
    date.getUTCDate() === Number(day) &&
    date.getUTCHours() === Number(hour) &&
    date.getUTCMinutes() === Number(minute) &&
    date.getUTCSeconds() === Number(second);
  if (!roundTrip || Number(year) < 1) return null;
  const nanos = fraction ? BigInt(fraction.padEnd(9, '0')) : 0n;
  return BigInt(ms) * 1_000_000n + nanos;
}

/**
 * Why an RFC 3339 timestamp that is not in the form docs/reference/workspace.md asks for (`YYYY-MM-DDTHH:MM:SSZ`) was
 * refused, or null when it is not RFC 3339 at all (or is in that form).
 */
export function rfc3339Variant(text: string): string | null {
  const match = RFC3339_ANY_OFFSET.exec(text);
  if (!match || UTC_TIMESTAMP.test(text)) return null;
  if (match[2] !== 'Z' && match[2] !== 'z') return 'it carries an offset; write it in UTC with a Z suffix';
  return 'write it with an uppercase T between date and time and an uppercase Z, as in 2026-04-06T00:00:00Z';
}

export function instantToMs(instant: bigint): number {
  return Number(instant / 1_000_000n);
}
