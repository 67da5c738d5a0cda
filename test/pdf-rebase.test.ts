/** A bundle's copy of a one-pager, made from the internal one's bytes, is the PDF the renderer draws for the bundle. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { tuplePageOnBase, type SiteModel } from '../src/core/site-model.ts';
import { pdfLinksAndText, pdfLinkTargets, pdfPrintedLinkTargets, pdfText } from '../src/pdf/links.ts';
import { rebaseLinks } from '../src/pdf/rebase.ts';
import { readOwnPdf, renderAndReadWithCopies, renderOnePager } from '../src/pdf/render.ts';
import { useBuiltSite } from './helpers/site.ts';

const site = useBuiltSite();
let model: SiteModel;
let bundles: (SiteModel & { partner_id: string })[];
beforeAll(() => {
  model = site.model;
  const folder = join(site.root, '.readback', 'site', 'partners');
  bundles = readdirSync(folder).map((name) => ({
    ...(JSON.parse(readFileSync(join(folder, name), 'utf8')) as SiteModel),
    partner_id: name.replace(/\.json$/, ''),
  }));
});

describe('one-pagers moved onto another base URL', () => {
  it('give, for every bundle of the sample, the bytes the renderer draws for it, which the build published', async () => {
    expect(bundles.length).toBeGreaterThanOrEqual(3);
    for (const bundle of bundles) {
      for (const tuple of bundle.tuples) {
        const internal = model.tuples.find((t) => t.tuple_id === tuple.tuple_id)!;
        // the bundle's page is the internal one on the bundle's base URL, nothing else differs
        expect(tuplePageOnBase(internal, model.site_url, bundle.site_url)).toEqual(tuple);
        const drawn = await renderOnePager(tuple, bundle.site_url, 'LETTER');
        const rebased = rebaseLinks(
          await renderOnePager(internal, model.site_url, 'LETTER'),
          model.site_url,
          bundle.site_url,
        );
        expect(rebased?.equals(drawn), tuple.tuple_id).toBe(true);
        const published = readFileSync(
          join(site.dist, 'partners', bundle.partner_id, 'readback', `${tuple.tuple_id}.pdf`),
        );
        expect(published.equals(drawn), tuple.tuple_id).toBe(true);
      }
    }
  }, 120_000);

  it('write the new targets as the renderer escapes them, and every link pdf.js reads moves', async () => {
    const tuple = model.tuples.find((t) => t.carve_outs.length > 0) ?? model.tuples[0]!;
    const pdf = await renderOnePager(tuple, model.site_url, 'LETTER');
    const links = await pdfLinkTargets(pdf);
    expect(links.length).toBeGreaterThan(2);
    expect(links.every((link) => link.startsWith(`${model.site_url}/`))).toBe(true);
    const odd = 'https://partners.example.org/a(b)\\c\tx';
    const rebased = rebaseLinks(pdf, model.site_url, odd)!;
    expect(rebased.equals(await renderOnePager(tuplePageOnBase(tuple, model.site_url, odd), odd, 'LETTER'))).toBe(true);
    // pdf.js reads a target as a browser parses it (a backslash is a slash, a tab is dropped)
    const paren = 'https://partners.example.org/a(b)';
    const readable = rebaseLinks(pdf, model.site_url, paren)!;
    const moved = links.map((link) => `${paren}/${link.slice(model.site_url.length + 1)}`);
    expect(await pdfLinkTargets(readable)).toEqual(moved);
    // every link prints, so the cheap reading the build makes of a copy sees them all
    expect(await pdfPrintedLinkTargets(readable)).toEqual(moved);
    expect(await pdfText(rebased)).toBe(await pdfText(pdf));
  }, 60_000);

  it('round-trips for any plain base URL, and leaves links on another base alone', async () => {
    const tuple = model.tuples[0]!;
    const pdf = await renderOnePager(tuple, model.site_url, 'LETTER');
    const base = fc
      .tuple(fc.constantFrom('https://', 'http://'), fc.stringMatching(/^[a-z0-9.()\\/-]{1,40}$/))
      .map(([scheme, rest]) => `${scheme}${rest.replace(/\/+$/, '')}x`);
    fc.assert(
      fc.property(base, (to) => {
        const there = rebaseLinks(pdf, model.site_url, to)!;
        expect(rebaseLinks(there, to, model.site_url)!.equals(pdf)).toBe(true);
      }),
      { numRuns: 60 },
    );
    expect(rebaseLinks(pdf, 'https://elsewhere.example', 'https://x.example')!.equals(pdf)).toBe(true);
  }, 60_000);

  it('refuses a file not laid out as the renderer writes it, so the build draws it instead', async () => {
    const pdf = await renderOnePager(model.tuples[0]!, model.site_url, 'LETTER');
    const to = 'https://x.example';
    expect(rebaseLinks(Buffer.concat([pdf, Buffer.from('%appended\n')]), model.site_url, to)).toBeNull();
    expect(rebaseLinks(pdf.subarray(0, pdf.length - 200), model.site_url, to)).toBeNull();
    // an offset in the cross-reference table that does not point at its object
    const text = pdf.toString('latin1');
    const entry = /\n(\d{10}) 00000 n \n/.exec(text)!;
    const shifted = text.replace(entry[0], `\n${String(Number(entry[1]) + 1).padStart(10, '0')} 00000 n \n`);
    expect(rebaseLinks(Buffer.from(shifted, 'latin1'), model.site_url, to)).toBeNull();
    // pdfkit writes a base beyond ASCII as UTF-16
    expect(rebaseLinks(pdf, model.site_url, 'https://bücher.example')).toBeNull();
  }, 60_000);
});

describe('a one-pager with a link target beyond ASCII', () => {
  it('is drawn for the other site: pdfkit writes that target as UTF-16, which neither the rewrite nor pdf.js reads', async () => {
    const internal = model.tuples[0]!;
    const from = model.site_url;
    // the ids a target is made of are ASCII today; a page with another target is still never copied wrong
    const tuple = {
      ...internal,
      headlines: internal.headlines.map((headline, i) =>
        i === 0 ? { ...headline, annex_href: `${from}/annex/${internal.tuple_id}/#é` } : headline,
      ),
    };
    const to = 'https://partners.example.org/acme';
    const pdf = await renderOnePager(tuple, from, 'LETTER');
    expect(pdf.toString('latin1')).toContain('/URI (\xfe\xff');
    expect(rebaseLinks(pdf, from, to)).toBeNull();
    const bundle = tuplePageOnBase(tuple, from, to);
    const [, copy] = await renderAndReadWithCopies(
      { tuple, siteUrl: from },
      [{ tuple: bundle, siteUrl: to }],
      'LETTER',
    );
    expect(copy!.drawn).toBe(true);
    expect(copy!.pdf.equals(await renderOnePager(bundle, to, 'LETTER'))).toBe(true);
  }, 60_000);
});

describe('reading a one-pager just drawn', () => {
  it('reads every link, even one a printed copy would not show', async () => {
    const tuple = model.tuples[0]!;
    const pdf = await renderOnePager(tuple, model.site_url, 'LETTER');
    const full = await pdfLinksAndText(pdf);
    expect(await readOwnPdf(pdf)).toEqual(full);
    // one link flagged for the screen only (0 instead of 4: the same length, so the file stays whole)
    const text = pdf.toString('latin1');
    const at = text.indexOf('/F 4\n>>\nendobj');
    const screenOnly = Buffer.from(`${text.slice(0, at)}/F 0${text.slice(at + 4)}`, 'latin1');
    expect((await pdfPrintedLinkTargets(screenOnly)).length).toBe(full.links.length - 1);
    expect(await readOwnPdf(screenOnly)).toEqual(full);
  }, 60_000);
});
