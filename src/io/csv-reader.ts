/**
 * Streams one export once: each chunk of bytes is hashed (SHA-256) and read by the byte path
 * (core/csv-bytes.ts), or, from wherever the byte path hands over, by the reference reader
 * (strict UTF-8 decoder, byte guard, csv-parse); records feed the core's ExportAccumulator
 * (docs/reference/workspace.md–§5).
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { type ByteHandover, type ByteRecordSink, CsvByteTokenizer } from '../core/csv-bytes.ts';
import type { ExportAccumulator } from '../core/exports.ts';
import { problem, type Problem } from '../core/problems.ts';
import type { ReferenceReader } from './reference-reader.ts';

type ReferenceModule = typeof import('./reference-reader.ts');
/**
 * The reference reader (and csv-parse with it) is loaded the first time an export needs it: a
 * plain export is read by the byte path alone, and a command that reads only such exports starts
 * faster without it. Only the reference reader throws its errors and csv-parse's, so before it is
 * loaded no error can be one of them.
 */
let referenceModule: ReferenceModule | null = null;
const loadReferenceReader = async (): Promise<ReferenceModule> =>
  (referenceModule ??= await import('./reference-reader.ts'));

/** The longest record csv-parse will buffer: a multi-megabyte cell is refused, not held. */
export const MAX_RECORD_BYTES = 1 << 20;

export interface ExportReadResult {
  sha256: string;
  problems: Problem[];
}

export interface ReadOptions {
  /** read with the reference reader alone, without the byte path (for equivalence tests and the benchmark) */
  referenceReader?: boolean;
  /** read the file in chunks of this many bytes (tests: the result must not depend on it) */
  chunkBytes?: number;
  /**
   * read with synchronous file calls: for a small file in a thread whose asynchronous file calls
   * queue behind others on libuv's four threads (a build making its 2,400 page folders), where the
   * wait costs far more than the read (docs/PERFORMANCE.md, round thirteen)
   */
  synchronous?: boolean;
}

/**
 * Reads `path` and calls `accumulator.header()` then `accumulator.record()` for each record,
 * hashing the bytes as they pass. `file` is the path shown in problems. Returns the bytes'
 * SHA-256 and any problem that stopped the reading (BAD_CSV, CONTROL_CHARACTER).
 */
export async function readExport(
  path: string,
  file: string,
  accumulator: ExportAccumulator,
  options: ReadOptions = {},
): Promise<ExportReadResult> {
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1)
    throw new RangeError(`chunkBytes ${chunkBytes}: expected a whole number of bytes, at least 1`);
  const hash = createHash('sha256');
  let lastLine = 0;
  const sink: ByteRecordSink = {
    header(fields, line) {
      lastLine = line;
      accumulator.header(fields, line);
    },
    record(row, line) {
      lastLine = line;
      accumulator.record(row, line);
    },
  };
  let bytePath = options.referenceReader ? null : new CsvByteTokenizer(sink);
  let reference: ReferenceReader | null = null;
  const takeOver = async (handover: ByteHandover): Promise<void> => {
    bytePath = null;
    const { ReferenceReader } = await loadReferenceReader();
    reference = new ReferenceReader(sink, handover, MAX_RECORD_BYTES);
    await reference.write(handover.bytes);
  };
  try {
    if (!bytePath) {
      const { FROM_THE_START, ReferenceReader } = await loadReferenceReader();
      reference = new ReferenceReader(sink, FROM_THE_START, MAX_RECORD_BYTES);
    }
    for await (const chunk of chunksOf(path, chunkBytes, options.synchronous ?? false)) {
      hash.update(chunk);
      if (bytePath) {
        const handover = bytePath.push(chunk);
        if (handover) await takeOver(handover);
      } else await reference!.write(chunk);
    }
    if (bytePath) {
      const handover = bytePath.end();
      if (handover) await takeOver(handover);
    }
    if (reference) await reference.end();
    return { sha256: hash.digest('hex'), problems: [] };
  } catch (error) {
    const problem = csvProblem(error, file, (error as { recordLine?: number }).recordLine ?? lastLine + 1);
    // the file's hash still matters for the report: take it from the whole file
    return { sha256: createHash('sha256').update(readFileSync(path)).digest('hex'), problems: [problem] };
  }
}

