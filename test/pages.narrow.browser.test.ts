/** Every built page on a phone: nothing scrolls the page sideways, and a value never breaks from its unit. */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasChromium } from './helpers/browser.ts';
import { useBrowser, useBuiltSite } from './helpers/site.ts';

const site = useBuiltSite();

/** The path of every HTML page of a built site, e.g. `/annex/acme-2026-q2/`. */
function pagePaths(dist: string): string[] {
  return readdirSync(dist, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('index.html'))
    .map((file) => `/${file.replace(/index\.html$/, '')}`)
    .sort();
}

const PHONE = { width: 390, height: 844 };

describe.skipIf(!hasChromium)('pages on a 390 px phone screen', () => {
  const chromium = useBrowser(() => site.dist);

  it('never scroll sideways: wide tables scroll inside their own box', async () => {
    const paths = pagePaths(site.dist);
    expect(paths).toContain('/annex/acme-2026-q2/');
    const page = await chromium.browser.newPage({ viewport: PHONE });
    const wide: string[] = [];
    for (const path of paths) {
      await page.goto(`${chromium.url}${path}`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > PHONE.width) wide.push(`${path} is ${width}px wide`);
    }
    expect(wide).toEqual([]);
    // the annex's metrics table is wider than the phone: it scrolls inside itself, all of it reachable
    await page.goto(`${chromium.url}/annex/acme-2026-q2/`);
    const table = await page.evaluate(() => {
      const box = document.querySelector('#metrics table')!.closest('.table-scroll, table')!;
      return { scrollWidth: box.scrollWidth, clientWidth: box.clientWidth, overflow: getComputedStyle(box).overflowX };
    });
    expect(table.scrollWidth).toBeGreaterThan(table.clientWidth);
    expect(table.overflow).toBe('auto');
    await page.close();
  });

  it('keeps each value with its unit and each target on one line ("0 minor units", "$1,234.56", "at most 300 ms: missed")', async () => {
    const page = await chromium.browser.newPage({ viewport: PHONE });
    const lines: { text: string | null; lines: number }[] = [];
    // acme's money is in dollars (its dictionary names the currency); globex replays one that does not
    for (const tuple of ['acme-2026-q2', 'globex-2026-06']) {
      await page.goto(`${chromium.url}/annex/${tuple}/`);
      lines.push(
        ...(await page.evaluate(() =>
          [...document.querySelectorAll('#metrics [data-field]')].map((cell) => {
            const range = document.createRange();
            range.selectNodeContents(cell);
            // one line box per line the text runs over
            const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
            return { text: cell.textContent, lines: tops.size };
          }),
        )),
      );
    }
    expect(lines.some((cell) => / minor units$/.test(cell.text ?? ''))).toBe(true);
    expect(lines.some((cell) => /^\$\d{1,3}(,\d{3})+\.\d\d$/.test(cell.text ?? ''))).toBe(true);
    expect(lines.some((cell) => /: (met|missed)$/.test(cell.text ?? ''))).toBe(true);
    expect(lines.filter((cell) => cell.lines !== 1)).toEqual([]);
    await page.close();
  });
});

describe.skipIf(!hasChromium)('pages on a desktop screen', () => {
  const chromium = useBrowser(() => site.dist);

  it('do not scroll sideways either', async () => {
    const page = await chromium.browser.newPage({ viewport: { width: 1280, height: 900 } });
    for (const path of ['/annex/acme-2026-q2/', '/annex/globex-2026-06/', '/readback/acme-2026-q2/']) {
      await page.goto(`${chromium.url}${path}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(1280);
    }
    await page.close();
  });
});
