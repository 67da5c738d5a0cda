/**
 * Reads link annotations and text out of a PDF with pdfjs-dist (used by the build's link check,
 * by `readback verify` where pdfjs-dist is installed, and by tests).
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

function openPdf(bytes: Uint8Array) {
  return getDocument({
    data: new Uint8Array(bytes),
    useSystemFonts: false,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
}

/**
 * pdf.js inflates a compressed stream through the platform's DecompressionStream when there is
 * one, and with its own inflate when there is none. For a one-pager's few small streams its own is
 * faster: a reading takes about 7 ms instead of 11 ms (the web stream around each costs more than
 * the inflating). So while any reading is under way in this thread, pdf.js finds none; the
 * global is put back when the last reading ends. The text and links read are the same either way.
 */
let readingsUnderWay = 0;
let hiddenDecompressionStream: typeof globalThis.DecompressionStream | undefined;
function hideDecompressionStream(): void {
  if (readingsUnderWay++ > 0) return;
  hiddenDecompressionStream = globalThis.DecompressionStream;
  (globalThis as { DecompressionStream?: unknown }).DecompressionStream = undefined;
}
function restoreDecompressionStream(): void {
  if (--readingsUnderWay > 0) return;
  globalThis.DecompressionStream = hiddenDecompressionStream!;
}

/** What one reading of a PDF gives: its link targets and its text, each when asked for. */
async function readPdf(
  bytes: Uint8Array,
  want: { links: boolean; text: boolean; intent?: 'display' | 'print' },
): Promise<{ links: string[]; text: string }> {
  hideDecompressionStream();
  try {
    return await readPdfWithPdfJs(bytes, want);
  } finally {
    restoreDecompressionStream();
  }
}

async function readPdfWithPdfJs(
  bytes: Uint8Array,
  want: { links: boolean; text: boolean; intent?: 'display' | 'print' },
): Promise<{ links: string[]; text: string }> {
  const doc = await openPdf(bytes);
  const links: string[] = [];
  const runs: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    if (want.links)
      for (const annotation of await page.getAnnotations({ intent: want.intent ?? 'display' })) {
        if (annotation.subtype === 'Link' && annotation.url) links.push(annotation.url as string);
      }
    if (want.text) for (const item of (await page.getTextContent()).items) if ('str' in item) runs.push(item.str);
  }
  await doc.destroy();
  return { links, text: runs.join(' ') };
}

export async function pdfLinkTargets(bytes: Uint8Array): Promise<string[]> {
  return (await readPdf(bytes, { links: true, text: false })).links;
}

/** Every page's text runs, in reading order, separated by spaces. */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  return (await readPdf(bytes, { links: false, text: true })).text;
}

/**
 * The link targets a printed copy shows. pdf.js reads the text under each link it displays, which
 * costs as much as reading the page's text; for printing it does not. The build asks this of a
 * one-pager whose every link it knows to be printable (src/pdf/render.ts).
 */
export async function pdfPrintedLinkTargets(bytes: Uint8Array): Promise<string[]> {
  return (await readPdf(bytes, { links: true, text: false, intent: 'print' })).links;
}

/**
 * Both at once, from one reading: the build checks the links and then verifies the text's numbers.
 * With `print`, the links a printed copy shows (see pdfPrintedLinkTargets).
 */
export function pdfLinksAndText(
  bytes: Uint8Array,
  intent: 'display' | 'print' = 'display',
): Promise<{ links: string[]; text: string }> {
  return readPdf(bytes, { links: true, text: true, intent });
}
