/**
 * The fast path of the export reader must give exactly what csv-parse alone gives: the same
 * records (seen through the accumulator's summary), problem codes and locations, on the whole
 * bad-input corpus and on fuzzed files.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { finishAggregate } from '../src/core/aggregate.ts';
import { parseDictionary } from '../src/core/dictionary.ts';
import { ExportAccumulator } from '../src/core/exports.ts';
import { readExport } from '../src/io/csv-reader.ts';
import { REPO_ROOT, tempDir } from './helpers/workspace.ts';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
const dictionary = parseDictionary(
  readFileSync(join(FIXTURES, 'base', 'dictionary', 'metrics.yaml'), 'utf8'),
  'd.yaml',
).loaded!;
const window = { start: 0n, end: 10n ** 30n, startText: '1970-01-01T00:00:00Z', endText: 'far', startMs: 0 };

const newAccumulator = (dimensions: string[] = []) =>
  new ExportAccumulator({ audience: 'partner', file: 'x.csv', dictionary, window, dimensions });

async function readWith(path: string, referenceReader: boolean, dimensions: string[] = [], chunkBytes?: number) {
  const accumulator = newAccumulator(dimensions);
  const result = await readExport(path, 'x.csv', accumulator, { referenceReader, chunkBytes });
  const summary = accumulator.finish(result.problems.length > 0);
  return {
    sha256: result.sha256,
    readProblems: result.problems.map(({ code, line, column, message }) => ({ code, line, column, message })),
    problems: summary.problems,
    rows: summary.rows,
    nullCells: summary.nullCells,
    metricColumns: summary.metricColumns,
    bypassPairs: [...summary.bypassPairs.entries()].map(([period, pairs]) => [period, [...pairs.values()]]),
    aggregates: [...summary.aggregates.entries()].map(([id, state]) => [id, finishAggregate(state, 'half_even')]),
    // SPEC §8.1: each period's own aggregates, where the period is first read, in the order first read
    periods: [...summary.periods.entries()].map(([instant, period]) => [
      instant,
      period.periodText,
      period.line,
      period.values,
    ]),
  };
}

async function expectSameReading(path: string, dimensions: string[] = [], chunkBytes?: number) {
  const fast = await readWith(path, false, dimensions, chunkBytes);
  const reference = await readWith(path, true, dimensions, chunkBytes);
  expect(fast).toEqual(reference);
  return fast;
}

const corpusFiles: string[] = [];
for (const name of readdirSync(join(FIXTURES, 'bad')).sort()) {
  const tupleDir = join(FIXTURES, 'bad', name, 'files', 'content', 'tuples', 'globex-2026-w27');
  for (const audience of ['leadership', 'partner']) {
    const file = join(tupleDir, `${audience}.csv`);
    if (existsSync(file)) corpusFiles.push(file);
  }
}

describe('fast path = csv-parse', () => {
  it.each(corpusFiles.map((f) => [f.slice(f.indexOf('bad/') + 4), f]))('%s', async (_name, file) => {
    await expectSameReading(file, file.includes('dimension') ? ['region'] : []);
  });

  it('on a multi-megabyte cell', async () => {
    const path = join(tempDir(), 'big.csv');
    const base = readFileSync(join(FIXTURES, 'base', 'content', 'tuples', 'globex-2026-w27', 'partner.csv'), 'utf8');
    writeFileSync(path, base.replace('BYP-7731', `"${'x'.repeat(3 << 20)}"`));
    const reading = await expectSameReading(path);
    expect(reading.readProblems.map((p) => p.code)).toEqual(['BAD_CSV']);
  });

  it.each([
    ['CR-only line endings', (t: string) => t.replace(/\r\n/g, '\r')],
    ['a quoted field with a line break', (t: string) => t.replace('BYP-7731', '"BYP\r\n7731"')],
    ['a byte order mark', (t: string) => `\ufeff${t}`],
    ['no final line ending', (t: string) => t.trimEnd()],
    [
      'quotes only after many plain rows',
      (t: string) => t.trimEnd() + '\r\n' + '2026-07-02T00:00:00Z,,,1,1.0,1,1,"1"\r\n',
    ],
  ])('on %s', async (_name, change) => {
    const path = join(tempDir(), 'case.csv');
    writeFileSync(
      path,
      change(readFileSync(join(FIXTURES, 'base', 'content', 'tuples', 'globex-2026-w27', 'partner.csv'), 'utf8')),
    );
    await expectSameReading(path);
  });

  it('on fuzzed exports, read in chunks of any size', async () => {
    const dir = tempDir();
    const header =
      'period_start,bypass_audit_id,parent_freeze_id,region,kpi.orders.total,kpi.orders.on_time_pct,kpi.refunds.minor,kpi.queue.depth,kpi.api.p95_ms';
    const region = fc.constantFrom('north', 'Zürich', 'São Paulo', '東京', 'r,1', 'say "hi"', '=1+1', '-3', ' ');
    const bypass = fc.constantFrom(['', ''], ['BYP-1', 'FRZ-1'], ['NO_BYPASS', ''], ['BYP-2', ''], ['bad id', 'FRZ-1']);
    const row = fc
      .tuple(
        fc.constantFrom(
          '2026-06-29T00:00:00Z',
          '2026-06-29T00:00:00.000Z',
          '2026-06-30T00:00:00Z',
          '2026-06-30T12:00:00Z',
        ),
        bypass,
        region,
        fc.nat(5000),
        fc.nat(10000),
        fc.option(fc.nat(99)),
        fc.nat(999),
        fc.constantFrom('', '1e3', '-0', '12345678901234567', '0.5'),
      )
      .map(([period, [b, f], r, orders, rate, depth, ms, odd]) => [
        period,
        b,
        f,
        r,
        String(orders),
        (rate / 100).toFixed(2),
        odd === '' ? String(orders * 10) : odd,
        String(depth ?? ''),
        String(ms),
      ]);
    // text edits, and raw bytes that are not UTF-8 (a stray byte, a cut sequence, a surrogate, an overlong NUL)
    const edit = fc.oneof(
      fc.record({
        kind: fc.constant('quote' as const),
        at: fc.nat(),
        text: fc.constantFrom('"', '""', '"a,b"', '"x\ny"', '"1"', 'q"', '"\r"'),
      }),
      fc.record({ kind: fc.constant('blank' as const), at: fc.nat(), text: fc.constant('') }),
      fc.record({ kind: fc.constant('ragged' as const), at: fc.nat(), text: fc.constantFrom(',', ',,', '') }),
      fc.record({ kind: fc.constant('bytes' as const), at: fc.nat(), text: fc.string({ maxLength: 6 }) }),
      fc.record({
        kind: fc.constant('bytes' as const),
        at: fc.nat(),
        text: fc.constantFrom(
          'é',
          '\u0085',
          '\u202e',
          '\u061c',
          '\u2066',
          '\u200f',
          '\ufeff',
          '😀',
          '\t',
          '\u007f',
          '\u0000',
          '\r',
          '\n',
          '\r\n',
        ),
      }),
      fc.record({
        kind: fc.constant('raw' as const),
        at: fc.nat(),
        text: fc.constantFrom('\xff', '\xc3', '\xed\xa0\x80', '\xc0\x80', '\xe2\x80'),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { minLength: 0, maxLength: 25 }),
        fc.array(edit, { maxLength: 3 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.constantFrom('none', 'needed', 'all'),
        fc.boolean(),
        fc.constantFrom(undefined, 1, 2, 3, 5, 17, 64),
        async (rows, edits, eol, finalEol, quoting, bom, chunkBytes) => {
          const quote = (cell: string) => `"${cell.replaceAll('"', '""')}"`;
          const cells = (fields: string[]) =>
            fields.map((cell) => (quoting === 'all' || /[",\r\n]/.test(cell) ? quote(cell) : cell)).join(',');
          const lines = [quoting === 'all' ? cells(header.split(',')) : header, ...rows.map(cells)];
          const raw: { line: number; at: number; bytes: string }[] = [];
          for (const e of edits) {
            const i = 1 + (e.at % Math.max(1, lines.length - 1));
            if (e.kind === 'blank') lines.splice(i, 0, '');
            else if (lines[i] !== undefined) {
              const cut = e.at % (lines[i]!.length + 1);
              if (e.kind === 'raw')
                raw.push({ line: i, at: Buffer.byteLength(lines[i]!.slice(0, cut)), bytes: e.text });
              else
                lines[i] =
                  e.kind === 'ragged' ? lines[i]! + e.text : lines[i]!.slice(0, cut) + e.text + lines[i]!.slice(cut);
            }
          }
          const encoded = lines.map((line) => Buffer.from(line));
          for (const r of raw) {
            const line = encoded[r.line]!;
            encoded[r.line] = Buffer.concat([
              line.subarray(0, r.at),
              Buffer.from(r.bytes, 'latin1'),
              line.subarray(r.at),
            ]);
          }
          const body = Buffer.concat(
            encoded.flatMap((line, i) => (i < encoded.length - 1 || finalEol ? [line, Buffer.from(eol)] : [line])),
          );
          const path = join(dir, 'fuzz.csv');
          writeFileSync(path, bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body);
          const reading = await expectSameReading(path, ['region'], chunkBytes);
          // and the same whatever the chunk size: records before the line reading stops on are all read
          if (chunkBytes !== undefined) expect(reading).toEqual(await readWith(path, false, ['region']));
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 400) },
    );
  });
});

describe('where reading stops', () => {
  const header = 'period_start,bypass_audit_id,parent_freeze_id,kpi.orders.total\n';
  const rows = (n: number) => Array.from({ length: n }, (_, i) => `2026-06-29T00:00:00Z,,,${i}\n`).join('');
  it.each([
    // csv-parse names the line in the middle of these messages, counted from where it started reading
    [
      'a stray quote after a handover mid-file',
      Buffer.from(`${header}${rows(12000)}2026-06-29T00:00:00Z,,,1"2\n`),
      [undefined, 2, 64],
    ],
    [
      'text after a closing quote after a handover mid-file',
      Buffer.from(`${header}${rows(12000)}2026-06-29T00:00:00Z,,,"1"2\n`),
      [undefined, 3],
    ],
    // a line over twice the record limit goes to csv-parse at the same character however it is chunked
    [
      'a NUL beyond a 2 MiB quoted line',
      Buffer.from(`${header}"${'x'.repeat(2_200_000)}\u0000"\n`),
      [undefined, 65536, 100000],
    ],
    // a U+FEFF after the byte order mark is text, also when invalid UTF-8 follows
    [
      'a second U+FEFF before invalid UTF-8',
      Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x0a, 0xff]),
      [undefined, 4, 5, 1],
    ],
  ])('on %s: the same problem, message and records at every chunk size', async (_name, bytes, chunkSizes) => {
    const path = join(tempDir(), 'stop.csv');
    writeFileSync(path, bytes);
    const readings = [];
    for (const chunk of chunkSizes as (number | undefined)[]) readings.push(await expectSameReading(path, [], chunk));
    for (const reading of readings) expect(reading).toEqual(readings[0]);
    expect(readings[0]!.readProblems.length + readings[0]!.problems.length).toBeGreaterThan(0);
    for (const p of readings[0]!.readProblems) {
      for (const [, line] of p.message.matchAll(/\b(?:at|on) line (\d+)/g)) expect(Number(line)).toBe(p.line);
    }
  });

  it('reports a stray quote, not a control character on a later line (the quote does not open a field)', async () => {
    const path = join(tempDir(), 'stray.csv');
    writeFileSync(path, `${header}${rows(3)}2026-06-29T00:00:00Z,,,1"2\n${rows(3)}2026-06-29T00:00:00Z,,,\u00007\n`);
    for (const chunk of [undefined, 1, 7]) {
      const reading = await expectSameReading(path, [], chunk);
      expect(reading.readProblems.map(({ code, line }) => ({ code, line }))).toEqual([{ code: 'BAD_CSV', line: 5 }]);
      expect(reading.readProblems[0]!.message).toMatch(/Opening Quote/);
    }
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('locates invalid UTF-8 by line and CSV field in a %s file', async (_name, eol) => {
    const path = join(tempDir(), 'utf8.csv');
    const before = `${header.trimEnd()}${eol}2026-06-29T00:00:00Z,,,1${eol}2026-06-29T00:00:00Z,"a,${eol}b",,`;
    writeFileSync(path, Buffer.concat([Buffer.from(before), Buffer.from([0xff]), Buffer.from(`2${eol}`)]));
    const reading = await expectSameReading(path);
    // the quoted line break is a line of the cell: the byte is on line 4, in field 4
    expect(reading.readProblems.map(({ code, line, column }) => ({ code, line, column }))).toEqual([
      { code: 'BAD_CSV', line: 4, column: 4 },
    ]);
  });

  it('reads the same with synchronous file calls as with asynchronous ones, at every chunk size', async () => {
    for (const file of corpusFiles) {
      for (const chunkBytes of [1, 7, undefined]) {
        const read = async (synchronous: boolean) => {
          const accumulator = newAccumulator();
          const result = await readExport(file, 'x.csv', accumulator, { chunkBytes, synchronous });
          return { result, summary: accumulator.finish(result.problems.length > 0) };
        };
        expect(await read(true)).toEqual(await read(false));
      }
    }
  });

  it('refuses a chunk size that is not a whole number of bytes', async () => {
    await expect(readExport(corpusFiles[0]!, 'x.csv', newAccumulator(), { chunkBytes: 0 })).rejects.toThrow(RangeError);
  });
});

describe('reading in worker threads', () => {
  it('reads export after export in one thread, as this thread reads them; two at once take two', async () => {
    const { ExportReaders } = await import('../src/io/export-reader-pool.ts');
    const readers = new ExportReaders();
    const context = { audience: 'partner' as const, file: 'x.csv', dictionary, window, dimensions: [] };
    try {
      readers.warm();
      readers.warm(); // one is loading already: no second
      expect(readers.threadsStarted).toBe(1);
      // files of the bad-input corpus, read whole or stopped on a problem: the thread answers as this one
      for (const file of corpusFiles.slice(0, 6)) {
        const here = await readers.read(file, 'x.csv', context, { worker: false });
        const there = await readers.read(file, 'x.csv', context, { worker: true });
        expect(there).toEqual(here);
      }
      expect(readers.threadsStarted).toBe(1);
      const [a, b] = await Promise.all(
        corpusFiles.slice(0, 2).map((file) => readers.read(file, 'x.csv', context, { worker: true })),
      );
      expect(readers.threadsStarted).toBe(2);
      expect([a!.read.sha256, b!.read.sha256]).toEqual(
        await Promise.all(corpusFiles.slice(0, 2).map(async (file) => (await readWith(file, false)).sha256)),
      );
    } finally {
      await readers.close();
    }
  });

  it('reports a thread that cannot load or that stops, and a warmed one that cannot load does no harm', async () => {
    const { ExportReaders } = await import('../src/io/export-reader-pool.ts');
    const context = { audience: 'partner' as const, file: 'x.csv', dictionary, window, dimensions: [] };
    const broken = new ExportReaders(new URL('data:text/javascript,throw new Error("cannot load")'));
    try {
      broken.warm();
      // the warmed thread fails while nothing waits for it: noted, not thrown (vitest fails a test on an unhandled error)
      await new Promise((resolve) => setTimeout(resolve, 300));
      await expect(broken.read(corpusFiles[0]!, 'x.csv', context, { worker: true })).rejects.toThrow('cannot load');
      expect(broken.threadsStarted).toBe(2); // the read passed over the dead one
    } finally {
      await broken.close();
    }
    const stopping = new ExportReaders(
      new URL(
        "data:text/javascript,import{parentPort}from'node:worker_threads';parentPort.on('message',()=>process.exit(3))",
      ),
    );
    try {
      await expect(stopping.read(corpusFiles[0]!, 'x.csv', context, { worker: true })).rejects.toThrow('exit code 3');
    } finally {
      await stopping.close();
    }
  });

  it('gives the same report as reading in-process, for good and bad inputs', async () => {
    const { reconcileWorkspace } = await import('../src/io/reconcile-workspace.ts');
    const { copyWorkspace, editCell, editExport } = await import('./helpers/workspace.ts');
    const root = copyWorkspace();
    editExport(root, 'acme-2026-q2', 'partner', (text) =>
      editCell(
        editCell(text, 2, 'm.orders.shipped', () => '1e3'),
        3,
        'm.revenue.billed_minor',
        (v) => `${v}1`,
      ),
    );
    const inProcess = await reconcileWorkspace({ root, workers: false });
    const inWorkers = await reconcileWorkspace({ root, workers: true });
    expect(inWorkers).toEqual(inProcess);
    expect(inProcess.tuples.find((t) => t.tuple_id === 'acme-2026-q2')!.problems.map((p) => p.code)).toContain(
      'BAD_NUMBER',
    );
  });
});
