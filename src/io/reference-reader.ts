/**
 * The reference reader: a strict UTF-8 decoder, the byte guard (TextGuard) and csv-parse. It reads
 * a whole export when asked to (the equivalence tests and the benchmark), and otherwise the rest
 * of an export from wherever the byte path (core/csv-bytes.ts) handed over: csv-parse is then
 * first given the header line again, so it checks field counts against the header exactly as it
 * would have from the start (that primer record is not delivered), and line numbers continue.
 */
import { CsvError, parse, type Parser } from 'csv-parse';
import type { ByteHandover, ByteRecordSink } from '../core/csv-bytes.ts';
import { StringRow } from '../core/row.ts';
import { TextGuard, type TextGuardFinding } from '../core/text-guard.ts';
import { firstInvalidUtf8 } from '../core/utf8.ts';

// csv-parse's error too, for whoever loads this module when it needs it (io/csv-reader.ts)
export { CsvError };

/** Bytes that are not UTF-8: where the first one is in the file, and its line and CSV field as the guard counts them. */
export class InvalidUtf8Error extends Error {
  readonly offset: number;
  readonly line: number;
  readonly field: number;
  constructor(offset: number, line: number, field: number) {
    super(`invalid UTF-8 at byte ${offset}`);
    this.offset = offset;
    this.line = line;
    this.field = field;
  }
}

export class GuardError extends Error {
  readonly finding: TextGuardFinding;
  constructor(finding: TextGuardFinding) {
    super(finding.message);
    this.finding = finding;
  }
}

/** Reading from the first byte of the file. */
export const FROM_THE_START: ByteHandover = {
  bytes: new Uint8Array(0),
  atFileStart: true,
  offset: 0,
  line: 0,
  header: null,
};

export class ReferenceReader {
  readonly #decoder: TextDecoder;
  readonly #guard: TextGuard;
  readonly #parser: Parser;
  readonly #failed: Promise<never>;
  readonly #row = new StringRow();
  readonly #maxRecordBytes: number;
  readonly #atFileStart: boolean;
  /** where the bytes this reader was handed start in the file */
  readonly #offset: number;
  #lineOffset: number;
  #lastLines = 0;
  #skipPrimer: boolean;
  #headerDone: boolean;
  /** the decoded text of the line still open (csv-parse is given whole lines only) */
  #pending = '';
  /** the bytes of a UTF-8 sequence the last chunk cut short (to locate invalid bytes) */
  #tail: Uint8Array = new Uint8Array(0);
  /** how many bytes the decoder has been given */
  #decoded = 0;

  constructor(sink: ByteRecordSink, from: ByteHandover, maxRecordBytes: number) {
    this.#maxRecordBytes = maxRecordBytes;
    this.#atFileStart = from.atFileStart;
    this.#offset = from.offset;
    this.#decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: !from.atFileStart });
    const eol = from.header ? (from.header.eol === '\r\n' ? 'CRLF' : 'LF') : null;
    this.#guard = new TextGuard({ line: from.line + 1, eol, eolLine: 1 });
    this.#headerDone = from.header !== null;
    this.#skipPrimer = from.header !== null;
    // csv-parse counts lines from the primer (the header, line 1) when there is one
    this.#lineOffset = from.header ? from.line - 1 : from.line;
    const parser = parse({ info: true, max_record_size: maxRecordBytes, skip_empty_lines: false });
    this.#parser = parser;
    parser.on('data', (record: { record: string[]; info: { lines: number } }) => {
      const line = this.#lineOffset + this.#lastLines + 1;
      this.#lastLines = record.info.lines;
      if (this.#skipPrimer) {
        this.#skipPrimer = false;
        return;
      }
      if (!this.#headerDone) {
        this.#headerDone = true;
        sink.header(record.record, line);
      } else {
        this.#row.fields = record.record;
        sink.record(this.#row, line);
      }
    });
    this.#failed = new Promise<never>((_, reject) => parser.once('error', (error) => reject(this.#locate(error))));
    this.#failed.catch(() => {});
    if (from.header) parser.write(from.header.text + from.header.eol);
  }

  /** Where the record that failed began, in the whole file (an unclosed quote is reported where it opened). */
  #locate(error: Error): Error {
    const e = error as CsvError & { lines?: number; recordLine?: number };
    if (e.recordLine !== undefined) return e; // already located (csv-parse reports an error both ways)
    if (e instanceof CsvError && typeof e.lines === 'number') e.lines += this.#lineOffset;
    // csv-parse counts lines from where it started reading (the primer): say them in the whole file
    if (this.#lineOffset !== 0)
      e.message = e.message.replace(
        /\b(at|on) line (\d+)/g,
        (_, word: string, line: string) => `${word} line ${Number(line) + this.#lineOffset}`,
      );
    e.recordLine = this.#lineOffset + this.#lastLines + 1;
    return e;
  }

  /** Decodes and checks `bytes`; csv-parse then reads the whole lines among them. */
  async write(bytes: Uint8Array): Promise<void> {
    let text: string;
    try {
      text = this.#decoder.decode(bytes, { stream: true });
    } catch {
      return this.#invalidUtf8(bytes);
    }
    this.#decoded += bytes.length;
    this.#tail = cutShortSequence(this.#tail.length > 0 ? concat(this.#tail, bytes) : bytes);
    await this.#take(text);
  }

  async end(): Promise<void> {
    let text: string;
    try {
      text = this.#decoder.decode();
    } catch {
      return this.#invalidUtf8(new Uint8Array(0));
    }
    await this.#take(text, true);
    await this.#send(this.#pending);
    this.#pending = '';
    await this.#endParser(false);
  }

  /**
   * The guard sees text before csv-parse does, and csv-parse only ever gets whole lines: so when
   * the guard stops on a line, csv-parse has read exactly the records before that line, however
   * the file was chunked (and the byte path, which hands over at a record's start, agrees).
   * A line longer than any record csv-parse accepts is the exception: it goes to csv-parse once
   * it is longer than twice that size, so that csv-parse refuses it instead of it being held; the
   * text is cut there, so that this happens at the same character however the file was chunked.
   */
  async #take(text: string, last = false): Promise<void> {
    const limit = 2 * this.#maxRecordBytes;
    let rest = text;
    for (;;) {
      let room = limit + 1 - this.#pending.length;
      if (rest.length <= room) return this.#takeLines(rest, last);
      const high = rest.charCodeAt(room - 1);
      if (high >= 0xd800 && high <= 0xdbff) room++; // keep a surrogate pair together
      await this.#takeLines(rest.slice(0, room), false);
      rest = rest.slice(room);
    }
  }

