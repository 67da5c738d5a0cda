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

export async function pdfLinkTargets(bytes: Uint8Array): Promise<string[]> {
  const doc = await openPdf(bytes);
  const targets: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    for (const annotation of await page.getAnnotations()) {
      if (annotation.subtype === 'Link' && annotation.url) targets.push(annotation.url as string);
    }
  }
  await doc.destroy();
  return targets;
}

/** Every page's text runs, in reading order, separated by spaces. */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  const doc = await openPdf(bytes);
  const runs: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    for (const item of (await page.getTextContent()).items) if ('str' in item) runs.push(item.str);
  }
  await doc.destroy();
  return runs.join(' ');
}
