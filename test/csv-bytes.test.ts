/**
 * The byte path itself: it must really read what exports are made of (plain, quoted and UTF-8
 * cells, LF or CRLF, any chunking) without handing over — the equivalence tests would pass
 * trivially if it always handed over — and hand over on everything it leaves to csv-parse.
 */
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newRowValues } from '../src/core/aggregate.ts';
import { CsvByteTokenizer, type ByteHandover } from '../src/core/csv-bytes.ts';
import { LARGE, NOT_A_NUMBER, parseCell, SMALL } from '../src/core/decimal.ts';

function tokenize(bytes: Uint8Array, chunk: number) {
  const records: string[][] = [];
  const lines: number[] = [];
  const numbers: (string | null)[][] = [];
  const tokenizer = new CsvByteTokenizer({
    header(fields, line) {
      records.push(fields);
      lines.push(line);
    },
    record(row, line) {
      const fields: string[] = [];
      const values = newRowValues(row.length);
      row.decimals(
        Int32Array.from({ length: row.length }, (_, i) => i),
        values,
      );
      const scanned: (string | null)[] = [];
      for (let i = 0; i < row.length; i++) {
        fields.push(row.text(i));
        expect(row.isEmpty(i)).toBe(fields[i] === '');
        expect(row.equals(i, fields[i]!)).toBe(true);
        expect(row.firstCode(i)).toBe(fields[i] === '' ? -1 : fields[i]!.charCodeAt(0));
        const kind = values.kind[i];
        scanned.push(
          kind === SMALL
            ? `${values.small[i]}e-${values.scale[i]}`
            : kind === LARGE
              ? `${values.large[i]}e-${values.scale[i]}`
              : kind === NOT_A_NUMBER
                ? null
                : '',
        );
      }
      records.push(fields);
      lines.push(line);
      numbers.push(scanned);
    },
  });
  let handover: ByteHandover | null = null;
  for (let at = 0; at < bytes.length && !handover; at += chunk)
    handover = tokenizer.push(bytes.subarray(at, at + chunk));
  handover ??= tokenizer.end();
  return { records, lines, numbers, handover };
}

const header = 'period_start,bypass_audit_id,parent_freeze_id,region,kpi.orders.total';

describe('the byte path', () => {
  it('reads plain, quoted and UTF-8 cells in any chunking without handing over, as csv-parse reads them', () => {
    const cell = fc.oneof(
      fc.constantFrom(
        '',
        '0',
        '-0',
        '12',
        '-3.75',
        '1.',
        '.5',
        '1e3',
        '12345678901234567',
        '-0.000000000000000001',
        'NO_BYPASS',
        'Zürich',
        '東京',
        '😀',
        'a\tb',
        ' x ',
      ),
      fc.stringMatching(/^[a-z0-9 .:-]{0,8}$/),
    );
    const quoted = fc.oneof(
      cell,
      cell.map((c) => `"${c}"`),
      fc.constantFrom('"a,b"', '"say ""hi"""', '""'),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(quoted, { minLength: 5, maxLength: 5 }), { maxLength: 12 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.integer({ min: 1, max: 80 }),
        (rows, eol, finalEol, chunk) => {
          const text = [header, ...rows.map((r) => r.join(','))].join(eol) + (finalEol ? eol : '');
          const bytes = Buffer.from(text);
          const { records, lines, numbers, handover } = tokenize(bytes, chunk);
          expect(handover).toBeNull();
          expect(records).toEqual(parse(text, { relax_column_count: false }));
          expect(lines).toEqual(records.map((_, i) => i + 1));
          // numbers scanned from bytes are what parseCell makes of the text
          numbers.forEach((scanned, r) =>
            scanned.forEach((value, i) => {
              const text = records[r + 1]![i]!;
              const cell = text === '' ? '' : parseCell(text);
              const expected =
                cell === ''
                  ? ''
                  : cell === null
                    ? null
                    : 'small' in cell
                      ? `${cell.small}e-${cell.scale}`
                      : `${cell.units}e-${cell.scale}`;
              // a quoted cell with "" inside is never a number; otherwise the byte scan and the text scan agree
              expect(value).toBe(expected);
            }),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('skips a byte order mark at the start of the file, as the decoder does', () => {
    const { records, handover } = tokenize(Buffer.from(`\ufeff${header}\n2026-01-01T00:00:00Z,,,r,1\n`), 2);
    expect(handover).toBeNull();
    expect(records[0]![0]).toBe('period_start');
  });

  it.each([
    ['a quote inside a plain field', '2026-01-01T00:00:00Z,,,r"x,1\n'],
    ['text after a closing quote', '2026-01-01T00:00:00Z,,,"r"x,1\n'],
    ['a line break inside quotes', '2026-01-01T00:00:00Z,,,"r\nx",1\n'],
    ['an empty line', '\n2026-01-01T00:00:00Z,,,r,1\n'],
    ['a ragged row', '2026-01-01T00:00:00Z,,,r,1,2\n'],
    ['a bare CR', '2026-01-01T00:00:00Z,,,r,1\r2026-01-02T00:00:00Z,,,r,1\n'],
    ['a CRLF after LF lines', '2026-01-01T00:00:00Z,,,r,1\r\n'],
    ['a NUL', '2026-01-01T00:00:00Z,,,r\u0000,1\n'],
    ['a DEL', '2026-01-01T00:00:00Z,,,r\u007f,1\n'],
    ['a C1 control', '2026-01-01T00:00:00Z,,,r\u0085,1\n'],
    ['a right-to-left override', '2026-01-01T00:00:00Z,,,\u202er,1\n'],
    ['an Arabic letter mark', '2026-01-01T00:00:00Z,,,\u061cr,1\n'],
    ['an unclosed quote at the end', '2026-01-01T00:00:00Z,,,"r,1'],
  ])('hands over at %s, with the records before the chunk delivered', (_name, rest) => {
    const first = `${header}\n2025-12-31T00:00:00Z,,,r,1\n`;
    const { records, handover } = tokenize(Buffer.from(first + rest), first.length);
    expect(handover).not.toBeNull();
    expect(records).toHaveLength(2);
    expect(handover!.line).toBe(2);
    expect(handover!.header).toEqual({ text: header, eol: '\n' });
    expect(Buffer.from(handover!.bytes).toString()).toBe(rest);
  });

  it.each([
    ['a stray continuation byte', [0x80]],
    ['a cut sequence', [0xc3, 0x41]],
    ['a surrogate', [0xed, 0xa0, 0x80]],
    ['an overlong encoding', [0xc0, 0x80]],
    ['a code point beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ])('hands over at invalid UTF-8: %s', (_name, bad) => {
    const bytes = Buffer.concat([
      Buffer.from(`${header}\n2026-01-01T00:00:00Z,,,r`),
      Buffer.from(bad),
      Buffer.from(',1\n'),
    ]);
    for (const chunk of [1, 3, bytes.length]) expect(tokenize(bytes, chunk).handover).not.toBeNull();
  });
});
