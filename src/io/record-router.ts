/**
 * The reader's fast path (issue: scale). Most exports have no quoted fields: for those, a record
 * is a line and a field is what lies between commas, and splitting strings natively is several
 * times faster than csv-parse's character-by-character state machine. The first record that is
 * anything else — a quote, an empty line, a field count that differs from the header's, a line
 * longer than FAST_LINE_LIMIT — hands it and everything after it to csv-parse, which stays the
 * reference reader for every error and edge case. Records and line numbers are the same either
 * way (tested over the bad-input corpus and fuzzed files).
 */
import { Transform, type TransformCallback } from 'node:stream';
import { CsvError, parse, type Parser } from 'csv-parse';

/** Longer lines go to csv-parse, which enforces the record size limit. */
const FAST_LINE_LIMIT = 1 << 16;

export interface RoutedRecord {
  fields: string[];
  /** the line the record starts on */
  line: number;
}

export interface RouterOptions {
  maxRecordBytes: number;
  /** skip the fast path (the reference reader, for equivalence tests and benchmarks) */
  referenceOnly?: boolean;
}

export class RecordRouter extends Transform {
  #carry = '';
  #line = 0;
  #fieldCount = -1;
  #eol: '\n' | '\r\n' | null = null;
  #parser: Parser | null = null;
  #parserLineOffset = 0;
  #parserLastLine = 0;
  #header: { text: string; eol: string } | null = null;
  #skipPrimer = false;
  readonly #options: RouterOptions;

  constructor(options: RouterOptions) {
    super({ writableObjectMode: true, readableObjectMode: true });
    this.#options = options;
    if (options.referenceOnly) this.#startParser('');
  }

  /**
   * Hands `text` (and everything after it) to csv-parse. Once a header has been read, csv-parse is
   * first given the header line again, so it checks field counts against the header exactly as it
   * would have from the start; that primer record is not emitted.
   */
  #startParser(text: string): void {
    const parser = parse({ info: true, max_record_size: this.#options.maxRecordBytes, skip_empty_lines: false });
    this.#parser = parser;
    this.#skipPrimer = this.#header !== null;
    this.#parserLineOffset = this.#header ? this.#line - 1 : this.#line;
    this.#parserLastLine = 0;
    parser.on('data', (record: { record: string[]; info: { lines: number } }) => {
      const line = this.#parserLineOffset + this.#parserLastLine + 1;
      this.#parserLastLine = record.info.lines;
      if (this.#skipPrimer) {
        this.#skipPrimer = false;
        return;
      }
      this.push({ fields: record.record, line } satisfies RoutedRecord);
    });
    parser.on('error', (error) => this.destroy(this.#offsetError(error)));
    if (this.#header) parser.write(this.#header.text + this.#header.eol);
    if (text) parser.write(text);
  }

  #offsetError(error: Error): Error {
    const e = error as CsvError & { lines?: number; recordLine?: number };
    if (e instanceof CsvError && typeof e.lines === 'number') e.lines += this.#parserLineOffset;
    // where the record that failed began, in the whole file
    (e as { recordLine?: number }).recordLine = this.#parserLineOffset + this.#parserLastLine + 1;
    return e;
  }

  override _transform(text: string, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.#parser) {
      this.#parser.write(text, () => callback());
      return;
    }
    let data = this.#carry + text;
    let start = 0;
    for (;;) {
      const newline = data.indexOf('\n', start);
      if (newline === -1) break;
      const end = newline > start && data.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      const eol = end === newline ? '\n' : '\r\n';
      const line = data.slice(start, end);
      if (!this.#fast(line, eol)) {
        data = data.slice(start);
        this.#carry = '';
        this.#startParser(data);
        this.#parser!.write('', () => callback());
        return;
      }
      start = newline + 1;
    }
    this.#carry = data.slice(start);
    if (this.#carry.length > FAST_LINE_LIMIT) {
      const rest = this.#carry;
      this.#carry = '';
      this.#startParser(rest);
    }
    callback();
  }

  /** Emits a simple record; false when it is not one (csv-parse takes over from this line). */
  #fast(line: string, eol: '\n' | '\r\n'): boolean {
    if (line.length === 0 || line.length > FAST_LINE_LIMIT || line.includes('"') || line.includes('\r')) return false;
    if (this.#eol !== null && eol !== this.#eol) return false;
    const fields = line.split(',');
    if (this.#fieldCount !== -1 && fields.length !== this.#fieldCount) return false;
    if (this.#header === null) this.#header = { text: line, eol };
    this.#eol = eol;
    this.#fieldCount = fields.length;
    this.#line++;
    this.push({ fields, line: this.#line } satisfies RoutedRecord);
    return true;
  }

  override _flush(callback: TransformCallback): void {
    if (!this.#parser && this.#carry.length > 0) {
      // a last line without a line ending
      if (!this.#fast(this.#carry, this.#eol ?? '\n')) this.#startParser(this.#carry);
      this.#carry = '';
    }
    if (!this.#parser) return callback();
    this.#parser.once('end', () => callback());
    this.#parser.end();
  }
}
