/** Money shown as its currency: the exact formatter, the dictionary's `currency` field and its diff rules. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyDictionaryChange } from '../src/core/diff.ts';
import { parseDictionary } from '../src/core/dictionary.ts';
import { currencyFormat, formatMoney, isKnownCurrency } from '../src/core/money.ts';
import { displayValue, unitName } from '../src/core/present.ts';

/** ISO 4217 minor-unit exponents and en-US symbols, written out independently of Intl. */
const CURRENCIES = {
  USD: { exponent: 2, prefix: '$' },
  EUR: { exponent: 2, prefix: '€' },
  JPY: { exponent: 0, prefix: '¥' },
  KWD: { exponent: 3, prefix: 'KWD\u00a0' },
  BHD: { exponent: 3, prefix: 'BHD\u00a0' },
} as const;
type Code = keyof typeof CURRENCIES;

/** The reference: BigInt division for the major and minor parts, BigInt's own exact digit grouping. */
function reference(minorUnits: bigint, code: Code): string {
  const { exponent, prefix } = CURRENCIES[code];
  const magnitude = minorUnits < 0n ? -minorUnits : minorUnits;
  const scale = 10n ** BigInt(exponent);
  const major = (magnitude / scale).toLocaleString('en-US');
  const minor = exponent === 0 ? '' : `.${(magnitude % scale).toString().padStart(exponent, '0')}`;
  return `${minorUnits < 0n ? '−' : ''}${prefix}${major}${minor}`;
}