/** How much of a file is read at a time. */
const CHUNK_BYTES = 1 << 18;

/**
 * The file's bytes, chunk by chunk, in one buffer reused for every chunk: each chunk is hashed and
 * read (the byte path and the decoder copy what they keep) before the next is read into it, so a
 * large export allocates nothing per chunk and memory stays flat however many rows it has.
 */
async function* chunksOf(path: string, size: number, synchronous: boolean): AsyncGenerator<Buffer> {
  const file = synchronous ? openedNow(path) : await opened(path);
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const bytesRead = await file.read(buffer);
      if (bytesRead === 0) return;
      // smaller chunks (`ReadOptions.chunkBytes`) are cut from what was read
      for (let at = 0; at < bytesRead; at += size) yield buffer.subarray(at, Math.min(at + size, bytesRead));
    }
  } finally {
    await file.close();
  }
}

/** An open file read from its start, a chunk at a time into the buffer given. */
interface OpenFile {
  read(buffer: Buffer): Promise<number> | number;
  close(): Promise<void> | void;
}

async function opened(path: string): Promise<OpenFile> {
  const handle = await open(path, 'r');
  return {
    read: async (buffer) => (await handle.read(buffer, 0, buffer.length, null)).bytesRead,
    close: () => handle.close(),
  };
}

function openedNow(path: string): OpenFile {
  const fd = openSync(path, 'r');
  return { read: (buffer) => readSync(fd, buffer, 0, buffer.length, null), close: () => closeSync(fd) };
}

/** `recordLine` is where the record being parsed began (an unclosed quote is reported where it opened). */
function csvProblem(error: unknown, file: string, recordLine: number): Problem {
  const found = referenceModule && readerProblem(referenceModule, error, file, recordLine);
  return found ?? problem('BAD_CSV', `could not read the file: ${(error as Error).message}`, { file });
}

/** A problem for an error the reference reader or csv-parse threw, else null. */
function readerProblem(
  { CsvError, GuardError, InvalidUtf8Error }: ReferenceModule,
  error: unknown,
  file: string,
  recordLine: number,
): Problem | null {
  if (error instanceof InvalidUtf8Error) {
    return problem('BAD_CSV', `invalid UTF-8 at byte ${error.offset}; exports must be UTF-8 text`, {
      file,
      line: error.line,
      column: error.field,
    });
  }
  if (error instanceof GuardError) {
    const code = error.finding.kind === 'control_character' ? 'CONTROL_CHARACTER' : 'BAD_CSV';
    return problem(code, error.finding.message, { file, line: error.finding.line, column: error.finding.field });
  }
  if (error instanceof CsvError) {
    const e = error as InstanceType<typeof CsvError> & { lines?: number; column?: number };
    const reason = e.message.replace(/\s+on line \d+\.?$/, '').replace(/\s+at line \d+\.?$/, '');
    const expected =
      e.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH'
        ? 'every row has as many fields as the header'
        : e.code === 'CSV_MAX_RECORD_SIZE'
          ? `records under ${MAX_RECORD_BYTES} bytes`
          : 'RFC 4180 CSV: comma-separated, fields with commas, quotes or line breaks in double quotes, quotes doubled inside';
    // csv-parse counts fields from 0; problems count CSV columns from 1
    const column =
      e.code !== 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' && typeof e.column === 'number' ? e.column + 1 : 1;
    const endsLater =
      e.lines !== undefined && e.lines > recordLine ? ` (the record starting here runs to line ${e.lines})` : '';
    return problem('BAD_CSV', `${reason}${endsLater} (${e.code}); expected ${expected}`, {
      file,
      line: recordLine,
      column,
    });
  }
  return null;
}
