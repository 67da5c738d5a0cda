/**
 * The reader's byte path (issue: scale). A strict tokenizer for the CSV that exports almost
 * always are: one record per line, LF or CRLF throughout, fields plain or in double quotes
 * (quotes doubled inside), printable UTF-8 text. It works on the file's bytes as they stream
 * in, hands the accumulator each record as spans of those bytes (no string per cell: numbers
 * are scanned straight from the bytes), and never decides anything csv-parse would decide
 * differently: whatever it does not accept — a quote in the middle of a field, a line break in
 * a quoted field, an empty line, a field count unlike the header's, a bare CR, a line ending
 * unlike the first, a control or bidi character, invalid UTF-8, a very long line — makes it stop
 * and hand the bytes from the start of the current chunk's first record to the reference path
 * (TextDecoder, TextGuard and csv-parse), which reads the rest of the file and reports any
 * problem exactly as it would have from the first byte.
 *
 * A chunk is delivered only once all of it has been tokenized: the reference path checks each
 * decoded chunk with the byte guard before csv-parse sees any record of it, and the byte path
 * keeps that order, so both paths report the same records and problems however the file is
 * chunked (tested against csv-parse over the bad-input corpus and fuzzed files).
 */
import { EMPTY, type RowValues } from './aggregate.ts';
import { NOT_A_NUMBER, scanDecimal } from './decimal.ts';
import type { Row } from './row.ts';

/** Longer records go to csv-parse, which enforces the record size limit. */
export const BYTE_PATH_RECORD_LIMIT = 1 << 16;

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;
const TAB = 9;

/** what a byte is to the tokenizer */
const ORDINARY = 0; // printable ASCII other than the quote and the comma, and the tab
const SEPARATOR = 1; // the comma
const QUOTE_MARK = 2;
const LINE_BREAK = 3;
const MULTIBYTE = 4; // a byte of a UTF-8 sequence
const REFUSED = 5; // a control character or DEL
const BYTE_KINDS = new Uint8Array(256).map((_, b) =>
  b === COMMA
    ? SEPARATOR
    : b === QUOTE
      ? QUOTE_MARK
      : b === CR || b === LF
        ? LINE_BREAK
        : b >= 0x80
          ? MULTIBYTE
          : (b >= 0x20 && b < 0x7f) || b === TAB
            ? ORDINARY
            : REFUSED,
);

/** field flags */
const ESCAPED = 1; // a quoted field with "" inside
const NON_ASCII = 2;

/** Where the byte path stopped, for the reference path to take over from. */
export interface ByteHandover {
  /** the bytes from the first record not delivered, to the end of what has been pushed */
  bytes: Uint8Array;
  /** whether those bytes start the file (a byte order mark there is the file's) */
  atFileStart: boolean;
  /** where those bytes start in the file */
  offset: number;
  /** the number of lines delivered (the next record starts on line + 1) */
  line: number;
  /** the header line as read, and the line ending it used; null before the header */
  header: { text: string; eol: '\n' | '\r\n' } | null;
}

export interface ByteRecordSink {
  header(fields: string[], line: number): void;
  record(row: Row, line: number): void;
}

export class CsvByteTokenizer {
  readonly #sink: ByteRecordSink;
  #data = new Uint8Array(0);
  #carry = 0;
  #line = 0;
  #eol: 0 | typeof LF | typeof CR = 0;
  #headerFields = -1;
  #header: ByteHandover['header'] = null;
  /** the header record's bytes, without its line ending, in this push's data */
  #headerSpan: [number, number] = [0, 0];
  #bomChecked = false;
  #bomSkipped = false;
  /** where `#data[0]` is in the file */
  #offset = 0;
  #stopped = false;
  // this push's tokens: fields (start, end, flags) and records (first field index, field count)
  #fieldStart = new Int32Array(0);
  #fieldEnd = new Int32Array(0);
  #fieldFlags = new Uint8Array(0);
  #recordFirst = new Int32Array(0);
  #recordFields = new Int32Array(0);
  #recordEol = new Uint8Array(0);
  readonly #row: ByteRow;

  constructor(sink: ByteRecordSink) {
    this.#sink = sink;
    this.#row = new ByteRow(this);
  }

