/** SPEC §4: RFC 3339 UTC timestamps with a `Z` suffix. */

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

/** An RFC 3339 timestamp with some offset, e.g. `+00:00`: well-formed but not in the `Z` form SPEC §4 asks for. */
export function isOffsetTimestamp(text: string): boolean {
  return RFC3339_ANY_OFFSET.test(text) && !UTC_TIMESTAMP.test(text);
}

export function instantToMs(instant: bigint): number {
  return Number(instant / 1_000_000n);
}
