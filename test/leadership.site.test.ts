/** SPEC §8.1: the leadership pages, the per-period tables (leadership page and annex) and the tile export. */
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { leadershipOnlyOf, tupleTilesCsv } from '../src/core/leadership.ts';
import { displayValue, type ShownAs } from '../src/core/present.ts';
import { compactInstant } from '../src/core/site-model.ts';
import { SITE_SUMS, siteSums, verifySite } from '../src/io/verify.ts';
import { useBuiltSite } from './helpers/site.ts';
import { tempDir } from './helpers/workspace.ts';

const site = useBuiltSite();
const page = (path: string) => readFileSync(join(site.dist, path, 'index.html'), 'utf8');
const SENTINEL = 'NO_BYPASS';

/** The HTML of the element that opens with `id="<id>"`, up to the end of its row or list item. */
function element(html: string, id: string, end: '</tr>' | '</li>'): string {
  const start = html.indexOf(` id="${id}"`);
  expect(start, `#${id}`).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf(end, start));
}
const column = (row: string, name: string) =>
  new RegExp(`data-column="${name}"[^>]*><code[^>]*>([^<]*)<`).exec(row)?.[1];
const cell = (row: string, metricId: string, side: string) =>
  new RegExp(`data-metric-id="${metricId.replace(/\./g, '\\.')}" data-side="${side}" data-value="([^"]*)"`).exec(
    row,
  )?.[1];
/** How the dictionary version a tuple cites shows a metric: its unit and currency (null: none). */
function shownAs(version: string, metricId: string): ShownAs {
  const file = join(site.root, 'dictionary', 'history', `${version}.yaml`);
  const dictionary = parse(
    readFileSync(existsSync(file) ? file : join(site.root, 'dictionary', 'metrics.yaml'), 'utf8'),
  );
  const metric = dictionary.metrics.find((m: { metric_id: string }) => m.metric_id === metricId);
  return { unit: metric.unit, currency: metric.currency ?? null };
}
const idsOf = (pairs: { bypass_audit_id: string; parent_freeze_id: string }[]) =>
  pairs.length === 0
    ? [SENTINEL, SENTINEL]
    : [pairs.map((p) => p.bypass_audit_id).join(' '), pairs.map((p) => p.parent_freeze_id).join(' ')];

