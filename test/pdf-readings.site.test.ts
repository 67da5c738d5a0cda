/**
 * The build reads each one-pager back (links and text) in the thread that rendered it, and the
 * link check and verify use that reading: keyed by the SHA-256 of the bytes, so a PDF whose file
 * changed after it was rendered is read again from what the file now holds, and verify still
 * catches what it shows.
 */
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPdfNumbers } from '../src/io/verify.ts';
import { pdfLinksAndText } from '../src/pdf/links.ts';
import { PdfReadings, textReader } from '../src/pdf/readings.ts';
import { copyBuiltSample } from './helpers/site.ts';

const site = copyBuiltSample();
afterAll(() => rmSync(site.root, { recursive: true, force: true }));
const pdfOf = (tupleId: string) => join(site.dist, 'readback', `${tupleId}.pdf`);

describe('reading a PDF', () => {
  it("reads with pdf.js's own inflate the text and links the platform's DecompressionStream gives, and puts that back", async () => {
    const platform = globalThis.DecompressionStream;
    expect(typeof platform).toBe('function');
    const bytes = readFileSync(pdfOf('acme-2026-q2'));
    // pdf.js as it reads with the platform's DecompressionStream
    const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, verbosity: 0 }).promise;
    const page = await doc.getPage(1);
    const runs = (await page.getTextContent()).items.flatMap((item) => ('str' in item ? [item.str] : []));
    const links = (await page.getAnnotations()).flatMap((a) =>
      a.subtype === 'Link' && a.url ? [a.url as string] : [],
    );
    await doc.destroy();
    // three readings at once, each hiding it while under way
    const readings = await Promise.all([bytes, bytes, bytes].map((b) => pdfLinksAndText(b)));
    for (const reading of readings) expect(reading).toEqual({ links, text: runs.join(' ') });
    expect(links.length).toBeGreaterThan(0);
    expect(globalThis.DecompressionStream).toBe(platform);
  });
});

describe('PDF readings remembered by content', () => {
  it('answers with a reading only for the bytes it was made of, and reads any other bytes themselves', async () => {
    const acme = readFileSync(pdfOf('acme-2026-q2'));
    const globex = readFileSync(pdfOf('globex-2026-06'));
    const readings = new PdfReadings();
    const remembered = { links: ['https://remembered.example/'], text: 'remembered' };
    readings.remember(acme, remembered);
    // the same bytes, in another buffer: the remembered reading, not a new parse
    expect(await readings.read(new Uint8Array(acme))).toBe(remembered);
    // other bytes: their own reading, as pdf.js gives it
    expect(await readings.read(globex)).toEqual(await pdfLinksAndText(globex));
  });

  it('a one-pager replaced after it was rendered is read again, and verify reports what it shows', async () => {
    // the readings the render threads handed back, one per PDF as rendered
    const readings = new PdfReadings();
    const files = ['', 'partners/acme-logistics/'].map((folder) =>
      join(site.dist, folder, 'readback', 'acme-2026-q2.pdf'),
    );
    for (const file of [...files, pdfOf('globex-2026-06')]) {
      const bytes = readFileSync(file);
      readings.remember(bytes, await pdfLinksAndText(bytes));
    }
    const reader = async (bytes: Uint8Array) => (await readings.read(bytes)).text;
    expect((await verifyPdfNumbers(site.dist, reader)).problems).toEqual([]);
    // the build's verify worker is handed the texts alone, by the SHA-256 of the bytes read
    const fromTexts = textReader(readings.texts());
    expect(await verifyPdfNumbers(site.dist, fromTexts)).toEqual(await verifyPdfNumbers(site.dist, reader));

    // then the internal acme one-pager's file holds globex's PDF: its text is not acme's
    copyFileSync(pdfOf('globex-2026-06'), pdfOf('acme-2026-q2'));
    const after = await verifyPdfNumbers(site.dist, reader);
    expect(after.problems.length).toBeGreaterThan(0);
    expect(new Set(after.problems.map((p) => [p.code, p.file].join(' ')))).toEqual(
      new Set(['VERIFY_MISMATCH readback/acme-2026-q2.pdf']),
    );
    expect(await verifyPdfNumbers(site.dist, fromTexts)).toEqual(after);
    // bytes no text was read from are read themselves
    expect(await textReader(new Map())(readFileSync(pdfOf('globex-2026-06')))).toBe(
      (await pdfLinksAndText(readFileSync(pdfOf('globex-2026-06')))).text,
    );
  });
});
