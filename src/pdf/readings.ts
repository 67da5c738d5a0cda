/**
 * What the build reads back out of its one-pagers (their link targets and text, with pdfjs-dist),
 * remembered by the SHA-256 of the bytes read. The render workers read each PDF as they write it,
 * so the link check and verify need not parse it again; a file whose bytes are not the ones read
 * (changed after it was rendered) has another hash, and is read again from its own bytes.
 */
import { createHash } from 'node:crypto';

/** One reading of a PDF: its link targets and every page's text runs, separated by spaces. */
export interface PdfReading {
  links: string[];
  text: string;
}

/** Reads a PDF's links and text (pdfjs-dist, loaded when first needed). */
export async function readPdf(bytes: Uint8Array): Promise<PdfReading> {
  const { pdfLinksAndText } = await import('./links.ts');
  return pdfLinksAndText(bytes);
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export class PdfReadings {
  readonly #byContent = new Map<string, PdfReading>();

  /** A reading of exactly these bytes. */
  remember(bytes: Uint8Array, reading: PdfReading): void {
    this.#byContent.set(sha256(bytes), reading);
  }

  /** The text of every reading remembered, by the SHA-256 of the bytes read (see `textReader`). */
  texts(): Map<string, string> {
    return new Map([...this.#byContent].map(([key, reading]) => [key, reading.text]));
  }

  /** The reading of these bytes: the one remembered for them, or one made now (and remembered). */
  async read(bytes: Uint8Array): Promise<PdfReading> {
    const key = sha256(bytes);
    const known = this.#byContent.get(key);
    if (known) return known;
    const reading = await readPdf(bytes);
    this.#byContent.set(key, reading);
    return reading;
  }
}

/**
 * A PDF's text: the one read when it was drawn, found in `texts` by the SHA-256 of its bytes (a
 * file changed since has other bytes), or read now.
 */
export function textReader(texts: ReadonlyMap<string, string>): (bytes: Uint8Array) => Promise<string> {
  return async (bytes) => texts.get(sha256(bytes)) ?? (await readPdf(bytes)).text;
}