describe('the leadership pages', () => {
  it('are linked from the home page and from every page’s navigation', () => {
    expect(page('')).toContain('href="/leadership/"');
    for (const path of ['glossary', `annex/${site.model.tuples[0]!.tuple_id}`, 'leadership'])
      expect(page(path).slice(0, page(path).indexOf('</nav>'))).toContain('href="/leadership/"');
  });

  it('/leadership/ lists every tuple with its status, carve-out count and tiles', () => {
    const html = page('leadership');
    for (const tuple of site.model.report.tuples) {
      const section = html.slice(html.indexOf(`id="${tuple.tuple_id}"`));
      expect(section).toContain(`href="/leadership/${tuple.tuple_id}/"`);
      expect(section).toContain(`status-${tuple.status}`);
      const carveOuts = tuple.periods!.filter((p) => p.leadership_bypasses.some((b) => b.bypass_audit_id !== SENTINEL));
      expect(section).toMatch(new RegExp(`>${carveOuts.length} carve-out periods?<`));
      for (const metric of tuple.metrics)
        expect(section).toContain(`href="/leadership/${tuple.tuple_id}/#${metric.metric_id}"`);
    }
  });

  it('shows one tile per metric, leadership-only ones included and marked, each at #<metric_id>', () => {
    for (const tuple of site.model.report.tuples) {
      const html = page(`leadership/${tuple.tuple_id}`);
      for (const metric of tuple.metrics) {
        const tile = element(html, metric.metric_id, '</li>');
        expect(tile).toContain(
          `>${displayValue(metric.leadership, shownAs(tuple.dictionary_version!, metric.metric_id))}<`,
        );
        expect(tile).toMatch(new RegExp(`<code[^>]*>${metric.metric_id.replace(/\./g, '\\.')}</code>`));
        expect(tile).toContain(`data-status="${metric.status}"`);
        // a chart readable without script: a title the svg is labelled by, and a link per period with a value
        const titleId = /aria-labelledby="([^"]+)"/.exec(tile)![1]!;
        expect(tile).toContain(`<title id="${titleId}"`);
        const linked = metric.periods!.filter((p) => p.leadership !== null);
        const points = tile.match(/<a href="[^"]*#period-[^"]*" class="point/g) ?? [];
        expect(points).toHaveLength(linked.length);
        // carve-out periods are marked on the chart and link to their row
        for (const period of tuple.periods!.filter((p) => p.leadership_bypasses.length > 0))
          expect(tile).toContain(
            `<a href="/leadership/${tuple.tuple_id}/#period-${compactInstant(period.period_start)}" class="carve-out-mark"`,
          );
      }
      for (const metric of leadershipOnlyOf(site.model.report, tuple.tuple_id)?.metrics ?? []) {
        const tile = element(html, metric.metric_id, '</li>');
        expect(tile).toContain('data-status="leadership-only"');
        expect(tile).toContain('leadership only');
        expect(tile).toContain(
          `>${displayValue(metric.leadership, shownAs(tuple.dictionary_version!, metric.metric_id))}<`,
        );
      }
    }
    // each tile shows the partner's target, met or missed as the annex says (tuple.yaml targets)
    let targeted = 0;
    for (const tuple of site.model.tuples) {
      const html = page(`leadership/${tuple.tuple_id}`);
      for (const metric of tuple.metrics) {
        const tile = element(html, metric.metric_id, '</li>');
        if (metric.target === null) {
          expect(tile).not.toContain('data-target-status');
          continue;
        }
        targeted++;
        expect(tile).toMatch(
          new RegExp(
            `Target ${escapeRegExp(metric.target.display)}: <span[^>]*data-target-status="${metric.target.status}"[^>]*>${metric.target.status}<`,
          ),
        );
      }
    }
    expect(targeted).toBeGreaterThan(0);
    // the sample keeps one leadership-only metric with values: globex's service credits
    const credits = leadershipOnlyOf(site.model.report, 'globex-2026-06')!.metrics;
    expect(credits.map((m) => m.metric_id)).toEqual(['m.credits.issued_minor']);
    expect(BigInt(credits[0]!.leadership)).toBeGreaterThan(0n);
  });

  it("has the per-period table at #periods: a row per period, bypass and freeze ids always shown, leadership's values", () => {
    for (const tuple of site.model.report.tuples) {
      const html = page(`leadership/${tuple.tuple_id}`);
      expect(html).toContain('id="periods"');
      const series = [...tuple.metrics, ...(leadershipOnlyOf(site.model.report, tuple.tuple_id)?.metrics ?? [])];
      tuple.periods!.forEach((period, index) => {
        const row = element(html, `period-${compactInstant(period.period_start)}`, '</tr>');
        expect([column(row, 'bypass_audit_id'), column(row, 'parent_freeze_id')]).toEqual(
          idsOf(period.leadership_bypasses),
        );
        for (const metric of series)
          expect(cell(row, metric.metric_id, 'leadership')).toBe(metric.periods![index]!.leadership ?? undefined);
        expect(cell(row, tuple.metrics[0]!.metric_id, 'partner')).toBeUndefined();
      });
    }
    // the hotfix week of the sample: the eu-west row's pair, which the us-east row does not dilute
    const acme = page('leadership/acme-2026-q2');
    const hotfix = element(acme, 'period-20260406T000000Z', '</tr>');
    expect([column(hotfix, 'bypass_audit_id'), column(hotfix, 'parent_freeze_id')]).toEqual([
      'BYP-2026-0412',
      'FRZ-2026-Q2-01',
    ]);
  });

  it('links the tile export, which holds the report’s periods, pairs and leadership values and is in SHA256SUMS', () => {
    const sums = readFileSync(join(site.dist, SITE_SUMS), 'utf8');
    for (const leadership of site.model.leadership) {
      const tuple = site.model.tuples.find((t) => t.tuple_id === leadership.tuple_id)!;
      const { href, name } = leadership.tile_export;
      expect(name).toBe(
        `${tuple.tuple_id}_${compactInstant(tuple.window.start_inclusive)}_${compactInstant(tuple.window.end_exclusive)}_leadership-tiles.csv`,
      );
      expect(page(`leadership/${tuple.tuple_id}`)).toContain(`href="${href}"`);
      const csv = readFileSync(join(site.dist, href), 'utf8');
      expect(csv).toBe(tupleTilesCsv(site.model.report, tuple.report, tuple.sentinel));
      expect(sums).toContain(`  ${href.slice(1)}\n`);
    }
  });
});

