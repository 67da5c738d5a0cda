/**
 * The build reads each one-pager back (links and text) in the thread that rendered it, and the
 * link check and verify use that reading: keyed by the SHA-256 of the bytes, so a PDF whose file
 * changed after it was rendered is read again from what the file now holds, and verify still
 * catches what it shows.
 */
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPdfNumbers } from '../src/io/verify.ts';
import { pdfLinksAndText } from '../src/pdf/links.ts';
import { PdfReadings } from '../src/pdf/readings.ts';
import { copyBuiltSample } from './helpers/site.ts';

const site = copyBuiltSample();
afterAll(() => rmSync(site.root, { recursive: true, force: true }));
const pdfOf = (tupleId: string) => join(site.dist, 'readback', `${tupleId}.pdf`);

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

    // then the internal acme one-pager's file holds globex's PDF: its text is not acme's
    copyFileSync(pdfOf('globex-2026-06'), pdfOf('acme-2026-q2'));
    const after = await verifyPdfNumbers(site.dist, reader);
    expect(after.problems.length).toBeGreaterThan(0);
    expect(new Set(after.problems.map((p) => [p.code, p.file].join(' ')))).toEqual(
      new Set(['VERIFY_MISMATCH readback/acme-2026-q2.pdf']),
    );
  });
});
