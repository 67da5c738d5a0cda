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

/** What one reading of a PDF gives: its link targets and its text, each when asked for. */
async function readPdf(
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
