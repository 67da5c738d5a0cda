/** fast-check properties of the engine (issue: hostile input). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AggregateState, finishAggregate, mergeAggregate, newAggregate, observe } from '../src/core/aggregate.ts';
import {
  type Decimal,
  formatDecimal,
  parseCell,
  parseDecimal,
  roundDecimal,
  roundRational,
} from '../src/core/decimal.ts';
import { ExportAccumulator } from '../src/core/exports.ts';
import { parseDictionary } from '../src/core/dictionary.ts';
import type { Metric } from '../src/core/schemas.ts';
import { TextGuard } from '../src/core/text-guard.ts';
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { readExport } from '../src/io/csv-reader.ts';
import { reconcileWorkspace } from '../src/io/reconcile-workspace.ts';
import { foldPeriods, foldWindow, observePeriods, outcomeText } from './helpers/periods.ts';
import { REPO_ROOT, syntheticWorkspace, tempDir } from './helpers/workspace.ts';

const decimalText = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.integer({ min: 0, max: 6 }))
  .map(([negative, units, scale]) => formatDecimal({ units: negative ? -units : units, scale }));
const metric = (aggregation: Metric['aggregation']): Metric => ({
  metric_id: 'm.p',
  label: 'P',
  class: 'latency',
  unit: 'milliseconds',
  aggregation,
  precision: 2,
  definition: '',
  formula_ref: 'f',
  owner: 'o',
  weight_metric_id: aggregation === 'weighted_average' ? 'm.w' : undefined,
});

function aggregateRows(
  aggregation: Metric['aggregation'],
  rows: { period: number; value: string; weight: string }[],
): string {
  const state = newAggregate(metric(aggregation));
  rows.forEach((row, i) =>
    observe(state, parseDecimal(row.value), parseDecimal(row.weight), BigInt(row.period), String(row.period), i),
  );
  const outcome = finishAggregate(state, 'half_even');
  return outcome.ok ? formatDecimal(outcome.value) : outcome.code;
}

const rows = fc.array(
  fc.record({
    period: fc.integer({ min: 0, max: 5 }),
    value: decimalText,
    weight: fc.bigInt({ min: 1n, max: 10n ** 9n }).map(String),
  }),
  { minLength: 1, maxLength: 30 },
);

describe('aggregation', () => {
  it.each(['sum', 'max', 'last_observed', 'weighted_average'] as const)(
    '%s does not depend on row order',
    (aggregation) => {
      fc.assert(
        fc.property(rows, fc.infiniteStream(fc.nat()), (input, randomness) => {
          const shuffled = [...input];
          for (let i = shuffled.length - 1; i > 0; i--) {
            const j = randomness.next().value % (i + 1);
            [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
          }
          expect(aggregateRows(aggregation, shuffled)).toBe(aggregateRows(aggregation, input));
        }),
      );
    },
  );

  it('splitting a value across rows does not change a sum', () => {
    fc.assert(
      fc.property(rows, fc.nat(), decimalText, (input, index, part) => {
        const i = index % input.length;
        const row = input[i]!;
        const rest = formatDecimal(subtract(parseDecimal(row.value)!, parseDecimal(part)!));
        const split = [...input.slice(0, i), { ...row, value: part }, { ...row, value: rest }, ...input.slice(i + 1)];
        expect(aggregateRows('sum', split)).toBe(aggregateRows('sum', input));
      }),
    );
  });
});

describe('per-period aggregates (SPEC §8.1)', () => {
  it.each(['sum', 'max', 'last_observed', 'weighted_average'] as const)(
    "%s: folding the periods' states gives the window's aggregate, its error and its line",
    (aggregation) => {
      const outcome = (state: AggregateState) => {
        const result = finishAggregate(state, 'half_even');
        return result.ok ? formatDecimal(result.value) : `${result.code}@${result.line}`;
      };
      fc.assert(
        fc.property(rows, (input) => {
          const whole = newAggregate(metric(aggregation));
          const periods = new Map<number, AggregateState>();
          input.forEach((row, i) => {
            const value = parseDecimal(row.value);
            const weight = parseDecimal(row.weight);
            observe(whole, value, weight, BigInt(row.period), String(row.period), i);
            if (!periods.has(row.period)) periods.set(row.period, newAggregate(metric(aggregation)));
            observe(periods.get(row.period)!, value, weight, BigInt(row.period), String(row.period), i);
          });
          const folded = newAggregate(metric(aggregation));
          for (const state of periods.values()) mergeAggregate(folded, state);
          expect(outcome(folded)).toBe(outcome(whole));
          expect([folded.observations, folded.nulls, folded.weightedRows]).toEqual([
            whole.observations,
            whole.nulls,
            whole.weightedRows,
          ]);
        }),
      );
    },
  );
});

describe('the compact per-period store (SPEC §8.1)', () => {
  // empty cells and weights, values past 15 digits and of mixed scales, zero weights, and an instant written two ways
  const cells = fc.array(
    fc.record({
      period: fc.integer({ min: 0, max: 5 }),
      spelling: fc.boolean(),
      value: fc.option(decimalText, { freq: 4 }),
      weight: fc.option(fc.bigInt({ min: 0n, max: 10n ** 17n }).map(String), { freq: 4 }),
    }),
    { minLength: 1, maxLength: 40 },
  );
  const periodValue = (state: AggregateState) => {
    if (state.observations === 0) return null;
    const outcome = finishAggregate(state, 'half_even');
    return outcome.ok ? formatDecimal(outcome.value) : null;
  };
  it.each(['sum', 'max', 'last_observed', 'weighted_average'] as const)(
    "%s: each period's value is a state of its own's, and the periods fold to the window's outcome and counts",
    (aggregation) => {
      fc.assert(
        fc.property(cells, (input) => {
          const observed = input.map((row, i) => ({
            period: BigInt(row.period),
            periodText: row.spelling ? `P${row.period}` : `P${row.period}.0`,
            value: row.value === null ? null : parseCell(row.value),
            weight: row.weight === null ? null : parseCell(row.weight),
            line: i + 2,
          }));
          const whole = newAggregate(metric(aggregation));
          const own = new Map<bigint, AggregateState>();
          for (const cell of observed) {
            observe(whole, cell.value, cell.weight, cell.period, cell.periodText, cell.line);
            if (!own.has(cell.period)) own.set(cell.period, newAggregate(metric(aggregation)));
            observe(own.get(cell.period)!, cell.value, cell.weight, cell.period, cell.periodText, cell.line);
          }
          const { store, periods } = observePeriods(metric(aggregation), observed);
          expect(periods.instants).toEqual([...own.keys()]);
          periods.instants.forEach((instant, number) => {
            const expected = periodValue(own.get(instant)!);
            expect(periodValue(store.periodState(number))).toBe(expected);
            expect(store.periodValue(number, 'half_even')).toBe(expected);
          });
          for (const folded of [foldPeriods(store, periods), foldWindow(store)]) {
            expect(outcomeText(folded)).toBe(outcomeText(whole));
            expect([folded.observations, folded.nulls, folded.weightedRows]).toEqual([
              whole.observations,
              whole.nulls,
              whole.weightedRows,
            ]);
          }
        }),
        { numRuns: 500 },
      );
    },
  );
});

function subtract(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  const x = a.units * 10n ** BigInt(scale - a.scale);
  const y = b.units * 10n ** BigInt(scale - b.scale);
  return { units: x - y, scale };
}

describe('rounding', () => {
  it('is idempotent', () => {
    fc.assert(
      fc.property(
        decimalText,
        fc.integer({ min: 0, max: 6 }),
        fc.constantFrom('half_up', 'half_even' as const),
        (text, precision, mode) => {
          const once = roundDecimal(parseDecimal(text)!, precision, mode);
          expect(formatDecimal(roundDecimal(once, precision, mode))).toBe(formatDecimal(once));
        },
      ),
    );
  });
  it('half_up and half_even agree off ties', () => {
    fc.assert(
      fc.property(decimalText, fc.integer({ min: 0, max: 5 }), (text, precision) => {
        const value = parseDecimal(text)!;
        const beyond = value.scale - precision;
        const isTie =
          beyond > 0 &&
          (value.units < 0n ? -value.units : value.units) % 10n ** BigInt(beyond) === 5n * 10n ** BigInt(beyond - 1);
        fc.pre(!isTie);
        expect(formatDecimal(roundDecimal(value, precision, 'half_up'))).toBe(
          formatDecimal(roundDecimal(value, precision, 'half_even')),
        );
      }),
    );
  });
});

const dictionary = parseDictionary(
  readFileSync(join(REPO_ROOT, 'dictionary', 'history', '1.0.0.yaml'), 'utf8'),
  'd.yaml',
).loaded!;
const window = { start: 0n, end: 10n ** 30n, startText: '1970-01-01T00:00:00Z', endText: 'far', startMs: 0 };

describe('the export reader', () => {
  it('an export reconciled against itself gives the same aggregates on both sides', () => {
    const header = [
      'period_start',
      'bypass_audit_id',
      'parent_freeze_id',
      'm.requests.total',
      'm.sla.availability_pct',
    ];
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 1, max: 28 }),
            fc.bigInt({ min: 1n, max: 10n ** 12n }),
            fc.integer({ min: 0, max: 10000 }),
          ),
          { minLength: 1, maxLength: 20 },
        ),
        (data) => {
          const read = () => {
            const accumulator = new ExportAccumulator({
              audience: 'partner',
              file: 'x.csv',
              dictionary,
              window,
              dimensions: [],
            });
            accumulator.header(header, 1);
            data.forEach(([day, requests, rate], i) =>
              accumulator.row(
                [
                  `2026-02-${String(day).padStart(2, '0')}T00:00:00Z`,
                  '',
                  '',
                  String(requests),
                  formatDecimal({ units: BigInt(rate), scale: 2 }),
                ],
                i + 2,
              ),
            );
            return accumulator.finish();
          };
          const a = read();
          const b = read();
          expect(a.problems).toEqual([]);
          for (const [id, state] of a.aggregates) {
            expect(finishAggregate(state, 'half_up')).toEqual(finishAggregate(b.aggregates.get(id)!, 'half_up'));
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('a whole export reconciled against itself is always green', async () => {
    const metrics = [
      { metric_id: 'm.total', class: 'count', unit: 'count', aggregation: 'sum', precision: 0 },
      {
        metric_id: 'm.rate',
        class: 'rate',
        unit: 'percentage_points',
        aggregation: 'weighted_average',
        precision: 2,
        weight_metric_id: 'm.total',
      },
      { metric_id: 'm.peak', class: 'latency', unit: 'milliseconds', aggregation: 'max', precision: 0 },
      { metric_id: 'm.depth', class: 'count', unit: 'count', aggregation: 'last_observed', precision: 0 },
    ] as const;
    const row = fc.tuple(
      fc.integer({ min: 1, max: 28 }),
      fc.bigInt({ min: 1n, max: 10n ** 15n }),
      fc.integer({ min: 0, max: 10000 }),
      fc.option(fc.nat(99999)),
      fc.option(fc.nat(999)),
    );
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(row, { minLength: 1, maxLength: 15, selector: (r) => r[0] }), async (data) => {
        const lines = ['period_start,bypass_audit_id,parent_freeze_id,m.total,m.rate,m.peak,m.depth'];
        for (const [day, total, rate, peak, depth] of data)
          lines.push(
            `2026-01-${String(day).padStart(2, '0')}T00:00:00Z,,,${total},${formatDecimal({ units: BigInt(rate), scale: 2 })},${peak ?? ''},${depth ?? ''}`,
          );
        lines.push(`2026-01-29T00:00:00Z,,,1,50.00,1,1`);
        const { root } = syntheticWorkspace({ metrics: [...metrics], leadership: lines, partner: lines });
        const report = await reconcileWorkspace({ root });
        expect(report.tuples[0]!.problems).toEqual([]);
        expect(report.status).toBe('green');
      }),
      { numRuns: 25 },
    );
  });

  it('reading arbitrary bytes as an export never throws, and reports problems as data', async () => {
    const dir = tempDir();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), fc.boolean(), async (bytes, withHeader) => {
        const header = Buffer.from('period_start,bypass_audit_id,parent_freeze_id,m.requests.total\n');
        const path = join(dir, 'fuzz.csv');
        writeFileSync(path, withHeader ? Buffer.concat([header, bytes]) : bytes);
        const accumulator = new ExportAccumulator({
          audience: 'partner',
          file: 'fuzz.csv',
          dictionary,
          window,
          dimensions: [],
        });
        const started = performance.now();
        const result = await readExport(path, 'fuzz.csv', accumulator);
        const summary = accumulator.finish(result.problems.length > 0);
        expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
        for (const p of [...result.problems, ...summary.problems]) expect(p.file).toBe('fuzz.csv');
        expect(performance.now() - started).toBeLessThan(2000);
      }),
      { numRuns: 150 },
    );
  });

  it('the byte guard and csv-parse never throw unhandled errors on arbitrary text, and finish quickly', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), fc.integer({ min: 1, max: 7 }), (text, chunks) => {
        const started = performance.now();
        const guard = new TextGuard();
        const size = Math.ceil(text.length / chunks) || 1;
        for (let i = 0; i < text.length; i += size) guard.feed(text.slice(i, i + size));
        guard.end();
        try {
          parse(text, { max_record_size: 1 << 20 });
        } catch (error) {
          expect((error as { code?: string }).code ?? (error as Error).name).toMatch(/^CSV_|Error$/);
        }
        expect(performance.now() - started).toBeLessThan(1000);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseDecimal', () => {
  it('agrees with the SPEC §4 pattern and exact bigint parsing on arbitrary text', () => {
    const reference = (text: string) => {
      if (!/^-?\d+(\.\d+)?$/.test(text)) return null;
      const [integer, fraction = ''] = text.split('.');
      return { units: BigInt(integer! + fraction), scale: fraction.length };
    };
    const candidates = fc.oneof(
      fc.string({ unit: fc.constantFrom('0', '1', '9', '.', '-', '+', 'e', ',', ' '), maxLength: 25 }),
      decimalText,
      fc.string(),
    );
    fc.assert(
      fc.property(candidates, (text) => {
        const ours = parseDecimal(text);
        const theirs = reference(text);
        expect(ours === null).toBe(theirs === null);
        if (ours && theirs) {
          expect(ours.scale).toBe(theirs.scale);
          expect(ours.units).toBe(theirs.units);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('TextGuard', () => {
  /** The guard's rules written the slow, obvious way: one character at a time over the whole text. */
  function reference(text: string) {
    const forbidden =
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
    let line = 1;
    let field = 1;
    let quoted = false;
    // csv-parse's rule: a quote opens a field at its start, or doubles a quote right after a closing one
    let atFieldStart = true;
    let justClosed = false;
    let eol: string | null = null;
    let eolLine = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      const closedBefore = justClosed;
      justClosed = false;
      if (c === '"') {
        if (quoted) {
          quoted = false;
          justClosed = true;
        } else if (atFieldStart || closedBefore) quoted = true;
        atFieldStart = false;
        continue;
      }
      atFieldStart = !quoted && (c === ',' || c === '\n' || c === '\r');
      if (c === ',' && !quoted) field++;
      else if (c === '\n' || c === '\r') {
        const crlf = c === '\r' && text[i + 1] === '\n';
        if (crlf) i++;
        if (quoted) {
          line++;
          continue;
        }
        const kind = c === '\n' ? 'LF' : crlf ? 'CRLF' : 'CR';
        if (eol === null) {
          eol = kind;
          eolLine = line;
        } else if (kind !== eol) return { kind: 'mixed_line_endings', line, field, eolLine };
        line++;
        field = 1;
      } else if (forbidden.test(c)) return { kind: 'control_character', line, field };
    }
    return null;
  }

  it('finds what a character-by-character scan finds, however the text is chunked', () => {
    const alphabet = fc.constantFrom('a', '1', ',', '"', '\n', '\r', '\r\n', '\u0000', '\u202e', '\u0085', 'é');
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 60 }).map((parts) => parts.join('')),
        fc.array(fc.nat(60), { maxLength: 5 }),
        (text, cuts) => {
          const guard = new TextGuard();
          let previous = 0;
          for (const cut of [...new Set(cuts)].sort((a, b) => a - b).filter((c) => c < text.length)) {
            guard.feed(text.slice(previous, cut));
            previous = cut;
          }
          guard.feed(text.slice(previous));
          guard.end();
          const expected = reference(text);
          if (expected === null) expect(guard.finding).toBeNull();
          else
            expect({ kind: guard.finding?.kind, line: guard.finding?.line, field: guard.finding?.field }).toEqual({
              kind: expected.kind,
              line: expected.line,
              field: expected.field,
            });
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('exact sums on the double fast path', () => {
  it('keeps every digit when a total of 15-digit values passes 2^53', () => {
    const state = newAggregate({ ...metric('sum'), precision: 0 });
    for (let i = 0; i < 20; i++) observe(state, parseCell('999999999999999'), null, 1n, '1', i);
    const outcome = finishAggregate(state, 'half_even');
    expect(outcome.ok && formatDecimal(outcome.value)).toBe('19999999999999980');
  });

  it('keeps every digit when a weighted product would carry the running Σ(v·w) past 2^53', () => {
    // 5·w lands just under 2^52, then 10·w just under 2^53: exact, the answer is 15w / 2w = 7.5
    const state = newAggregate({ ...metric('weighted_average'), precision: 0 });
    observe(state, parseCell('5'), parseCell('900719925474099'), 1n, '1', 1);
    observe(state, parseCell('10'), parseCell('900719925474099'), 1n, '1', 2);
    const outcome = finishAggregate(state, 'half_up');
    expect(outcome.ok && formatDecimal(outcome.value)).toBe('8');
  });

  /** Σ and Σ(v·w)/Σw with nothing but bigints, as the reference. */
  function referenceOf(rows: { value: string; weight: string }[], aggregation: 'sum' | 'weighted_average'): string {
    const toRational = (text: string) => {
      const [integer, fraction = ''] = text.split('.');
      return { n: BigInt(integer! + fraction), d: 10n ** BigInt(fraction.length) };
    };
    let num = 0n;
    let den = 1n;
    let weightNum = 0n;
    let weightDen = 1n;
    for (const row of rows) {
      const v = toRational(row.value);
      const w = toRational(row.weight);
      if (aggregation === 'sum') {
        num = num * v.d + v.n * den;
        den *= v.d;
      } else {
        num = num * v.d * w.d + v.n * w.n * den;
        den *= v.d * w.d;
        weightNum = weightNum * w.d + w.n * weightDen;
        weightDen *= w.d;
      }
    }
    if (aggregation === 'weighted_average') {
      if (weightNum === 0n) return 'ZERO_WEIGHT';
      // (num/den) / (weightNum/weightDen)
      return formatDecimal(roundRational(num * weightDen, den * weightNum, 2, 'half_even'));
    }
    return formatDecimal(roundRational(num, den, 2, 'half_even'));
  }
  const bigOrSmall = fc.oneof(
    fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n }),
    // the largest 15-digit values, so a few rows carry a running total past 2^53
    fc.bigInt({ min: 10n ** 15n - 1000n, max: 10n ** 15n - 1n }),
    fc.bigInt({ min: 4n * 10n ** 15n, max: 9n * 10n ** 15n }),
    fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }),
  );
  const cell = fc
    .tuple(bigOrSmall, fc.integer({ min: 0, max: 3 }))
    .map(([units, scale]) => formatDecimal({ units, scale }));
  const weightCell = fc
    .tuple(fc.bigInt({ min: 0n, max: 10n ** 17n }), fc.integer({ min: 0, max: 2 }))
    .map(([units, scale]) => formatDecimal({ units, scale }));

  it.each(['sum', 'weighted_average'] as const)(
    '%s equals a pure bigint computation, across flushes and mixed scales',
    (aggregation) => {
      fc.assert(
        fc.property(
          fc.array(fc.record({ value: cell, weight: weightCell }), { minLength: 1, maxLength: 40 }),
          (rows) => {
            const state = newAggregate({ ...metric(aggregation), precision: 2 });
            rows.forEach((row, i) => observe(state, parseCell(row.value), parseCell(row.weight), 1n, '1', i));
            const outcome = finishAggregate(state, 'half_even');
            expect(outcome.ok ? formatDecimal(outcome.value) : outcome.code).toBe(referenceOf(rows, aggregation));
          },
        ),
        { numRuns: 2000 },
      );
    },
  );

  it.each(['sum', 'weighted_average'] as const)(
    '%s in the compact per-period store equals a pure bigint computation in every period',
    (aggregation) => {
      fc.assert(
        fc.property(
          fc.array(fc.record({ period: fc.integer({ min: 0, max: 3 }), value: cell, weight: weightCell }), {
            minLength: 1,
            maxLength: 60,
          }),
          (rows) => {
            const { store, periods } = observePeriods(
              { ...metric(aggregation), precision: 2 },
              rows.map((row, i) => ({
                period: BigInt(row.period),
                periodText: String(row.period),
                value: parseCell(row.value),
                weight: parseCell(row.weight),
                line: i + 2,
              })),
            );
            periods.instants.forEach((instant, number) => {
              const outcome = finishAggregate(store.periodState(number), 'half_even');
              const own = rows.filter((row) => BigInt(row.period) === instant);
              expect(outcome.ok ? formatDecimal(outcome.value) : outcome.code).toBe(referenceOf(own, aggregation));
            });
            // the window, folded from the periods' doubles and decimals
            const window = finishAggregate(foldWindow(store), 'half_even');
            expect(window.ok ? formatDecimal(window.value) : window.code).toBe(referenceOf(rows, aggregation));
          },
        ),
        { numRuns: 2000 },
      );
    },
  );
});