  async #takeLines(text: string, last: boolean): Promise<void> {
    const guard = this.#guard;
    guard.feed(text);
    if (last) guard.end();
    const start = last && !guard.finding ? text.length : guard.lineStartInText;
    if (start >= 0) {
      const whole = this.#pending + text.slice(0, start);
      this.#pending = text.slice(start);
      await this.#send(whole);
    } else this.#pending += text;
    if (guard.finding) {
      // csv-parse reads what it holds; a record the stop cut open is not a problem of its own
      await this.#endParser(true);
      throw new GuardError(guard.finding);
    }
    if (this.#pending.length > 2 * this.#maxRecordBytes) {
      await this.#send(this.#pending);
      this.#pending = '';
    }
  }

  /** The bytes hold invalid UTF-8: the text before it is read like any other, then reading stops. */
  async #invalidUtf8(bytes: Uint8Array): Promise<void> {
    const all = concat(this.#tail, bytes);
    const at = Math.max(0, firstInvalidUtf8(all));
    // a byte order mark is the file's only when these bytes start the file
    const startsFile = this.#atFileStart && this.#decoded - this.#tail.length === 0;
    const before = new TextDecoder('utf-8', { ignoreBOM: !startsFile }).decode(all.subarray(0, at));
    await this.#take(before);
    await this.#endParser(true);
    // the guard has read exactly the text before the byte: its position is the byte's
    const { line, field } = this.#guard.position();
    throw new InvalidUtf8Error(this.#offset + this.#decoded - this.#tail.length + at, line, field);
  }

  async #send(text: string): Promise<void> {
    if (text === '') return;
    const written = new Promise<void>((resolve, reject) =>
      this.#parser.write(text, (error) => (error ? reject(this.#locate(error)) : resolve())),
    );
    await Promise.race([written, this.#failed]);
  }

  /** Ends csv-parse; `cut`: the input stopped early, so an open quoted field is not an error. */
  async #endParser(cut: boolean): Promise<void> {
    const ended = new Promise<void>((resolve) => this.#parser.once('end', resolve));
    this.#parser.end();
    try {
      await Promise.race([ended, this.#failed]);
    } catch (error) {
      if (!(cut && (error as CsvError).code === 'CSV_QUOTE_NOT_CLOSED')) throw error;
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/** The bytes at the end of valid UTF-8 `bytes` that start a sequence not finished yet. */
function cutShortSequence(bytes: Uint8Array): Uint8Array {
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const b = bytes[bytes.length - back]!;
    if (b < 0x80) return new Uint8Array(0);
    if (b >= 0xc0) {
      const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return size > back ? bytes.slice(bytes.length - back) : new Uint8Array(0);
    }
  }
  return new Uint8Array(0);
}
