/** Renders one-pagers to PDF bytes with fonts embedded from npm packages (no network). */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Font, renderToBuffer } from '@react-pdf/renderer';
import type { TuplePage } from '../core/site-model.ts';
import { onePager, type PageSize } from './one-pager.ts';
import { readPdf, type PdfReading } from './readings.ts';
import { woffToSfnt } from './woff.ts';

/** The @fontsource .woff, decompressed once into a cache file named by its content. */
function decompressed(woffPath: string): string {
  const woff = readFileSync(woffPath);
  const dir = join(tmpdir(), 'readback-fonts');
  const path = join(dir, `${createHash('sha256').update(woff).digest('hex').slice(0, 16)}-nogsub.ttf`);
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, woffToSfnt(woff, true));
  }
  return path;
}

let fontsReady = false;

function registerFonts(): void {
  if (fontsReady) return;
  const require = createRequire(import.meta.url);
  const inter = (weight: number) =>
    decompressed(require.resolve(`@fontsource/inter/files/inter-latin-${weight}-normal.woff`));
  const mono = (weight: number) =>
    decompressed(require.resolve(`@fontsource/jetbrains-mono/files/jetbrains-mono-latin-${weight}-normal.woff`));
  Font.register({
    family: 'Inter',
    fonts: [{ src: inter(400) }, { src: inter(600), fontWeight: 600 }, { src: inter(700), fontWeight: 700 }],
  });
  Font.register({ family: 'JetBrains Mono', fonts: [{ src: mono(400) }] });
  // ids and hashes are never hyphenated
  Font.registerHyphenationCallback((word) => [word]);
  fontsReady = true;
}

/** A readback too long for one page even in the compact layout (docs/reference/site.md: the PDF is one page). */
export class OnePagerOverflowError extends Error {
  readonly tupleId: string;
  readonly pages: number;
  constructor(tupleId: string, pages: number, message: string) {
    super(message);
    this.tupleId = tupleId;
    this.pages = pages;
  }
}

/**
 * The number of pages of a PDF that react-pdf wrote: each page is an object whose dictionary
 * starts `/Type /Page` on its own line. Text such as a title is a string object, whose line breaks
 * are escaped, so it cannot pass for one.
 */
export function pdfPageCount(pdf: Uint8Array): number {
  return (
    Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength)
      .toString('latin1')
      .match(/ 0 obj\n<<\n\/Type \/Page\n/g)?.length ?? 0
  );
}

/**
 * The one-pager, in the regular layout when it fits one page, else in the compact one; a readback
 * that fits neither is refused rather than published on two pages.
 */
export async function renderOnePager(tuple: TuplePage, siteUrl: string, size: PageSize): Promise<Buffer> {
  registerFonts();
  let pages = 0;
  for (const compact of [false, true]) {
    const pdf = await renderToBuffer(
      onePager({ tuple, siteUrl, size, compact }) as Parameters<typeof renderToBuffer>[0],
    );
    pages = pdfPageCount(pdf);
    if (pages === 1) return pdf;
  }
  throw new OnePagerOverflowError(
    tuple.tuple_id,
    pages,
    `the executive one-pager of ${tuple.tuple_id} runs to ${pages} pages even in its compact layout (${tuple.headlines.length} headline(s), ${tuple.carve_outs.length} carve-out week(s)); a readback is one page: shorten the headlines or the text of content/tuples/${tuple.tuple_id}/readback.md`,
  );
}

/** A one-pager and what reading it back gives (its links and text), both from the thread that rendered it. */
export async function renderAndReadOnePager(
  tuple: TuplePage,
  siteUrl: string,
  size: PageSize,
): Promise<{ pdf: Buffer; reading: PdfReading }> {
  const pdf = await renderOnePager(tuple, siteUrl, size);
  return { pdf, reading: await readPdf(pdf) };
}
