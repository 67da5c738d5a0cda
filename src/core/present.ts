/**
 * How a reconciled value is shown to people: the one place a number is formatted for display.
 * The annex, the HTML readback and the PDF all take their text from here (through the site model).
 */
import type { MetricResult } from './schemas.ts';

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

/** Groups the integer digits of an exact decimal string in threes ("9392299295182327" → "9,392,299,295,182,327"). */
export function groupDigits(decimal: string): string {
  const negative = decimal.startsWith('-');
  const [integer, fraction] = (negative ? decimal.slice(1) : decimal).split('.');
  const grouped = integer!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '−' : ''}${grouped}${fraction !== undefined ? `.${fraction}` : ''}`;
}

/** The value as a reader sees it: grouped digits and the unit's symbol, never re-rounded. */
export function displayValue(value: string, unit: MetricResult['unit']): string {
  return `${groupDigits(value)}${UNIT_SYMBOL[unit]}`;
}