describe('formatMoney', () => {
  it('shows minor units as the currency, with its own exponent', () => {
    expect(formatMoney('9392299295182327', 'USD')).toBe('$93,922,992,951,823.27');
    expect(formatMoney('1235', 'JPY')).toBe('¥1,235');
    expect(formatMoney('1234567', 'KWD')).toBe('KWD\u00a01,234.567');
    expect(formatMoney('1', 'BHD')).toBe('BHD\u00a00.001');
    expect(formatMoney('7', 'USD')).toBe('$0.07');
  });

  it('writes zero with the exponent and no sign, and a negative with a leading minus', () => {
    expect(formatMoney('0', 'USD')).toBe('$0.00');
    expect(formatMoney('-0', 'USD')).toBe('$0.00');
    expect(formatMoney('0', 'JPY')).toBe('¥0');
    expect(formatMoney('0', 'KWD')).toBe('KWD\u00a00.000');
    expect(formatMoney('-125050', 'USD')).toBe('−$1,250.50');
    expect(formatMoney('-5', 'JPY')).toBe('−¥5');
  });

  it('is exact beyond 2^53, where a float would already be off', () => {
    const twoTo53PlusOne = (2n ** 53n + 1n).toString(); // 9007199254740993: as a double, …992
    expect(Number(twoTo53PlusOne).toString()).not.toBe(twoTo53PlusOne);
    expect(formatMoney(twoTo53PlusOne, 'USD')).toBe('$90,071,992,547,409.93');
    expect(formatMoney('-123456789012345678901234567890123', 'KWD')).toBe(
      '−KWD\u00a0123,456,789,012,345,678,901,234,567,890.123',
    );
    expect(formatMoney('99999999999999999999', 'JPY')).toBe('¥99,999,999,999,999,999,999');
  });

  it('keeps a fraction of a minor unit (an epsilon) instead of rounding it away', () => {
    expect(formatMoney('0.5', 'USD')).toBe('$0.005');
    expect(formatMoney('12.25', 'JPY')).toBe('¥12.25');
    expect(formatMoney('1.50', 'USD')).toBe('$0.015');
  });

  it('agrees with a BigInt reference for any integer, any sign, any size', () => {
    const amount = fc.oneof(
      fc.bigInt({ min: -(2n ** 53n) * 4n, max: 2n ** 53n * 4n }),
      fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
      fc.bigInt({ min: -999n, max: 999n }),
    );
    fc.assert(
      fc.property(amount, fc.constantFrom(...(Object.keys(CURRENCIES) as Code[])), (minorUnits, code) => {
        expect(formatMoney(minorUnits.toString(), code)).toBe(reference(minorUnits, code));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with Intl.NumberFormat given the same amount as an exact decimal string', () => {
    // Intl is only a cross-check here; Readback moves the digits itself (docs/DECISIONS.md)
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        fc.constantFrom(...(Object.keys(CURRENCIES) as Code[])),
        (minorUnits, code) => {
          const { exponent } = CURRENCIES[code];
          const digits = minorUnits.toString().padStart(exponent + 1, '0');
          const decimal = exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
          const intl = new Intl.NumberFormat('en-US', { style: 'currency', currency: code });
          expect(formatMoney(minorUnits.toString(), code)).toBe(intl.format(decimal as unknown as number));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses what is not a plain decimal or not a currency it knows', () => {
    expect(() => formatMoney('1e3', 'USD')).toThrow(RangeError);
    expect(() => formatMoney('1,000', 'USD')).toThrow(RangeError);
    expect(() => formatMoney('100', 'XYZ')).toThrow(RangeError);
  });
});

describe('currencies the formatter knows', () => {
  it('knows ISO 4217 codes and refuses anything else', () => {
    for (const code of ['USD', 'EUR', 'JPY', 'KWD', 'BHD', 'GBP', 'CHF'])
      expect(isKnownCurrency(code), code).toBe(true);
    // Intl would format any three letters (with two decimals): only its list of currencies decides
    for (const code of ['XYZ', 'ABC', 'usd', 'US', 'USDX', '']) expect(isKnownCurrency(code), code).toBe(false);
  });

  it('takes each exponent from the currency', () => {
    expect(Object.fromEntries((Object.keys(CURRENCIES) as Code[]).map((c) => [c, currencyFormat(c).exponent]))).toEqual(
      Object.fromEntries((Object.keys(CURRENCIES) as Code[]).map((c) => [c, CURRENCIES[c].exponent])),
    );
  });
});

describe('displayValue', () => {
  it('shows money with a currency as that currency and money without one as minor units', () => {
    expect(displayValue('9392299295182327', { unit: 'money_minor_units', currency: 'USD' })).toBe(
      '$93,922,992,951,823.27',
    );
    expect(displayValue('9392299295182327', { unit: 'money_minor_units', currency: null })).toBe(
      '9,392,299,295,182,327 minor units',
    );
    expect(displayValue('-1234', { unit: 'count', currency: null })).toBe('−1,234');
    expect(unitName({ unit: 'money_minor_units', currency: 'USD' })).toBe('US Dollar');
    expect(unitName({ unit: 'money_minor_units', currency: null })).toBe('minor currency units');
  });
});

const DICTIONARY = `version: 1.0.0
rounding: half_up
bypass_sentinel: NO_BYPASS
classes:
  count: { epsilon: "0" }
  money: { epsilon: "0" }
metrics:
  - metric_id: m.orders
    label: Orders
    class: count
    unit: count
    aggregation: sum
    precision: 0
    definition: Orders.
    formula_ref: orders v1
    owner: team:orders
  - metric_id: m.fees
    label: Fees
    class: money
    unit: money_minor_units
    aggregation: sum
    precision: 0
    definition: Fees.
    formula_ref: fees v1
    owner: team:finance
`;
const withCurrency = (text: string, metricId: string, line: string) =>
  text.replace(
    new RegExp(`(metric_id: ${metricId.replace('.', '\\.')}[\\s\\S]*?owner: team:\\w+\\n)`),
    `$1    ${line}\n`,
  );
const lineOf = (text: string, fragment: string) => text.split('\n').findIndex((l) => l.includes(fragment)) + 1;

describe('the dictionary field', () => {
  it('accepts a known currency on money, and null or absent as none', () => {
    const usd = parseDictionary(withCurrency(DICTIONARY, 'm.fees', 'currency: USD'), 'metrics.yaml');
    expect(usd.problems).toEqual([]);
    expect(usd.loaded!.metricsById.get('m.fees')!.currency).toBe('USD');
    const none = parseDictionary(withCurrency(DICTIONARY, 'm.fees', 'currency: null'), 'metrics.yaml');
    expect(none.problems).toEqual([]);
    expect(none.loaded!.metricsById.get('m.fees')!.currency).toBeUndefined();
    // the document is hashed as written: `currency: null` is part of it, no default is filled in
    expect(JSON.parse(none.loaded!.canonical).metrics[1].currency).toBeNull();
    expect(JSON.parse(parseDictionary(DICTIONARY, 'metrics.yaml').loaded!.canonical).metrics[1]).not.toHaveProperty(
      'currency',
    );
  });

  it.each([
    ['on a metric that is not money', 'm.orders', 'currency: USD', /m\.orders: currency is only allowed for money/],
    ['that the formatter does not know', 'm.fees', 'currency: XYZ', /"XYZ" is not an ISO 4217 currency code/],
    ['that is not a code', 'm.fees', 'currency: usd', /currency: expected an ISO 4217 currency code/],
    ['that is not a string', 'm.fees', 'currency: 840', /currency: /],
  ])('refuses a currency %s, at file, line and column', (_, metricId, line, message) => {
    const text = withCurrency(DICTIONARY, metricId, line);
    const { loaded, problems } = parseDictionary(text, 'dictionary/metrics.yaml');
    expect(loaded).toBeNull();
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'BAD_DICTIONARY',
        file: 'dictionary/metrics.yaml',
        line: lineOf(text, line),
        column: 15,
        message: expect.stringMatching(message),
      }),
    ]);
  });
});

