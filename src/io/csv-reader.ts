/**
 * Streams one export through the SHA-256 hash, a strict UTF-8 decoder and csv-parse in a
 * single pass, feeding the core's ExportAccumulator (SPEC §4–§5).
 */
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError } from 'csv-parse';
import type { ExportAccumulator } from '../core/exports.ts';
import { problem, type Problem } from '../core/problems.ts';
import { TextGuard, type TextGuardFinding } from '../core/text-guard.ts';
import { RecordRouter, type RoutedRecord } from './record-router.ts';
import { firstInvalidUtf8 } from './utf8.ts';

/** The longest record csv-parse will buffer: a multi-megabyte cell is refused, not held. */
export const MAX_RECORD_BYTES = 1 << 20;

export interface ExportReadResult {
  sha256: string;
  problems: Problem[];
}

class InvalidUtf8Error extends Error {}
class GuardError extends Error {
  readonly finding: TextGuardFinding;
  constructor(finding: TextGuardFinding) {
    super(finding.message);
    this.finding = finding;
  }
}

/**
 * Reads `path` and calls `accumulator.header()` then `accumulator.row()` for each record.
 * `file` is the path shown in problems. Returns the bytes' SHA-256 and any BAD_CSV problem.
 */
export interface ReadOptions {
  /** read with csv-parse alone, without the fast path (for equivalence tests and the benchmark) */
  referenceReader?: boolean;
}

export async function readExport(path: string, file: string, accumulator: ExportAccumulator, options: ReadOptions = {}): Promise<ExportReadResult> {
  const hash = createHash('sha256');
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  const guard = new TextGuard();
  const decode = new Transform({
    readableObjectMode: true, // hand strings on as they are
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        return callback(new InvalidUtf8Error());
      }
      guard.feed(text);
      callback(guard.finding ? new GuardError(guard.finding) : null, text);
    },
    flush(callback) {
      let text: string;
      try {
        text = decoder.decode();
      } catch {
        return callback(new InvalidUtf8Error());
      }
      guard.feed(text);
      guard.end();
      callback(guard.finding ? new GuardError(guard.finding) : null, text);
    },
  });
  const router = new RecordRouter({ maxRecordBytes: MAX_RECORD_BYTES, referenceOnly: options.referenceReader });
  let headerDone = false;
  let lastLine = 0;
  const consume = new Writable({
    objectMode: true,
    write(record: RoutedRecord, _encoding, callback) {
      lastLine = record.line;
      if (!headerDone) {
        headerDone = true;
        accumulator.header(record.fields, record.line);
      } else accumulator.row(record.fields, record.line);
      callback();
    },
  });
  const problems: Problem[] = [];
  try {
    await pipeline(createReadStream(path), decode, router, consume);
    return { sha256: hash.digest('hex'), problems };
  } catch (error) {
    problems.push(csvProblem(error, path, file, (error as { recordLine?: number }).recordLine ?? lastLine + 1));
    // the file's hash still matters for the report: take it from the whole file
    return { sha256: createHash('sha256').update(readFileSync(path)).digest('hex'), problems };
  }
}

/** `recordLine` is where the record being parsed began (an unclosed quote is reported where it opened). */
function csvProblem(error: unknown, path: string, file: string, recordLine: number): Problem {
  if (error instanceof InvalidUtf8Error) {
    const bytes = readFileSync(path);
    const offset = Math.max(0, firstInvalidUtf8(bytes));
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset; i++) {
      if (bytes[i] === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    const column = new TextDecoder().decode(bytes.subarray(lineStart, offset)).length + 1;
    return problem('BAD_CSV', `invalid UTF-8 at byte ${offset}; exports must be UTF-8 text`, { file, line, column });
  }
  if (error instanceof GuardError) {
    const code = error.finding.kind === 'control_character' ? 'CONTROL_CHARACTER' : 'BAD_CSV';
    return problem(code, error.finding.message, { file, line: error.finding.line, column: error.finding.field });
  }
  if (error instanceof CsvError) {
    const e = error as CsvError & { lines?: number; column?: number };
    const reason = e.message.replace(/\s+on line \d+\.?$/, '').replace(/\s+at line \d+\.?$/, '');
    const expected =
      e.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH'
        ? 'every row has as many fields as the header'
        : e.code === 'CSV_MAX_RECORD_SIZE'
          ? `records under ${MAX_RECORD_BYTES} bytes`
          : 'RFC 4180 CSV: comma-separated, fields with commas, quotes or line breaks in double quotes, quotes doubled inside';
    // csv-parse counts fields from 0; problems count CSV columns from 1
    const column = e.code !== 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' && typeof e.column === 'number' ? e.column + 1 : 1;
    const endsLater = e.lines !== undefined && e.lines > recordLine ? ` (the record starting here runs to line ${e.lines})` : '';
    return problem('BAD_CSV', `${reason}${endsLater} (${e.code}); expected ${expected}`, { file, line: recordLine, column });
  }
  return problem('BAD_CSV', `could not read the file: ${(error as Error).message}`, { file });
}
