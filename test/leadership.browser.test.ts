/**
 * SPEC §8.1: a drill from a hotfix week shows the same bypass ids on the leadership page, the
 * partner annex and the leadership tile export, followed in headless Chromium as a reader would.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hasChromium } from './helpers/browser.ts';
import { useBrowser, useBuiltSite } from './helpers/site.ts';

const site = useBuiltSite();
const TUPLE = 'acme-2026-q2';

/** The bypass and freeze id columns of the period row the page's URL targets. */
async function targetedIds(page: Page): Promise<{ id: string; bypass: string[]; freeze: string[] }> {
  const row = page.locator('tr:target');
  await expect.poll(() => row.count()).toBe(1);
  const text = async (name: string) =>
    ((await row.locator(`td[data-column="${name}"]`).textContent()) ?? '').trim().split(/\s+/);
  return {
    id: (await row.getAttribute('id'))!,
    bypass: await text('bypass_audit_id'),
    freeze: await text('parent_freeze_id'),
  };
}

describe.skipIf(!hasChromium)('drilling into a hotfix week', () => {
  const chromium = useBrowser(() => site.dist);

  it('shows the same bypass ids on the leadership tile, the partner annex and the tile export', async () => {
    const page = await chromium.browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(`${chromium.url}/leadership/${TUPLE}/`);

    // the availability tile's chart marks the carve-out week; its point links to the week's row
    const tile = page.locator('li[id="m.sla.availability_pct"]');
    const point = tile.locator('a.point.carve-out');
    expect(await point.count()).toBe(1);
    const week = await point.getAttribute('data-period-start');
    await point.click();
    await page.waitForURL(/#period-/);
    const leadership = await targetedIds(page);
    expect(page.url()).toMatch(new RegExp(`/leadership/${TUPLE}/#${leadership.id}$`));
    expect((await page.locator('tr:target th').textContent())?.trim()).toBe(week);
    // the report's pairs of that week (the eu-west row's; the us-east row carries none)
    const reported = site.model.report.tuples
      .find((t) => t.tuple_id === TUPLE)!
      .periods!.find((p) => p.period_start === week)!;
    expect(leadership.bypass).toEqual(reported.leadership_bypasses.map((p) => p.bypass_audit_id));
    expect(leadership.freeze).toEqual(reported.leadership_bypasses.map((p) => p.parent_freeze_id));
    expect(leadership.bypass).toEqual(['BYP-2026-0412']);
    expect(leadership.freeze).toEqual(['FRZ-2026-Q2-01']);

    // the tile export the page links to, its row for that week
    const href = await page.locator('a[download][href$="_leadership-tiles.csv"]').first().getAttribute('href');
    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href!);
    const [header, ...rows] = csv.trimEnd().split('\n');
    const columns = header!.split(',');
    const row = rows.map((line) => line.split(',')).find((cells) => cells[0] === week)!;
    expect(row[columns.indexOf('bypass_audit_id')]!.split(' ')).toEqual(leadership.bypass);
    expect(row[columns.indexOf('parent_freeze_id')]!.split(' ')).toEqual(leadership.freeze);

    // the partner annex at the same period anchor
    await page.goto(`${chromium.url}/annex/${TUPLE}/#${leadership.id}`);
    const annex = await targetedIds(page);
    expect(annex).toEqual(leadership);
    await expect.poll(() => page.locator('tr:target').isVisible()).toBe(true);
    await page.close();
  });

  it('keeps the annex per-period table inside its own scrolling box on a 390 px phone', async () => {
    const page = await chromium.browser.newPage({ viewport: { width: 390, height: 800 } });
    await page.goto(`${chromium.url}/annex/${TUPLE}/#periods`);
    const box = page.locator('#periods .period-scroll');
    const sizes = await box.evaluate((element) => {
      // the box scrolls, or the table in it does (narrow screens make wide tables scroll themselves)
      const scrolling = [element, element.querySelector('table')!].find((e) => e.scrollWidth > e.clientWidth);
      return {
        scrolls: scrolling !== undefined && ['auto', 'scroll'].includes(getComputedStyle(scrolling).overflowX),
        right: Math.max(
          element.getBoundingClientRect().right,
          element.querySelector('table')!.getBoundingClientRect().right,
        ),
        page: document.documentElement.scrollWidth,
      };
    });
    // the table is wider than the phone and scrolls inside its box, which fits the viewport
    expect(sizes.scrolls).toBe(true);
    expect(sizes.right).toBeLessThanOrEqual(390);
    expect(sizes.page).toBeLessThanOrEqual(390);
    // the id columns are in the table itself, never behind a toggle
    expect(await page.locator('#periods td[data-column="bypass_audit_id"]').count()).toBeGreaterThan(0);
    await page.close();
  });
});
