/**
 * Byte-level hygiene csv-parse does not enforce (docs/reference/workspace.md, issue "hostile input"): one line-ending
 * style per file, and no control or bidirectional-override characters in any cell (a NUL, or a
 * U+202E that makes "BYP-1" display as "1-PYB", is never legitimate in an export).
 * Streams: feed text chunks in order; the first problem found is kept.
 */

import { codePoint } from './problems.ts';

/** C0 controls except tab, CR and LF; DEL; C1 controls; bidi marks, embeddings, overrides and isolates. */
export const FORBIDDEN =
  '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
// commas are not tokens: a field number is only needed for a finding, and is counted then
const TOKEN = new RegExp(`["\\r\\n]|[${FORBIDDEN}]`, 'g');

export interface TextGuardFinding {
  kind: 'mixed_line_endings' | 'control_character';
  line: number;
  /** 1-based field number on that line */
  field: number;
  message: string;
}

export type Eol = 'CRLF' | 'LF' | 'CR';

/** Where a guard starts when it takes over from the reader's byte path at the start of a line. */
export interface TextGuardStart {
  line: number;
  /** the line ending of the lines already read, and the line that first used it */
  eol: Eol | null;
  eolLine: number;
}

export class TextGuard {
  #line = 1;
  #inQuotes = false;
  #pendingCr = false;
  #eol: Eol | null = null;
  #eolLine = 0;
  /** the current line's text seen in earlier chunks (to count its fields if a finding needs it) */
  #lineSoFar = '';
  #text = '';
  #lineStart = 0;
  finding: TextGuardFinding | null = null;

  constructor(start?: TextGuardStart) {
    if (start) {
      this.#line = start.line;
      this.#eol = start.eol;
      this.#eolLine = start.eolLine;
    }
  }

  /**
   * Where the current line (the one a finding is on, or the one still open) began in the text last
   * fed, or -1 when it began in an earlier text: what comes before it is whole lines.
   */
  get lineStartInText(): number {
    return this.#lineStartedHere ? this.#lineStart : -1;
  }

  #lineStartedHere = false;

  /** the last character of the text fed before (undefined at the start of the file) */
  #previousChar: string | undefined = undefined;
  /** where in the current text the last closing quote was: -1 when it ended the text before */
  #closedAt = -2;

  /**
   * A double quote opens a quoted field only where csv-parse would take it as one: at a field's
   * start, or right after a closing quote (a doubled quote inside the field). Anywhere else it is
   * a stray quote, which csv-parse refuses on its own line; the guard does not let it swallow the
   * line breaks that follow.
   */
  #quote(index: number): void {
    if (this.#inQuotes) {
      this.#inQuotes = false;
      this.#closedAt = index;
      return;
    }
    const before = index > 0 ? this.#text[index - 1] : this.#previousChar;
    if (before === undefined || before === ',' || before === '\n' || before === '\r' || this.#closedAt === index - 1)
      this.#inQuotes = true;
  }

  feed(text: string): void {
    if (this.finding) return;
    if (this.#text.length > 0) {
      this.#previousChar = this.#text[this.#text.length - 1];
      this.#closedAt = this.#closedAt === this.#text.length - 1 ? -1 : -2;
    }
    this.#text = text;
    this.#lineStart = 0;
    this.#lineStartedHere = false;
    TOKEN.lastIndex = 0;
    if (this.#pendingCr) {
      this.#pendingCr = false;
      if (text.length === 0) {
        this.#pendingCr = true;
        return;
      }
      // a CR that ended the previous chunk: inside quotes it is a line of the cell, else a line ending
      if (this.#inQuotes) this.#line++;
      else this.#endLine(text[0] === '\n' ? 'CRLF' : 'CR', text[0] === '\n' ? 1 : 0);
      if (text[0] === '\n') TOKEN.lastIndex = 1;
    }
    let match: RegExpExecArray | null;
    while (!this.finding && (match = TOKEN.exec(text)) !== null) {
      const c = match[0];
      if (c === '"') this.#quote(match.index);
      else if (c === '\n') {
        if (this.#inQuotes) this.#line++;
        else this.#endLine('LF', match.index + 1);
      } else if (c === '\r') {
        const next = text[match.index + 1];
        if (next === undefined) {
          this.#pendingCr = true;
          this.#lineSoFar += text.slice(this.#lineStart, match.index);
          return;
        }
        if (next === '\n') TOKEN.lastIndex = match.index + 2;
        if (this.#inQuotes) this.#line++;
        else this.#endLine(next === '\n' ? 'CRLF' : 'CR', match.index + (next === '\n' ? 2 : 1), match.index);
      } else {
        this.finding = {
          kind: 'control_character',
          line: this.#line,
          field: this.#fieldAt(match.index),
          message: `the control character ${codePoint(c)} appears in a cell; exports hold printable text only (no NUL, no bidirectional overrides)`,
        };
      }
    }
    if (!this.finding) this.#lineSoFar += text.slice(this.#lineStart);
  }

  end(): void {
    // the text before that CR is already in #lineSoFar
    if (this.#pendingCr && !this.finding && !this.#inQuotes) this.#endLine('CR', this.#lineStart, this.#lineStart);
    this.#pendingCr = false;
  }

  /** The line and 1-based field where the text fed so far ends (where the next character would be). */
  position(): { line: number; field: number } {
    // a CR that ended the text: outside quotes it ended the line
    if (this.#pendingCr) return { line: this.#line + 1, field: this.#inQuotes ? countFields(this.#lineSoFar) : 1 };
    return { line: this.#line, field: countFields(this.#lineSoFar) };
  }

  /** The 1-based field number at `index` of the current text, counting commas outside quotes. */
  #fieldAt(index: number): number {
    return countFields(this.#lineSoFar + this.#text.slice(this.#lineStart, index));
  }

  /** `next` is where the following line starts in the current text; `at` is where this one ends. */
  #endLine(eol: Eol, next: number, at = next - 1): void {
    if (this.#eol === null) {
      this.#eol = eol;
      this.#eolLine = this.#line;
    } else if (eol !== this.#eol && !this.finding) {
      this.finding = {
        kind: 'mixed_line_endings',
        line: this.#line,
        field: this.#fieldAt(Math.max(this.#lineStart, Math.min(at, this.#text.length))),
        message: `line ${this.#line} ends with ${eol}, but line ${this.#eolLine} ends with ${this.#eol}; use one line ending (LF or CRLF) throughout`,
      };
      return;
    }
    this.#line++;
    this.#lineSoFar = '';
    this.#lineStart = next;
    this.#lineStartedHere = true;
  }
}

/** The 1-based field number at the end of a line's text, counting commas outside quotes. */
function countFields(line: string): number {
  let field = 1;
  let quoted = false;
  let closedAt = -2;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 34) {
      // the same rule as #quote: a quote opens a field only at its start or right after a closing quote
      if (quoted) {
        quoted = false;
        closedAt = i;
      } else if (i === 0 || line.charCodeAt(i - 1) === 44 || closedAt === i - 1) quoted = true;
    } else if (c === 44 && !quoted) field++;
  }
  return field;
}
