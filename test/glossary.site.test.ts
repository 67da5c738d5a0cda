/** SPEC §8 glossary routes, in the built HTML and in headless Chromium. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UNIT_NAME } from '../src/core/present.ts';
import { hasChromium } from './helpers/browser.ts';
import { useBrowser, useBuiltSite } from './helpers/site.ts';

const site = useBuiltSite();

const html = (path: string) => readFileSync(join(site.dist, path, 'index.html'), 'utf8');
/** What a reader sees of some HTML: tags dropped, white space as one space. */
const visibleText = (fragment: string) =>
  fragment
    .replace(/<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
/** The cells of the table row with this id. */
const rowCells = (page: string, id: string) => {
  const row = page.slice(page.indexOf(`<tr id="${id}"`));
  return [...row.slice(0, row.indexOf('</tr>')).matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((m) => visibleText(m[1]!));
};
/** The text of a metric page's fact (`<dt>name</dt><dd>…</dd>`). */
const fact = (page: string, name: string) =>
  visibleText(new RegExp(`<dt>${name}</dt><dd>(.*?)</dd>`, 's').exec(page)![1]!);
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
    const tuples = site.model.tuples;
    const showing = tuples.filter((t) => t.metrics.some((m) => m.metric_id === 'm.backlog.tickets'));
    expect(showing.length).toBeGreaterThan(1);
    for (const tuple of showing) expect(page).toContain(`href="/annex/${tuple.tuple_id}/#m.backlog.tickets"`);
    for (const tuple of tuples.filter((t) => !showing.includes(t)))
      expect(page).not.toContain(`/annex/${tuple.tuple_id}/`);
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
    expect(html('glossary/diff/1.1.0...1.2.0')).toContain('1.1.0 → 1.2.0');
    // the latest release named the money metrics' currency: clarifying, with its note
    const latest = html('glossary/diff');
    expect(latest).toContain('1.2.0 → 1.3.0');
    const clarifying = latest.slice(latest.indexOf('id="class-clarifying"'));
    for (const id of ['m.revenue.billed_minor', 'm.credits.issued_minor']) expect(clarifying).toContain(id);
    expect(clarifying).toContain('CURRENCY_ADDED');
    expect(clarifying).toContain('always minor units of the contract currency');
  });

  it('names each unit in the same words on the glossary, its metric page and the annex', () => {
    const glossary = html('glossary');
    const latency = site.model.glossary.find((g) => g.metric_id === 'm.api.p95_latency_ms')!;
    expect(latency.unit_name).toBe('milliseconds');
    for (const tuple of site.model.tuples) {
      const annex = html(`annex/${tuple.tuple_id}`);
      for (const metric of tuple.metrics) {
        const entry = site.model.glossary.find((g) => g.metric_id === metric.metric_id)!;
        if (metric.currency === entry.currency) expect(metric.unit_name).toBe(entry.unit_name);
        else {
          // a tuple replays the version it cites: money without a currency there is named as minor units
          expect(metric.currency).toBeNull();
          expect(metric.unit_name).toBe(UNIT_NAME[metric.unit]);
        }
        expect(rowCells(annex, metric.metric_id)[1]).toBe(metric.unit_name); // Metric, Unit, …
        expect(rowCells(glossary, metric.metric_id)[1]).toBe(entry.unit_name);
        const page = html(`glossary/${metric.metric_id}`);
        expect(fact(page, 'Unit')).toBe(`${entry.unit_name} (${entry.unit})`);
        // the epsilon reads as the annex's epsilon column does, with the unit's symbol
        expect(fact(page, 'Epsilon').startsWith(`${entry.epsilon_display} — `)).toBe(true);
        if (tuple.report.dictionary_version === site.model.current_version)
          expect(metric.display.epsilon).toBe(entry.epsilon_display);
      }
    }
    expect(rowCells(glossary, 'm.api.p95_latency_ms')[1]).toBe('milliseconds');
    expect(fact(html('glossary/m.api.p95_latency_ms'), 'Epsilon')).toMatch(/^1 ms — /);
  });

  it('separates the sentences of the diff summary with spaces', () => {
    const summary = (page: string) => visibleText(/<p><strong class="status-[^"]*">.*?<\/p>/s.exec(page)![0]);
    const latest = site.model.diffs.at(-1)!;
    expect(summary(html('glossary/diff'))).toBe(
      `Passes the dictionary check. These changes need a ${latest.required_bump} version bump; the version rose by ${latest.actual_bump}. ${latest.findings.length} changes.`,
    );
    for (const diff of site.model.diffs)
      expect(summary(html(`glossary/diff/${diff.from}...${diff.to}`))).toMatch(
        /^(Passes|Fails) the dictionary check\. These changes need a \w+ version bump; the version rose by \w+\. \d+ changes?\.$/,
      );
  });

  it('/dictionary/<semver>.json hashes to the dictionary_sha256 in the tuple hashes', () => {
    for (const tuple of report().tuples) {
      const bytes = readFileSync(join(site.dist, 'dictionary', `${tuple.dictionary_version}.json`));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(tuple.dictionary_sha256);
    }
    for (const version of ['1.0.0', '1.1.0', '1.2.0', '1.3.0'])
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

describe('the home page', () => {
  it('lists each tuple by its partner and title, linking to its annex, with the id beside them', () => {
    const home = readFileSync(join(site.dist, 'index.html'), 'utf8');
    for (const tuple of site.model.tuples) {
      const title = tuple.title.replace(/&/g, '&amp;');
      expect(home).toContain(`<a href="/annex/${tuple.tuple_id}/">${title}</a>`);
      expect(home).toContain(tuple.partner.replace(/&/g, '&amp;'));
    }
  });
});
