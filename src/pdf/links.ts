/** Reads link annotations out of a PDF with pdfjs-dist (used by the build's link check and by tests). */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export async function pdfLinkTargets(bytes: Uint8Array): Promise<string[]> {
  const doc = await getDocument({
    data: new Uint8Array(bytes),
    useSystemFonts: false,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
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
