/** SPEC §8 glossary routes, in the built HTML and in headless Chromium. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasChromium } from './helpers/browser.ts';
import { useBrowser, useBuiltSite } from './helpers/site.ts';

const site = useBuiltSite();

const html = (path: string) => readFileSync(join(site.dist, path, 'index.html'), 'utf8');
const report = () => JSON.parse(readFileSync(join(site.root, '.readback/reconcile/report.json'), 'utf8'));

describe('built glossary', () => {
  it('lists every metric with an #<metric_id> anchor and marks deprecated ones with their replacement', () => {
    const page = html('glossary');
    for (const id of ['m.requests.total', 'm.api.p95_latency_ms', 'm.api.p99_latency_ms', 'm.orders.returned'])
      expect(page).toContain(`id="${id}"`);
    const row = page.slice(page.indexOf('id="m.api.p95_latency_ms"'), page.indexOf('id="m.api.p99_latency_ms"'));
    expect(row).toContain('deprecated after 2026-12-31');
    expect(row).toContain('href="/glossary/m.api.p99_latency_ms/"');
  });

  it('gives each metric a page with its facts, label history and annex links', () => {
    const page = html('glossary/m.backlog.tickets');
    expect(page).toContain('Ticket backlog');
    expect(page).toContain('Support backlog'); // the old label
    expect(page).toContain('last observed');
    expect(page).toContain('class default');
    for (const tuple of report().tuples) expect(page).toContain(`href="/annex/${tuple.tuple_id}/#m.backlog.tickets"`);
    const weighted = html('glossary/m.sla.availability_pct');
    expect(weighted).toContain('href="/glossary/m.requests.total/"');
    expect(weighted).toContain('0.03');
  });

  it('publishes the diff pages with intent notes, a rename as cosmetic and a new metric as additive', () => {
    const diff = html('glossary/diff/1.0.0...1.1.0');
    const cosmetic = diff.slice(diff.indexOf('id="class-cosmetic"'));
    expect(cosmetic).toContain('m.backlog.tickets');
    expect(cosmetic).toContain('LABEL_CHANGED');
    const additive = diff.slice(diff.indexOf('id="class-additive"'), diff.indexOf('id="class-clarifying"'));
    expect(additive).toContain('m.orders.returned');
    expect(diff).toContain('Definition reworded to say which incidents count');
    expect(html('glossary/diff')).toContain('1.1.0 → 1.2.0');
  });

  it('/dictionary/<semver>.json hashes to the dictionary_sha256 in the tuple hashes', () => {
    for (const tuple of report().tuples) {
      const bytes = readFileSync(join(site.dist, 'dictionary', `${tuple.dictionary_version}.json`));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(tuple.dictionary_sha256);
    }
    for (const version of ['1.0.0', '1.1.0', '1.2.0'])
      expect(existsSync(join(site.dist, 'dictionary', `${version}.json`))).toBe(true);
  });
});

describe.skipIf(!hasChromium)('glossary in a browser', () => {
  const chromium = useBrowser(() => site.dist);

  it('finds a metric by its old label through offline search', async () => {
    const page = await chromium.browser.newPage();
    await page.goto(`${chromium.url}/glossary/`);
    await page.fill('#search input', 'Support backlog');
    const result = page.locator('#search .pagefind-ui__result-link').first();
    await result.waitFor({ timeout: 15_000 });
    await result.click();
    await page.waitForURL(/\/glossary\/m\.backlog\.tickets\/$/);
    expect(await page.locator('h1').textContent()).toBe('Ticket backlog');
  });

  it('follows #<metric_id> anchors to the right entry', async () => {
    const page = await chromium.browser.newPage();
    await page.goto(`${chromium.url}/glossary/#m.orders.returned`);
    expect(await page.evaluate(() => document.querySelector(':target')?.id)).toBe('m.orders.returned');
    await page.click('#m\\.orders\\.returned a[href="/glossary/m.orders.returned/"]');
    await page.waitForURL(/\/glossary\/m\.orders\.returned\/$/);
    await page.goto(`${chromium.url}/glossary/diff/1.0.0...1.1.0/#m.backlog.tickets`);
    expect(await page.evaluate(() => document.querySelector(':target')?.closest('section')?.id)).toBe('class-cosmetic');
  });

  it('filters by class without a round trip', async () => {
    const page = await chromium.browser.newPage();
    await page.goto(`${chromium.url}/glossary/`);
    await page.selectOption('#filters select[name="class"]', 'money');
    const visible = await page.locator('#metrics tbody tr:visible').evaluateAll((rows) => rows.map((r) => r.id));
    expect(visible.sort()).toEqual(['m.credits.issued_minor', 'm.revenue.billed_minor']);
  });
});
