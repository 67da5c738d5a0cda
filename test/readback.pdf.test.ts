/** SPEC §8: the executive one-pager, read back with pdfjs-dist. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { humanDate, humanWindow } from '../src/core/present.ts';
import type { SiteModel } from '../src/core/site-model.ts';
import { pdfLinkTargets } from '../src/pdf/links.ts';
import { renderOnePagers } from '../src/pdf/pool.ts';
import { OnePagerOverflowError, pdfPageCount, renderOnePager, withoutDefaultFont } from '../src/pdf/render.ts';
import { buildSite, useBuiltSite } from './helpers/site.ts';
import { copyWorkspace, MINIMAL_EXAMPLE } from './helpers/workspace.ts';

const site = useBuiltSite();
let model: SiteModel;
beforeAll(() => {
  model = site.model;
});

async function pdfFacts(bytes: Uint8Array) {
  const doc = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  const page = await doc.getPage(1);
  const text = (await page.getTextContent()).items.map((item) => ('str' in item ? item.str : '')).join(' ');
  const info = (await doc.getMetadata()).info as Record<string, string>;
  // pdf.js splits runs at font changes and kerning: compare without white space
  const facts = { pages: doc.numPages, text, flat: text.replace(/\s+/g, ''), info, view: page.view };
  await doc.destroy();
  return facts;
}

describe('executive one-pager', () => {
  it('is one page whose headlines show their value, metric_id and short hash', async () => {
    for (const tuple of model.tuples) {
      const facts = await pdfFacts(readFileSync(join(site.dist, 'readback', `${tuple.tuple_id}.pdf`)));
      expect(facts.pages).toBe(1);
      expect(tuple.headlines.length).toBeGreaterThan(0);
      for (const headline of tuple.headlines) {
        const metric = tuple.report.metrics.find((m) => m.metric_id === headline.metric_id)!;
        // the value is the reconciled partner value, only grouped and given its unit symbol, or in
        // dollars when the cited dictionary names the currency (cents: the same digits, a point before the last two)
        if (tuple.metrics.find((m) => m.metric_id === headline.metric_id)!.currency === 'USD') {
          expect(headline.value).toMatch(/^\$\d{1,3}(,\d{3})*\.\d{2}$/);
          expect(headline.value.replace(/[$,.]/g, '')).toBe(metric.partner);
        } else expect(headline.value.replace(/,/g, '').replace(/( ms|%| minor units)$/, '')).toBe(metric.partner);
        const flat = (s: string) => s.replace(/\s+/g, '');
        expect(facts.flat).toContain(flat(headline.value));
        expect(facts.flat).toContain(flat(headline.text));
        expect(facts.flat).toContain(flat(`(${headline.metric_id}, ${tuple.short_hash})`));
      }
      expect(facts.flat).toContain(tuple.tuple_revision_hash);
      expect(facts.flat).toContain(tuple.report.artifact_id);
      expect(facts.flat).toContain('CARVE-OUTWEEKS');
      for (const carveOut of tuple.carve_outs) expect(facts.flat).toContain(carveOut.blast_radius.replace(/\s+/g, ''));
      expect(facts.info.Title).toBe(tuple.title);
      expect(facts.info.Keywords).toBe(tuple.report.metrics.map((m) => m.metric_id).join(' '));
      expect(facts.info.CreationDate).toMatch(new RegExp(`^D:${tuple.generated_at.slice(0, 10).replace(/-/g, '')}`));
    }
  });

  it('shows a money headline in its currency, exactly, beyond 2^53', async () => {
    const tuple = model.tuples.find((t) => t.tuple_id === 'acme-2026-q2')!;
    const cents = BigInt(tuple.report.metrics.find((m) => m.metric_id === 'm.revenue.billed_minor')!.partner);
    expect(cents > 2n ** 53n).toBe(true);
    // BigInt arithmetic as the reference: dollars and the two cent digits
    const dollars = `$${(cents / 100n).toLocaleString('en-US')}.${(cents % 100n).toString().padStart(2, '0')}`;
    const facts = await pdfFacts(readFileSync(join(site.dist, 'readback', 'acme-2026-q2.pdf')));
    expect(facts.flat).toContain(`Revenuebilledforthequarter:${dollars}(m.revenue.billed_minor,`);
    expect(facts.text).not.toContain('minor units');
  });

  it('links every headline and carve-out to an annex anchor that exists in the built HTML', async () => {
    for (const tuple of model.tuples) {
      const links = await pdfLinkTargets(readFileSync(join(site.dist, 'readback', `${tuple.tuple_id}.pdf`)));
      for (const headline of tuple.headlines)
        expect(links).toContain(`${model.site_url}/annex/${tuple.tuple_id}/#${headline.metric_id}`);
      for (const carveOut of tuple.carve_outs)
        expect(links).toContain(`${model.site_url}/annex/${tuple.tuple_id}/#${carveOut.anchor}`);
      const annex = readFileSync(join(site.dist, 'annex', tuple.tuple_id, 'index.html'), 'utf8');
      for (const link of links) {
        expect(link.startsWith(`${model.site_url}/annex/${tuple.tuple_id}/#`)).toBe(true);
        expect(annex).toContain(`id="${link.split('#')[1]}"`);
      }
    }
  });

  it('renders byte-identical PDFs from the same inputs, on Letter and on A4', async () => {
    const tuple = model.tuples[0]!;
    const first = await renderOnePager(tuple, model.site_url, 'LETTER');
    const second = await renderOnePager(tuple, model.site_url, 'LETTER');
    expect(Buffer.compare(first, second)).toBe(0);
    expect(Buffer.compare(first, readFileSync(join(site.dist, 'readback', `${tuple.tuple_id}.pdf`)))).toBe(0);
    const a4 = await pdfFacts(await renderOnePager(tuple, model.site_url, 'A4'));
    expect(a4.pages).toBe(1);
    expect(Math.round(a4.view[3]!)).toBe(842);
  });

  it('opens only the fonts it embeds: the default font of pdfkit is not opened for each document', async () => {
    // the patch applies to pdfkit as react-pdf imports it (an upgrade that moves it fails here)
    expect(await withoutDefaultFont()).toBe(true);
    const pdf = (await renderOnePager(model.tuples[0]!, model.site_url, 'LETTER')).toString('latin1');
    const fonts = [...pdf.matchAll(/\/BaseFont \/([^\s/>]+)/g)].map((m) => m[1]!);
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.every((name) => /Inter|JetBrains/.test(name))).toBe(true);
    // the page's font resources are numbered from the first: none went to an unused default
    expect(pdf).toMatch(/\/F1 \d+ 0 R/);
  });

  it('stays one page when a long readback needs the compact layout, and is refused when even that overflows', async () => {
    const tuple = model.tuples.find((t) => t.carve_outs.length > 0) ?? model.tuples[0]!;
    const withCarveOuts = (count: number) => ({
      ...tuple,
      body_text:
        'What happened in this window, and why these figures matter to the partnership, in a few plain sentences.',
      carve_outs: Array.from({ length: count }, (_, i) => ({
        ...(tuple.carve_outs[0] ?? {
          period_start: tuple.window.start_inclusive,
          parent_freeze_id: 'FRZ-1',
          blast_radius: 'A hotfix',
        }),
        bypass_audit_id: `BYP-2026-${String(i).padStart(4, '0')}`,
        annex_href: `/annex/${tuple.tuple_id}/#bypass-${i}`,
        anchor: `bypass-${i}`,
        blast_radius: 'Hotfix for the billing export; touched invoice rounding only, no other metric inputs.',
      })),
    });
    const regular = await pdfFacts(await renderOnePager(withCarveOuts(2), model.site_url, 'LETTER'));
    const long = await pdfFacts(await renderOnePager(withCarveOuts(8), model.site_url, 'LETTER'));
    expect(regular.pages).toBe(1);
    expect(long.pages).toBe(1);
    // the regular layout says "Week of"; eight weeks did not fit it, so the compact one was used
    expect(regular.flat).toContain('Weekof');
    expect(long.flat).not.toContain('Weekof');
    // every carve-out week is still listed, with its id and blast radius
    for (let i = 0; i < 8; i++) expect(long.flat).toContain(`BYP-2026-${String(i).padStart(4, '0')}`);
    await expect(renderOnePager(withCarveOuts(200), model.site_url, 'LETTER')).rejects.toThrow(OnePagerOverflowError);
  });

  it('is never published on two pages: a readback too long for one is refused with exit 2', async () => {
    const root = copyWorkspace(MINIMAL_EXAMPLE);
    const path = join(root, 'content', 'tuples', 'globex-2026-w27', 'readback.md');
    const text = readFileSync(path, 'utf8');
    const paragraph =
      'This paragraph explains at some length what the partnership saw during this window and why the reconciled figures matter for the decisions ahead.';
    writeFileSync(path, `${text.slice(0, text.lastIndexOf('---\n') + 4)}${Array(30).fill(paragraph).join('\n\n')}\n`);
    const result = await buildSite(root);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /content\/tuples\/globex-2026-w27\/readback\.md: READBACK_OVERFLOW .*one-pager of globex-2026-w27 runs to \d+ pages/,
    );
    expect(result.result.published).toBeNull();
    expect(existsSync(join(root, 'dist'))).toBe(false);
  });

  it('counts pages from the page objects, not from text that looks like them', async () => {
    const tuple = { ...model.tuples[0]!, title: 'Q2 /Type /Page audit\n/Type /Page\n' };
    const pdf = await renderOnePager(tuple, model.site_url, 'LETTER');
    expect(pdfPageCount(pdf)).toBe(1);
    expect((await pdfFacts(pdf)).pages).toBe(1);
  });

  it('renders the same bytes in the worker pool as in-process', async () => {
    const tuples = Array.from({ length: 7 }, (_, i) => model.tuples[i % model.tuples.length]!);
    const pooled: Uint8Array[] = [];
    const overflows: string[] = [];
    await renderOnePagers(
      tuples.map((tuple) => ({ tuple, siteUrl: model.site_url })),
      'LETTER',
      (_job, pdf) => pooled.push(pdf),
      (overflow) => overflows.push(overflow.tupleId),
      2, // worker threads, whatever this machine's cores
    );
    expect(overflows).toEqual([]);
    expect(pooled).toHaveLength(7);
    for (const tuple of model.tuples) {
      const direct = await renderOnePager(tuple, model.site_url, 'LETTER');
      expect(pooled.some((pdf) => Buffer.compare(Buffer.from(pdf), direct) === 0)).toBe(true);
    }
  });

  it('renders the same bytes when a worker joins this thread halfway (the pages finished)', async () => {
    const tuples = Array.from({ length: 12 }, (_, i) => model.tuples[i % model.tuples.length]!);
    const pooled: Uint8Array[] = [];
    let release!: () => void;
    const pagesDone = new Promise<void>((resolve) => (release = resolve));
    await renderOnePagers(
      tuples.map((tuple) => ({ tuple, siteUrl: model.site_url })),
      'LETTER',
      (_job, pdf) => {
        pooled.push(pdf);
        if (pooled.length === 1) release(); // a core frees up after the first one-pager
      },
      () => {},
      1, // this thread alone at first
      { threads: 1, when: pagesDone },
    );
    expect(pooled).toHaveLength(12);
    const direct = await Promise.all(model.tuples.map((t) => renderOnePager(t, model.site_url, 'LETTER')));
    for (const pdf of pooled) expect(direct.some((d) => Buffer.compare(Buffer.from(pdf), d) === 0)).toBe(true);
  });

  it('has no numeric table: every digit on the page belongs to a headline, an id, a hash or a date', async () => {
    const tuple = model.tuples[0]!;
    const facts = await pdfFacts(readFileSync(join(site.dist, 'readback', `${tuple.tuple_id}.pdf`)));
    let rest = facts.flat;
    for (const known of [
      tuple.title,
      ...tuple.headlines.flatMap((h) => [h.value, h.citation, ...(h.target ? [h.target.display] : [])]),
      humanWindow(tuple.window),
      tuple.tuple_revision_hash,
      tuple.report.artifact_id,
      tuple.window.start_inclusive,
      tuple.window.end_exclusive,
      tuple.window.start_inclusive.slice(0, 10),
      tuple.window.end_exclusive.slice(0, 10),
      tuple.report.dictionary_version!,
      tuple.tuple_id,
      ...tuple.carve_outs.flatMap((c) => [
        c.bypass_audit_id,
        c.parent_freeze_id,
        humanDate(c.period_start),
        c.blast_radius,
      ]),
    ]) {
      rest = rest.split(known.replace(/\s+/g, '')).join(' ');
    }
    expect(rest).not.toMatch(/\d/);
  });
});
