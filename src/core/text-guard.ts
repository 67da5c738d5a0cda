/**
 * Byte-level hygiene csv-parse does not enforce (SPEC §4, issue "hostile input"): one line-ending
 * style per file, and no control or bidirectional-override characters in any cell (a NUL, or a
 * U+202E that makes "BYP-1" display as "1-PYB", is never legitimate in an export).
 * Streams: feed text chunks in order; the first problem found is kept.
 */

/** C0 controls except tab, CR and LF; DEL; C1 controls; bidi marks, embeddings, overrides and isolates. */
const FORBIDDEN = '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
const TOKEN = new RegExp(`["\\r\\n,]|[${FORBIDDEN}]`, 'g');

export interface TextGuardFinding {
  kind: 'mixed_line_endings' | 'control_character';
  line: number;
  /** 1-based field number on that line */
  field: number;
  message: string;
}

type Eol = 'CRLF' | 'LF' | 'CR';

export class TextGuard {
  #line = 1;
  #field = 1;
  #inQuotes = false;
  #pendingCr = false;
  #eol: Eol | null = null;
  #eolLine = 0;
  finding: TextGuardFinding | null = null;

  feed(text: string): void {
    if (this.finding) return;
    TOKEN.lastIndex = 0;
    if (this.#pendingCr) {
      this.#pendingCr = false;
      if (text.length === 0) {
        this.#pendingCr = true;
        return;
      }
      this.#endLine(text[0] === '\n' ? 'CRLF' : 'CR');
      if (text[0] === '\n') TOKEN.lastIndex = 1;
    }
    let match: RegExpExecArray | null;
    while (!this.finding && (match = TOKEN.exec(text)) !== null) {
      const c = match[0];
      if (c === '"') this.#inQuotes = !this.#inQuotes;
      else if (c === ',') {
        if (!this.#inQuotes) this.#field++;
      } else if (c === '\n') {
        if (this.#inQuotes) this.#line++;
        else this.#endLine('LF');
      } else if (c === '\r') {
        const next = text[match.index + 1];
        if (next === undefined) {
          this.#pendingCr = true;
          return;
        }
        if (next === '\n') TOKEN.lastIndex = match.index + 2;
        if (this.#inQuotes) this.#line++;
        else this.#endLine(next === '\n' ? 'CRLF' : 'CR');
      } else {
        const code = c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
        this.finding = { kind: 'control_character', line: this.#line, field: this.#field, message: `the control character U+${code} appears in a cell; exports hold printable text only (no NUL, no bidirectional overrides)` };
      }
    }
  }

  end(): void {
    if (this.#pendingCr && !this.finding) this.#endLine('CR');
    this.#pendingCr = false;
  }

  #endLine(eol: Eol): void {
    if (this.#eol === null) {
      this.#eol = eol;
      this.#eolLine = this.#line;
    } else if (eol !== this.#eol && !this.finding) {
      this.finding = { kind: 'mixed_line_endings', line: this.#line, field: this.#field, message: `line ${this.#line} ends with ${eol}, but line ${this.#eolLine} ends with ${this.#eol}; use one line ending (LF or CRLF) throughout` };
    }
    this.#line++;
    this.#field = 1;
  }
}