describe('the annex per-period table', () => {
  it("shows both sides and the delta of each metric per period, the partner's bypass pairs, and no leadership-only metric", () => {
    for (const tuple of site.model.report.tuples) {
      const html = page(`annex/${tuple.tuple_id}`);
      expect(html).toContain('id="periods"');
      expect(html).toContain('class="period-scroll"');
      tuple.periods!.forEach((period, index) => {
        const row = element(html, `period-${compactInstant(period.period_start)}`, '</tr>');
        expect([column(row, 'bypass_audit_id'), column(row, 'parent_freeze_id')]).toEqual(
          idsOf(period.partner_bypasses),
        );
        for (const metric of tuple.metrics) {
          const values = metric.periods![index]!;
          for (const side of ['leadership', 'partner', 'delta'] as const)
            expect(cell(row, metric.metric_id, side)).toBe(values[side] ?? undefined);
        }
      });
      for (const metric of leadershipOnlyOf(site.model.report, tuple.tuple_id)?.metrics ?? [])
        expect(html).not.toContain(metric.metric_id);
    }
  });
});

describe('readback verify and the tile export', () => {
  it('requires the tile export of each tuple on a site with leadership pages, and not on one without', () => {
    const copy = tempDir();
    cpSync(site.dist, copy, { recursive: true });
    const tuple = site.model.leadership[0]!;
    rmSync(join(copy, tuple.tile_export.href));
    writeFileSync(join(copy, SITE_SUMS), siteSums(copy));
    expect(verifySite(copy).problems).toContainEqual(
      expect.objectContaining({
        code: 'VERIFY_MISMATCH',
        message: expect.stringContaining('lacks the leadership tile export'),
      }),
    );
    // a site without leadership pages (a partner's) has no tile exports to check
    rmSync(join(copy, 'leadership'), { recursive: true });
    for (const other of site.model.leadership) rmSync(join(copy, other.tile_export.href), { force: true });
    writeFileSync(join(copy, SITE_SUMS), siteSums(copy));
    expect(verifySite(copy).problems.filter((p) => p.message.includes('tile'))).toEqual([]);
    expect(existsSync(join(copy, 'annex'))).toBe(true);
  });

  it("finds a tile export whose bypass ids or values are not the report's", () => {
    const copy = tempDir();
    cpSync(site.dist, copy, { recursive: true });
    const file = join(copy, site.model.leadership.find((l) => l.tuple_id === 'acme-2026-q2')!.tile_export.href);
    writeFileSync(file, readFileSync(file, 'utf8').replace('BYP-2026-0412,FRZ-2026-Q2-01', `${SENTINEL},${SENTINEL}`));
    writeFileSync(join(copy, SITE_SUMS), siteSums(copy));
    const problems = verifySite(copy).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(
      /leadership-tiles\.csv line 2 is .*NO_BYPASS.*; the report gives .*BYP-2026-0412/,
    );
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
