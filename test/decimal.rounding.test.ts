import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareDecimal,
  formatDecimal,
  formatSafeDecimal,
  groupDigits,
  parseDecimal,
  roundDecimal,
  roundRational,
  roundSafeRational,
} from '../src/core/decimal.ts';

const round = (text: string, precision: number, mode: 'half_up' | 'half_even') =>
  formatDecimal(roundDecimal(parseDecimal(text)!, precision, mode));

describe('parseDecimal', () => {
  it('accepts plain decimals only', () => {
    for (const ok of ['0', '-0', '12', '-3.75', '007', '99.950']) expect(parseDecimal(ok), ok).not.toBeNull();
    for (const bad of [
      '',
      '1,234',
      '1e3',
      '0x10',
      '+5',
      '(12)',
      '94%',
      'NaN',
      'Infinity',
      '1.',
      '.5',
      ' 1',
      '1\u00a0',
      '--1',
      '1.2.3',
    ]) {
      expect(parseDecimal(bad), bad).toBeNull();
    }
  });
  it('keeps every digit of money above 2^53', () => {
    const big = parseDecimal('9007199254740993')!;
    expect(formatDecimal(big)).toBe('9007199254740993');
    expect(compareDecimal(big, parseDecimal('9007199254740992')!)).toBe(1);
    expect(Number('9007199254740993') === Number('9007199254740992')).toBe(true); // why floats are banned
  });
  it('compares numerically, not textually', () => {
    expect(compareDecimal(parseDecimal('96.8')!, parseDecimal('96.80')!)).toBe(0);
    expect(compareDecimal(parseDecimal('-1.5')!, parseDecimal('-1.25')!)).toBe(-1);
  });
});

describe('rounding', () => {
  it('half_up rounds ties away from zero', () => {
    expect(round('2.5', 0, 'half_up')).toBe('3');
    expect(round('-2.5', 0, 'half_up')).toBe('-3');
    expect(round('0.125', 2, 'half_up')).toBe('0.13');
    expect(round('-0.125', 2, 'half_up')).toBe('-0.13');
  });
  it('half_even rounds ties to the even neighbour', () => {
    expect(round('2.5', 0, 'half_even')).toBe('2');
    expect(round('3.5', 0, 'half_even')).toBe('4');
    expect(round('-2.5', 0, 'half_even')).toBe('-2');
    expect(round('0.125', 2, 'half_even')).toBe('0.12');
    expect(round('0.135', 2, 'half_even')).toBe('0.14');
  });
  it('both modes agree off ties', () => {
    for (const text of ['2.49', '2.51', '-2.51', '0.1249', '99.9549', '99.955001']) {
      expect(round(text, 1, 'half_up')).toBe(round(text, 1, 'half_even'));
    }
  });
  it('pads to the precision and never writes -0', () => {
    expect(round('96.8', 2, 'half_up')).toBe('96.80');
    expect(round('-0.001', 2, 'half_up')).toBe('0.00');
  });
  it('rounds exact fractions once', () => {
    // 2/3 at 2 places; 1/8 = 0.125 is a tie
    expect(formatDecimal(roundRational(2n, 3n, 2, 'half_up'))).toBe('0.67');
    expect(formatDecimal(roundRational(1n, 8n, 2, 'half_up'))).toBe('0.13');
    expect(formatDecimal(roundRational(1n, 8n, 2, 'half_even'))).toBe('0.12');
    expect(formatDecimal(roundRational(-1n, 8n, 2, 'half_even'))).toBe('-0.12');
    expect(formatDecimal(roundRational(1n, -8n, 2, 'half_up'))).toBe('-0.13');
  });
});

describe('formatSafeDecimal', () => {
  it('writes a safe integer number of units as formatDecimal writes them as a bigint', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.maxSafeInteger(), fc.integer({ min: -1000, max: 1000 }), fc.constant(-0)),
        fc.integer({ min: 0, max: 20 }),
        (units, scale) => {
          expect(formatSafeDecimal(units, scale)).toBe(formatDecimal({ units: BigInt(units), scale }));
        },
      ),
    );
  });
});

describe('roundSafeRational', () => {
  it('rounds as roundRational does, or declines', () => {
    const integer = fc.oneof(
      fc.integer({ min: -1000, max: 1000 }),
      fc.maxSafeInteger(),
      fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
    );
    fc.assert(
      fc.property(
        integer,
        integer,
        fc.integer({ min: 0, max: 6 }),
        fc.constantFrom('half_up', 'half_even' as const),
        (numerator, denominator, precision, mode) => {
          fc.pre(denominator !== 0);
          const units = roundSafeRational(numerator, denominator, precision, mode);
          const exact = roundRational(BigInt(numerator), BigInt(denominator), precision, mode);
          if (units !== null) expect(formatSafeDecimal(units, precision)).toBe(formatDecimal(exact));
          else expect(Math.abs(numerator) * 10 ** precision).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
        },
      ),
      { numRuns: 3000 },
    );
    // ties both ways
    expect(roundSafeRational(5, 2, 0, 'half_even')).toBe(2);
    expect(roundSafeRational(-5, 2, 0, 'half_up')).toBe(-3);
    expect(roundSafeRational(15, -2, 0, 'half_even')).toBe(-8);
  });
});

describe('groupDigits', () => {
  /** The grouping as a regular expression writes it: a comma before every three digits from the right. */
  const byExpression = (decimal: string) => {
    const negative = decimal.startsWith('-');
    const [integer, fraction] = (negative ? decimal.slice(1) : decimal).split('.');
    const grouped = integer!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return `${negative ? '−' : ''}${grouped}${fraction !== undefined ? `.${fraction}` : ''}`;
  };

  it('groups the integer digits in threes, the fraction and the sign as given', () => {
    expect(groupDigits('9392299295182327')).toBe('9,392,299,295,182,327');
    expect(groupDigits('-1234.5678')).toBe('−1,234.5678');
    expect(groupDigits('999')).toBe('999');
    expect(groupDigits('1000')).toBe('1,000');
    expect(groupDigits('0.001')).toBe('0.001');
  });

  it('writes what the regular expression writes, for any decimal string', () => {
    const decimal = fc
      .tuple(fc.boolean(), fc.stringMatching(/^\d{1,25}$/), fc.option(fc.stringMatching(/^\d{1,8}$/)))
      .map(
        ([negative, integer, fraction]) => `${negative ? '-' : ''}${integer}${fraction === null ? '' : `.${fraction}`}`,
      );
    fc.assert(fc.property(decimal, (text) => groupDigits(text) === byExpression(text)));
  });
});