describe('dictionary diff of a currency', () => {
  const load = (text: string) => parseDictionary(text, 'metrics.yaml').loaded!;
  const next = (text: string, version: string, notes = '') =>
    text.replace('version: 1.0.0', `version: ${version}`).replace('metrics:\n', `${notes}metrics:\n`);
  const diff = (from: string, to: string, history: string[] = []) =>
    classifyDictionaryChange(load(from), load(to), { today: '2026-11-26', history: history.map(load) });

  it('adding one where there was none is CURRENCY_ADDED: clarifying, a minor bump, a note required', () => {
    const to = withCurrency(DICTIONARY, 'm.fees', 'currency: USD');
    const withoutNote = diff(DICTIONARY, next(to, '1.1.0'));
    expect(withoutNote.findings).toEqual([
      expect.objectContaining({
        rule: 'CURRENCY_ADDED',
        class: 'clarifying',
        bump: 'minor',
        metric_id: 'm.fees',
        field: 'currency',
        before: null,
        after: 'USD',
        note_required: true,
        violation: true,
      }),
    ]);
    const notes = 'changes:\n  - { metric_id: m.fees, note: "Fees were always cents." }\n';
    expect(diff(DICTIONARY, next(to, '1.1.0', notes)).ok).toBe(true);
    // a patch bump is not enough
    const patch = diff(DICTIONARY, next(to, '1.0.1', notes));
    expect(patch.ok).toBe(false);
    expect(patch.findings.map((f) => f.rule)).toContain('VERSION_BUMP_INSUFFICIENT');
  });

  it('changing or removing one is SEMANTICS_CHANGED (forbidden), whatever the bump and notes', () => {
    const usd = withCurrency(DICTIONARY, 'm.fees', 'currency: USD');
    const notes = 'changes:\n  - { metric_id: m.fees, note: "Intent." }\n';
    for (const [to, after] of [
      [withCurrency(DICTIONARY, 'm.fees', 'currency: EUR'), 'EUR'],
      [DICTIONARY, null],
      [withCurrency(DICTIONARY, 'm.fees', 'currency: null'), null],
    ] as const) {
      const result = diff(usd, next(to, '2.0.0', notes));
      expect(result.ok).toBe(false);
      expect(result.findings).toEqual([
        expect.objectContaining({
          rule: 'SEMANTICS_CHANGED',
          class: 'forbidden',
          field: 'currency',
          before: 'USD',
          after,
        }),
      ]);
    }
    // unchanged, or written as null where it was absent: nothing to report
    expect(diff(usd, next(usd, '1.0.1')).findings).toEqual([]);
    expect(diff(DICTIONARY, next(withCurrency(DICTIONARY, 'm.fees', 'currency: null'), '1.0.1')).findings).toEqual([]);
  });

  it('a retired id that comes back in another currency is ID_REUSED', () => {
    const usd = withCurrency(DICTIONARY, 'm.fees', 'currency: USD');
    const withoutFees = DICTIONARY.slice(0, DICTIONARY.indexOf('  - metric_id: m.fees'));
    const back = next(withCurrency(DICTIONARY, 'm.fees', 'currency: EUR'), '3.0.0');
    const result = diff(next(withoutFees, '2.0.0'), back, [usd]);
    expect(result.findings.map((f) => [f.rule, f.field])).toContainEqual(['ID_REUSED', 'currency']);
  });
});