  /** for ByteRow */
  get data(): Uint8Array {
    return this.#data;
  }
  get fieldStart(): Int32Array {
    return this.#fieldStart;
  }
  get fieldEnd(): Int32Array {
    return this.#fieldEnd;
  }
  get fieldFlags(): Uint8Array {
    return this.#fieldFlags;
  }

  /** Tokenizes and delivers `chunk`; returns where to hand over instead when the byte path stops. */
  push(chunk: Uint8Array): ByteHandover | null {
    if (this.#stopped) throw new Error('the byte path has handed over');
    if (chunk.length === 0) return null;
    const length = this.#carry + chunk.length;
    if (this.#data.length < length + 1) {
      // one byte more than the data, for #run's sentinel
      const grown = new Uint8Array(Math.max(length + 1, this.#data.length * 2));
      grown.set(this.#data.subarray(0, this.#carry));
      this.#data = grown;
    }
    this.#data.set(chunk, this.#carry);
    if (!this.#bomChecked) {
      // the decoder drops a byte order mark that starts the file; so does the byte path
      const data = this.#data;
      const bom = [0xef, 0xbb, 0xbf];
      if (length < 3 && data.subarray(0, length).every((b, i) => b === bom[i])) {
        this.#carry = length; // too short to tell yet
        return null;
      }
      this.#bomChecked = true;
      if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
        data.copyWithin(0, 3, length);
        this.#bomSkipped = true;
        this.#offset = 3;
        return this.#run(length - 3, false);
      }
    }
    return this.#run(length, false);
  }

  /** The end of the file: a last record without a line ending is complete. */
  end(): ByteHandover | null {
    if (this.#stopped) throw new Error('the byte path has handed over');
    // a file of one or two bytes that start a byte order mark: the reference path judges it
    if (!this.#bomChecked && this.#carry > 0) return this.#handOver(this.#carry);
    return this.#carry === 0 ? null : this.#run(this.#carry, true);
  }

  #handOver(length: number): ByteHandover {
    this.#stopped = true;
    return {
      bytes: this.#data.slice(0, length),
      atFileStart: this.#line === 0 && !this.#bomSkipped,
      offset: this.#offset,
      line: this.#line,
      header: this.#header,
    };
  }

  /** Room for the tokens of `length` bytes: at most one field per byte, plus one. */
  #ensureCapacity(length: number): void {
    const needed = length + 2;
    if (needed <= this.#fieldStart.length) return;
    const size = Math.max(needed, this.#fieldStart.length * 2);
    this.#fieldStart = new Int32Array(size);
    this.#fieldEnd = new Int32Array(size);
    this.#fieldFlags = new Uint8Array(size);
    this.#recordFirst = new Int32Array(size);
    this.#recordFields = new Int32Array(size);
    this.#recordEol = new Uint8Array(size);
  }

  /**
   * Phase 1 tokenizes `data[0, length)` into records; phase 2 delivers them, only when all of it
   * was accepted. The bytes of an incomplete last record are carried to the next push.
   */
  #run(length: number, final: boolean): ByteHandover | null {
    this.#ensureCapacity(length);
    const data = this.#data;
    data[length] = LF; // a sentinel: the scan of a field stops there without checking the length
    const kinds = BYTE_KINDS;
    const fieldStart = this.#fieldStart;
    const fieldEnd = this.#fieldEnd;
    const fieldFlags = this.#fieldFlags;
    const recordFirst = this.#recordFirst;
    const recordFields = this.#recordFields;
    const recordEols = this.#recordEol;
    let fields = 0;
    let records = 0;
    let eol = this.#eol;
    let headerFields = this.#headerFields;
    let pos = 0;
    let recordStart = 0;
    // every field of a record ends with a comma, a line ending, or the end of the data
    records: while (pos < length) {
      recordStart = pos;
      const firstField = fields;
      let recordEol = 0;
      let contentEnd = length;
      for (;;) {
        let flags = 0;
        const quoted = data[pos] === QUOTE;
        const start = quoted ? pos + 1 : pos;
        let end = start;
        let i = start;
        for (;;) {
          // the hot loop: most bytes are ordinary (the sentinel after the data is not)
          let kind = kinds[data[i]!]!;
          while (kind === ORDINARY) kind = kinds[data[++i]!]!;
          if (i >= length) {
            // a plain field ends with the file; a quoted one must be closed
            if (!final || quoted) break records;
            end = i;
            pos = i;
            break;
          }
          if (kind === MULTIBYTE) {
            const size = utf8Sequence(data, i, length, final);
            if (size === 0) return this.#handOver(length);
            if (size < 0) break records; // cut short: the rest comes with the next chunk
            flags |= NON_ASCII;
            i += size;
            continue;
          }
          if (!quoted) {
            if (kind === SEPARATOR || kind === LINE_BREAK) {
              end = i;
              pos = i;
              break;
            }
            return this.#handOver(length); // a quote inside a plain field, or a control character
          }
          if (kind === SEPARATOR) {
            i++;
            continue;
          }
          if (kind !== QUOTE_MARK) return this.#handOver(length); // a line break inside quotes, or a control character
          if (i + 1 >= length) {
            if (!final) break records; // a doubled quote may follow
            end = i;
            pos = i + 1;
            break;
          }
          if (data[i + 1] === QUOTE) {
            flags |= ESCAPED;
            i += 2;
            continue;
          }
          end = i;
          pos = i + 1;
          const next = data[pos]!;
          if (next !== COMMA && next !== CR && next !== LF) return this.#handOver(length);
          break;
        }
        fieldStart[fields] = start;
        fieldEnd[fields] = end;
        fieldFlags[fields] = flags;
        fields++;
        if (pos >= length) {
          // the last record of the file, without a line ending
          if (!final) break records;
          break;
        }
        const c = data[pos]!;
        if (c === COMMA) {
          pos++;
          if (pos < length) continue;
          if (!final) break records;
          // a comma ends the file: one more, empty field
          fieldStart[fields] = pos;
          fieldEnd[fields] = pos;
          fieldFlags[fields] = 0;
          fields++;
          break;
        }
        // a line ending: LF, or CR LF
        contentEnd = pos;
        let ending: typeof LF | typeof CR = LF;
        if (c === CR) {
          if (pos + 1 >= length) {
            if (!final) break records;
            return this.#handOver(length); // a CR at the end of the file
          }
          if (data[pos + 1] !== LF) return this.#handOver(length); // a bare CR
          ending = CR;
          pos += 2;
        } else pos += 1;
        if (eol !== 0 && ending !== eol) return this.#handOver(length);
        eol = ending;
        recordEol = ending;
        break;
      }
      const count = fields - firstField;
      // an empty line is a record csv-parse judges (and a field count unlike the header's)
      if (count === 1 && fieldEnd[firstField] === fieldStart[firstField]) return this.#handOver(length);
      if (headerFields === -1) {
        headerFields = count;
        this.#headerSpan = [recordStart, contentEnd];
      } else if (count !== headerFields) return this.#handOver(length);
      if (pos - recordStart > BYTE_PATH_RECORD_LIMIT) return this.#handOver(length);
      recordFirst[records] = firstField;
      recordFields[records] = count;
      recordEols[records] = recordEol;
      records++;
      recordStart = pos;
    }
    if (final && recordStart < length) return this.#handOver(length);
    if (length - recordStart > BYTE_PATH_RECORD_LIMIT) return this.#handOver(length);
    // phase 2: every record of this push was accepted
    this.#eol = eol;
    this.#headerFields = headerFields;
    this.#deliver(records);
    this.#carry = length - recordStart;
    this.#offset += recordStart;
    if (this.#carry > 0) data.copyWithin(0, recordStart, length);
    return null;
  }

  #deliver(records: number): void {
    const row = this.#row;
    for (let r = 0; r < records; r++) {
      const line = ++this.#line;
      row.first = this.#recordFirst[r]!;
      row.length = this.#recordFields[r]!;
      if (this.#header === null) {
        const fields: string[] = [];
        for (let i = 0; i < row.length; i++) fields.push(row.text(i));
        const eol = this.#recordEol[r] === CR ? '\r\n' : '\n';
        this.#header = { text: decodeUtf8(this.#data, this.#headerSpan[0], this.#headerSpan[1]), eol };
        this.#sink.header(fields, line);
      } else this.#sink.record(row, line);
    }
  }
}

const latin1 = new TextDecoder('latin1');
// a U+FEFF inside a cell is kept (ignoreBOM), as the reference decoder keeps it after the file's start
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

function decodeUtf8(data: Uint8Array, start: number, end: number): string {
  return utf8.decode(data.subarray(start, end));
}

/** One record on the byte path: cells are spans of the tokenizer's bytes, read on demand. */
class ByteRow implements Row {
  readonly #tokens: CsvByteTokenizer;
  first = 0;
  length = 0;

  constructor(tokens: CsvByteTokenizer) {
    this.#tokens = tokens;
  }

  text(index: number): string {
    const t = this.#tokens;
    const f = this.first + index;
    const start = t.fieldStart[f]!;
    const end = t.fieldEnd[f]!;
    if (start === end) return '';
    const flags = t.fieldFlags[f]!;
    const text = flags & NON_ASCII ? decodeUtf8(t.data, start, end) : latin1.decode(t.data.subarray(start, end));
    return flags & ESCAPED ? text.replaceAll('""', '"') : text;
  }

  isEmpty(index: number): boolean {
    const f = this.first + index;
    return this.#tokens.fieldStart[f] === this.#tokens.fieldEnd[f];
  }

  equals(index: number, text: string): boolean {
    const t = this.#tokens;
    const f = this.first + index;
    const start = t.fieldStart[f]!;
    const end = t.fieldEnd[f]!;
    if (t.fieldFlags[f] !== 0) return this.text(index) === text;
    // a plain ASCII cell compares byte for character
    if (end - start !== text.length) return false;
    const data = t.data;
    for (let i = start, k = 0; i < end; i++, k++) if (data[i] !== text.charCodeAt(k)) return false;
    return true;
  }

  firstCode(index: number): number {
    const t = this.#tokens;
    const f = this.first + index;
    const start = t.fieldStart[f]!;
    if (start === t.fieldEnd[f]) return -1;
    const byte = t.data[start]!;
    return byte < 0x80 ? byte : this.text(index).charCodeAt(0);
  }

  decimals(indexes: Int32Array, values: RowValues): void {
    const t = this.#tokens;
    const data = t.data;
    const fieldStart = t.fieldStart;
    const fieldEnd = t.fieldEnd;
    const fieldFlags = t.fieldFlags;
    const kinds = values.kind;
    for (let c = 0; c < indexes.length; c++) {
      const index = indexes[c]!;
      const f = this.first + index;
      const start = fieldStart[f]!;
      const end = fieldEnd[f]!;
      // a quote or a character beyond ASCII is never part of a number
      kinds[index] =
        start === end ? EMPTY : fieldFlags[f] !== 0 ? NOT_A_NUMBER : scanDecimal(data, start, end, values, index);
    }
  }
}

/**
 * The length of the UTF-8 sequence at `data[i]` (a byte >= 0x80): 2–4 when it is valid and not a
 * character the byte guard refuses (C1 controls, bidi marks, embeddings, overrides, isolates),
 * 0 when it is not (or `length` cuts it short at the end of the file), -1 when `length` cuts it
 * short before the end.
 */
function utf8Sequence(data: Uint8Array, i: number, length: number, final: boolean): number {
  const b = data[i]!;
  let size: number;
  let low = 0x80;
  let high = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) size = 2;
  else if (b >= 0xe0 && b <= 0xef) {
    size = 3;
    if (b === 0xe0) low = 0xa0;
    else if (b === 0xed) high = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    size = 4;
    if (b === 0xf0) low = 0x90;
    else if (b === 0xf4) high = 0x8f;
  } else return 0;
  if (i + size > length) {
    // judge what is there; the rest may come with the next chunk
    for (let k = 1; i + k < length; k++) {
      const c = data[i + k]!;
      if (k === 1 ? c < low || c > high : c < 0x80 || c > 0xbf) return 0;
    }
    return final ? 0 : -1;
  }
  const c1 = data[i + 1]!;
  if (c1 < low || c1 > high) return 0;
  for (let k = 2; k < size; k++) {
    const c = data[i + k]!;
    if (c < 0x80 || c > 0xbf) return 0;
  }
  // U+0080–U+009F, U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069
  if (b === 0xc2 && c1 <= 0x9f) return 0;
  if (b === 0xd8 && c1 === 0x9c) return 0;
  if (b === 0xe2) {
    const c2 = data[i + 2]!;
    if (c1 === 0x80 && (c2 === 0x8e || c2 === 0x8f || (c2 >= 0xaa && c2 <= 0xae))) return 0;
    if (c1 === 0x81 && c2 >= 0xa6 && c2 <= 0xa9) return 0;
  }
  return size;
}
