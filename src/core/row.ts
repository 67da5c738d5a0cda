/**
 * One data record as the accumulator reads it. The reader's byte path hands over cells as spans
 * of the file's bytes (csv-bytes.ts), csv-parse hands over strings (StringRow): the accumulator's
 * checks and aggregation are written once, against this interface.
 */
import { EMPTY, type RowValues } from './aggregate.ts';
import { scanDecimalText } from './decimal.ts';

export interface Row {
  readonly length: number;
  /** the cell's text */
  text(index: number): string;
  isEmpty(index: number): boolean;
  /** whether the cell's text is `text` (cheaper than reading the text) */
  equals(index: number, text: string): boolean;
  /** the cell's first UTF-16 code unit, -1 when the cell is empty */
  firstCode(index: number): number;
  /** Scans the cells at `indexes` into `values` at the same indexes, with their kinds (EMPTY, SMALL, LARGE or NOT_A_NUMBER). */
  decimals(indexes: Int32Array, values: RowValues): void;
}

/** A record as csv-parse gives it: an array of strings. */
export class StringRow implements Row {
  fields: readonly string[] = [];

  get length(): number {
    return this.fields.length;
  }

  text(index: number): string {
    return this.fields[index]!;
  }

  isEmpty(index: number): boolean {
    return this.fields[index] === '';
  }

  equals(index: number, text: string): boolean {
    return this.fields[index] === text;
  }

  firstCode(index: number): number {
    const text = this.fields[index]!;
    return text === '' ? -1 : text.charCodeAt(0);
  }

  decimals(indexes: Int32Array, values: RowValues): void {
    for (const index of indexes) {
      const text = this.fields[index]!;
      values.kind[index] = text === '' ? EMPTY : scanDecimalText(text, values, index);
    }
  }
}
