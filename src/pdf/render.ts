/** Renders one-pagers to PDF bytes with fonts embedded from npm packages (no network). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Font, renderToBuffer } from '@react-pdf/renderer';
import type { TuplePage } from '../core/site-model.ts';
import { onePager, type PageSize } from './one-pager.ts';
import { pdfLinksAndText, pdfPrintedLinkTargets } from './links.ts';
import type { PdfReading } from './readings.ts';
import { rebaseLinks } from './rebase.ts';
import { woffToSfnt } from './woff.ts';
import { packageJsonOf } from '../io/package-json.ts';

/**
 * The @fontsource .woff, decompressed and without its GSUB table (woff.ts), as a data URL: react-pdf
 * reads such a font from memory, where a font file's path is read with an asynchronous file call,
 * which waits behind every file a build writes meanwhile on Node's few file threads (a rebuild's
 * one-pagers were drawn up to a second late for it, after the pages). Derived from the .woff every
 * time: it takes a few milliseconds.
 */
function decompressed(woffPath: string): string {
  return `data:font/ttf;base64,${woffToSfnt(readFileSync(woffPath), true).toString('base64')}`;
}

/**
 * pdfkit opens Helvetica as every new document's font, parsing its metrics (and some 2,700 kerning
 * pairs) again for each: about a third of a millisecond and its garbage for every one-pager, some
 * seconds for a program of thousands. react-pdf names the font of every run of text it draws
 * before drawing it, so the document's first font is never used; here it is not opened. A PDF is
 * the same but for its fonts' resource names (`/F1` for Inter, which was `/F2`). True when applied:
 * pdfkit as react-pdf imports it (the module its package exports for Node's `import`) has the
 * method this expects; otherwise documents are made as pdfkit makes them.
 */
export async function withoutDefaultFont(): Promise<boolean> {
  try {
    const renderer = createRequire(import.meta.url).resolve('@react-pdf/renderer');
    const manifest = packageJsonOf('pdfkit', renderer);
    if (!manifest) return false;
    const read = JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: { '.'?: { node?: { import?: string } } } };
    const entry = read.exports?.['.']?.node?.import;
    if (!entry) return false;
    const pdfkit = (await import(pathToFileURL(join(dirname(manifest), entry)).href)) as {
      default?: { prototype: { initFonts?: (font?: string | null, ...rest: unknown[]) => void } };
    };
    const prototype = pdfkit.default?.prototype;
    const initFonts = prototype?.initFonts;
    if (!prototype || typeof initFonts !== 'function') return false;
    prototype.initFonts = function (font?: string | null, ...rest: unknown[]) {
      // only the default, when no font is asked for; one asked for is opened as before
      initFonts.call(this, font === undefined ? null : font, ...rest);
    };
    return true;
  } catch {
    return false;
  }
}
const defaultFontSkipped = withoutDefaultFont();

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
  await defaultFontSkipped;
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
  return { pdf, reading: await readOwnPdf(pdf) };
}

/**
 * What pdf.js reads from a one-pager just drawn. The renderer writes each link as an annotation
 * object of its own, outside every compressed stream, flagged printable (/F 4); when every link
 * in the file is so, the links a printed copy shows are all of them, and reading those spares
 * pdf.js reading the text under each link. Otherwise the file is read as any other.
 */
export async function readOwnPdf(pdf: Buffer): Promise<PdfReading> {
  const text = pdf.toString('latin1');
  const links = text.split('\n/Subtype /Link\n').length - 1;
  const printable = text.match(/\n\/Subtype \/Link\n(?:\/(?!F |Subtype )[^\n]*\n)*\/F 4\n>>\nendobj\n/g)?.length ?? 0;
  if (links === printable) {
    const reading = await pdfLinksAndText(pdf, 'print');
    if (reading.links.length === links) return reading;
  }
  return pdfLinksAndText(pdf);
}

/** One one-pager to draw: a tuple's page, with its links on the base URL of the site it is published in. */
export interface OnePagerDraft {
  tuple: TuplePage;
  siteUrl: string;
}

/**
 * A one-pager and its copies in other sites, each with its reading. Each copy is the first's
 * tuple page as another site holds it, differing only in the base URL of its links (the caller
 * compares the site models, src/core/site-model.ts `tuplePageOnBase`), so it is not drawn again:
 * its links are rebased (src/pdf/rebase.ts), its text is the first's (the page's streams are the
 * same bytes), and its links are read back from its own bytes and must be the first's, rebased.
 * A copy that cannot be made so is drawn.
 */
export async function renderAndReadWithCopies(
  first: OnePagerDraft,
  copies: readonly OnePagerDraft[],
  size: PageSize,
): Promise<{ pdf: Buffer; reading: PdfReading; drawn: boolean }[]> {
  const drawn = await renderAndReadOnePager(first.tuple, first.siteUrl, size);
  const results = [{ ...drawn, drawn: true }];
  for (const copy of copies) {
    const from = `${first.siteUrl}/`;
    const expected = drawn.reading.links.map((link) =>
      link.startsWith(from) ? `${copy.siteUrl}/${link.slice(from.length)}` : link,
    );
    const rebased = rebaseLinks(drawn.pdf, first.siteUrl, copy.siteUrl);
    const links = rebased ? await pdfPrintedLinkTargets(rebased) : null;
    if (rebased && links && links.length === expected.length && links.every((link, i) => link === expected[i]))
      results.push({ pdf: rebased, reading: { links, text: drawn.reading.text }, drawn: false });
    else results.push({ ...(await renderAndReadOnePager(copy.tuple, copy.siteUrl, size)), drawn: true });
  }
  return results;
}
