/**
 * SPEC §8.2: each partner gets a bundle of its own under partners/<partner_id>/, a complete site
 * that holds nothing of another partner and nothing leadership-only, whose links all resolve
 * inside it, and which verifies alone. Isolation is proven by content: every file of a bundle
 * (its search index decompressed, its PDFs' text and links read) is searched for what belongs to
 * the other partners.
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { partnerSiteUrl, partnerSiteUrlProblems } from '../src/core/partner-bundles.ts';
import { brokenLinks, splitIndex, type SiteIndex } from '../src/io/links.ts';
import type { TupleConfig } from '../src/core/schemas.ts';
import type { SiteModel } from '../src/core/site-model.ts';
import { pdfLinkTargets, pdfText } from '../src/pdf/links.ts';
import { hasChromium } from './helpers/browser.ts';
import { runCli } from './helpers/cli.ts';
import { buildSite, useBrowser, useBuiltSite } from './helpers/site.ts';
import { copyWorkspace, tempDir } from './helpers/workspace.ts';

const site = useBuiltSite();

function walk(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? walk(dir, rel) : [rel];
  });
}

const bundleDir = (id: string) => join(site.dist, 'partners', id);
const configOf = (tupleId: string) =>
  parse(readFileSync(join(site.root, 'content', 'tuples', tupleId, 'tuple.yaml'), 'utf8')) as TupleConfig;

/**
 * What a file says: its text, decompressed when gzipped (pagefind's index), a PDF's text and link
 * targets; and its raw bytes besides. A number is looked for in what a file says only (a PDF's
 * drawing operators are full of numbers); ids, names and hashes in its raw bytes too (its metadata).
 */
async function readable(file: string): Promise<{ says: string; raw: string }> {
  const bytes = readFileSync(file);
  const raw = `${bytes.toString('latin1')}\n${bytes.toString('utf8')}`;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return { says: gunzipSync(bytes).toString('utf8'), raw };
  if (file.endsWith('.pdf')) return { says: [await pdfText(bytes), ...(await pdfLinkTargets(bytes))].join('\n'), raw };
  return { says: bytes.toString('utf8'), raw };
}

const isNumber = (token: string) => /^[\d.,%$€£¥\s−-]+(ms)?$/.test(token);

/** The numbers in an export's cells, long enough not to turn up by chance (dates excluded). */
function csvNumbers(root: string, tupleId: string, audience: 'leadership' | 'partner', columns?: Set<string>) {
  const [header, ...rows] = readFileSync(join(root, 'content', 'tuples', tupleId, `${audience}.csv`), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(','));
  return new Set(
    rows.flatMap((cells) =>
      cells.filter((cell, i) => /^\d[\d.]{4,}$/.test(cell) && (!columns || columns.has(header![i]!))),
    ),
  );
}

/** What belongs to one tuple and to nothing else: ids, names, hashes, bypass ids, its distinctive values. */
function ownedBy(model: SiteModel, tupleId: string): string[] {
  const tuple = model.tuples.find((t) => t.tuple_id === tupleId)!;
  const hex = tuple.tuple_revision_hash.replace('sha256:', '');
  return [
    tuple.tuple_id,
    tuple.partner,
    tuple.title,
    tuple.tuple_revision_hash,
    hex,
    hex.slice(0, 12),
    tuple.report.artifact_id!,
    ...tuple.carve_outs.map((c) => c.bypass_audit_id),
    ...tuple.metrics
      .flatMap((m) => [m.leadership, m.partner, m.display.leadership, m.display.partner])
      .filter(distinctive),
    ...csvNumbers(site.root, tupleId, 'leadership'),
    ...csvNumbers(site.root, tupleId, 'partner'),
    // the per-period table shows each period's values as the annex displays them
    ...tuple.period_table.rows
      .flatMap((row) => row.cells.flatMap((cell) => [cell.leadership, cell.partner, cell.delta]))
      .flatMap((shown) => (shown ? [shown.value, shown.display] : []))
      .filter((text): text is string => typeof text === 'string' && distinctive(text)),
  ];
}

/** A value with enough digits that finding it elsewhere would not be chance ("99.86%", "1,576", not "4"). */
const distinctive = (value: string) => (value.match(/\d/g) ?? []).length >= 4;

describe('partner bundles', () => {
  it('builds the sample into at least three bundles, one per partner_id, each holding its own tuples', () => {
    const model = site.model;
    expect(model.partners.length).toBeGreaterThanOrEqual(3);
    expect(new Set(model.tuples.map((t) => t.partner_id)).size).toBe(model.partners.length);
    for (const bundle of model.partners) {
      expect(bundle.tuples).toEqual(
        model.tuples.filter((t) => t.partner_id === bundle.partner_id).map((t) => t.tuple_id),
      );
      expect(bundle.site_url).toBe(`${model.site_url}/partners/${bundle.partner_id}`);
    }
    // partner_id: the explicit one, or the slug of the partner's name
    for (const tuple of model.tuples) {
      const config = configOf(tuple.tuple_id);
      expect(tuple.partner_id).toBe(
        config.partner_id ??
          config.partner
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, '-')
            .replace(/^-|-$/g, ''),
      );
    }
    expect(readdirSync(join(site.dist, 'partners')).sort()).toEqual(
      [...model.partners.map((b) => b.partner_id), 'index.html'].sort(),
    );
  });

  it('gives each bundle exactly its tuples, the glossary of the metrics they show and the dictionaries they cite', () => {
    for (const bundle of site.model.partners) {
      const dir = bundleDir(bundle.partner_id);
      const tuples = site.model.tuples.filter((t) => bundle.tuples.includes(t.tuple_id));
      const ids = tuples.map((t) => t.tuple_id).sort();
      for (const folder of ['annex', 'exports', 'tuples']) expect(readdirSync(join(dir, folder)).sort()).toEqual(ids);
      expect(readdirSync(join(dir, 'readback')).sort()).toEqual(ids.flatMap((id) => [id, `${id}.pdf`]).sort());
      for (const tuple of tuples) {
        // the partner CSV and both manifests; no leadership CSV, no tile export
        expect(readdirSync(join(dir, 'exports', tuple.tuple_id)).sort()).toEqual(
          [
            tuple.downloads.partner_csv.name,
            tuple.downloads.leadership_manifest.name,
            tuple.downloads.partner_manifest.name,
          ].sort(),
        );
      }
      const shown = new Set(tuples.flatMap((t) => t.metrics.map((m) => m.metric_id)));
      expect(
        readdirSync(join(dir, 'glossary'))
          .filter((f) => f !== 'index.html')
          .sort(),
      ).toEqual([...shown].sort());
      expect(readdirSync(join(dir, 'dictionary')).sort()).toEqual(
        [...new Set(tuples.map((t) => `${t.report.dictionary_version}.json`))].sort(),
      );
      for (const file of ['index.html', 'glossary/index.html', 'SHA256SUMS', 'anchors.json', 'pagefind/pagefind.js'])
        expect(existsSync(join(dir, file)), `${bundle.partner_id}: ${file}`).toBe(true);
      // nothing only the internal site has
      const files = walk(dir);
      expect(
        files.filter((f) => /^(leadership|partners|glossary\/diff)\//.test(f) || /leadership(-tiles)?\.csv$/.test(f)),
      ).toEqual([]);
      // the canonical dictionary JSON is the internal file, byte for byte (auditors recompute dictionary_sha256 from it)
      for (const name of readdirSync(join(dir, 'dictionary')))
        expect(readFileSync(join(dir, 'dictionary', name))).toEqual(readFileSync(join(site.dist, 'dictionary', name)));
    }
  });

  it("greets the partner on its bundle's home page and names only the dictionary versions its tuples cite", () => {
    const model = site.model;
    for (const bundle of model.partners) {
      const own = model.tuples.filter((t) => bundle.tuples.includes(t.tuple_id));
      const home = readFileSync(join(bundleDir(bundle.partner_id), 'index.html'), 'utf8');
      expect(home).toContain(`Readbacks for ${own[0]!.partner}`);
      const cited = new Set(own.map((t) => t.report.dictionary_version));
      for (const version of model.versions.map((v) => v.version).filter((v) => !cited.has(v)))
        expect(home, `${bundle.partner_id} names ${version}`).not.toContain(`>${version}<`);
    }
  });

  it('holds nothing of another partner and nothing leadership-only, in any file, search index and PDFs included', async () => {
    const model = site.model;
    const leadershipOnly = new Set(model.tuples.flatMap((t) => configOf(t.tuple_id).leadership_only ?? []));
    expect(leadershipOnly.size).toBeGreaterThan(0);
    for (const bundle of model.partners) {
      const own = model.tuples.filter((t) => bundle.tuples.includes(t.tuple_id));
      const ownTexts = new Set(own.flatMap((t) => ownedBy(model, t.tuple_id)));
      const shown = new Set(own.flatMap((t) => t.metrics.map((m) => m.metric_id)));
      // another partner's ids, names, hashes, bypass ids and values (those this partner does not share)
      const foreign = new Set(
        model.tuples
          .filter((t) => !bundle.tuples.includes(t.tuple_id))
          .flatMap((t) => ownedBy(model, t.tuple_id))
          .filter((text) => !ownTexts.has(text) && ![...ownTexts].some((mine) => mine.includes(text))),
      );
      expect(foreign.size).toBeGreaterThan(20);
      // leadership-only: a metric some tuple keeps from its partner, unless this partner's own tuples show it,
      // and the values of this partner's own leadership-only columns
      const hidden = [...leadershipOnly].filter((id) => !shown.has(id));
      const hiddenValues = own.flatMap((t) => {
        const columns = new Set(configOf(t.tuple_id).leadership_only ?? []);
        const partnerValues = csvNumbers(site.root, t.tuple_id, 'partner');
        return [...csvNumbers(site.root, t.tuple_id, 'leadership', columns)].filter((v) => !partnerValues.has(v));
      });
      const dir = bundleDir(bundle.partner_id);
      let searched = 0;
      for (const file of walk(dir)) {
        const { says, raw } = await readable(join(dir, file));
        // pagefind's own scripts, styles and wasm, the same bytes as the internal site's, hold code, not data
        const library =
          /^pagefind\/[^/]*\.(js|css)$|^pagefind\/wasm\./.test(file) &&
          readFileSync(join(dir, file)).equals(readFileSync(join(site.dist, file)));
        const holds = (token: string) =>
          isNumber(token) ? !library && says.includes(token) : says.includes(token) || raw.includes(token);
        searched++;
        for (const token of foreign) expect(holds(token), `${bundle.partner_id}/${file} holds ${token}`).toBe(false);
        for (const value of hiddenValues)
          expect(holds(value), `${bundle.partner_id}/${file} holds the leadership-only ${value}`).toBe(false);
        // the dictionary's canonical JSON defines every metric, by design (it must hash to dictionary_sha256)
        if (file.startsWith('dictionary/')) continue;
        for (const id of hidden) expect(holds(id), `${bundle.partner_id}/${file} names ${id}`).toBe(false);
      }
      expect(searched).toBeGreaterThan(20);
    }
  });

  it('links only inside the bundle, PDF link annotations included, on the bundle base URL', async () => {
    for (const bundle of site.model.partners) {
      const dir = bundleDir(bundle.partner_id);
      const base = new URL(`${bundle.site_url}/`);
      const links: { from: string; href: string }[] = [];
      for (const file of walk(dir)) {
        if (file.endsWith('.html'))
          for (const [, href] of readFileSync(join(dir, file), 'utf8').matchAll(/\s(?:href|src)="([^"]*)"/g))
            links.push({ from: file.replace(/index\.html$/, ''), href: href!.replace(/&amp;/g, '&') });
        if (file.endsWith('.pdf')) {
          const targets = await pdfLinkTargets(readFileSync(join(dir, file)));
          expect(targets.length).toBeGreaterThan(3);
          for (const href of targets) {
            expect(href.startsWith(base.href), href).toBe(true);
            links.push({ from: file, href });
          }
        }
      }
      expect(links.length).toBeGreaterThan(50);
      for (const { from, href } of links) {
        const url = new URL(href, new URL(from, base));
        if (url.protocol === 'mailto:') continue;
        expect(`${url.origin}${url.pathname}`.startsWith(base.href), `${bundle.partner_id}/${from}: ${href}`).toBe(
          true,
        );
        const path = decodeURIComponent(url.pathname.slice(base.pathname.length));
        const file = join(dir, path.endsWith('/') || path === '' ? `${path}index.html` : path);
        expect(existsSync(file), `${bundle.partner_id}/${from}: ${href} reaches no file`).toBe(true);
        const anchor = decodeURIComponent(url.hash.slice(1));
        if (anchor) expect(readFileSync(file, 'utf8'), `${from}: ${href}`).toContain(`id="${anchor}"`);
      }
    }
  });

  it('cites the same tuple revision hash and artifact id as the internal site, on the annex, the PDF and the report', async () => {
    for (const tuple of site.model.tuples) {
      const dir = bundleDir(tuple.partner_id);
      const report = `tuples/${tuple.tuple_id}/report.json`;
      expect(readFileSync(join(dir, report))).toEqual(readFileSync(join(site.dist, report)));
      const entry = JSON.parse(readFileSync(join(dir, report), 'utf8'));
      expect(entry.tuple_revision_hash).toBe(tuple.tuple_revision_hash);
      expect(entry.artifact_id).toBe(tuple.report.artifact_id);
      const annex = readFileSync(join(dir, 'annex', tuple.tuple_id, 'index.html'), 'utf8');
      const pdf = (await pdfText(readFileSync(join(dir, 'readback', `${tuple.tuple_id}.pdf`)))).replace(/\s+/g, '');
      for (const cited of [tuple.tuple_revision_hash, tuple.report.artifact_id!]) {
        expect(annex).toContain(cited);
        expect(pdf).toContain(cited);
      }
    }
  });

  it('verifies each bundle alone, copied elsewhere, and refuses a tampered one', async () => {
    for (const bundle of site.model.partners) {
      const copy = join(tempDir(), bundle.partner_id);
      cpSync(bundleDir(bundle.partner_id), copy, { recursive: true });
      const clean = await runCli(['verify', copy]);
      expect(clean.code, clean.stdout).toBe(0);

      const tupleId = bundle.tuples[0]!;
      const tuple = site.model.tuples.find((t) => t.tuple_id === tupleId)!;
      const csv = join(copy, 'exports', tupleId, tuple.downloads.partner_csv.name);
      const bytes = readFileSync(csv);
      bytes[bytes.length - 2] = bytes[bytes.length - 2] === 0x31 ? 0x32 : 0x31;
      writeFileSync(csv, bytes);
      const csvTampered = await runCli(['verify', copy]);
      expect(csvTampered.code).toBe(1);
      expect(csvTampered.stdout).toContain(`exports/${tupleId}/${tuple.downloads.partner_csv.name}`);
      expect(csvTampered.stdout).toContain('VERIFY_MISMATCH');
    }
    // a value changed on a bundle's annex, with its SHA256SUMS rewritten to match: the value itself does not replay
    const tuple = site.model.tuples[0]!;
    const copy = join(tempDir(), tuple.partner_id);
    cpSync(bundleDir(tuple.partner_id), copy, { recursive: true });
    const page = join(copy, 'annex', tuple.tuple_id, 'index.html');
    const metric = tuple.metrics[0]!;
    const shown = `data-field="partner" data-value="${metric.partner}">${metric.display.partner}<`;
    const html = readFileSync(page, 'utf8');
    expect(html).toContain(shown);
    writeFileSync(
      page,
      html.replace(shown, shown.replace(`>${metric.display.partner}<`, `>${metric.display.partner}1<`)),
    );
    const { siteSums } = await import('../src/io/verify.ts');
    writeFileSync(join(copy, 'SHA256SUMS'), siteSums(copy));
    const annexTampered = await runCli(['verify', copy]);
    expect(annexTampered.code).toBe(1);
    expect(annexTampered.stdout).toContain(`annex/${tuple.tuple_id}/index.html`);
    expect(annexTampered.stdout).toContain(metric.metric_id);
  });

  it('verifies the internal site and each bundle in it once, and names a tampered bundle file from the site', async () => {
    const whole = await runCli(['verify', site.dist]);
    expect(whole.code, whole.stdout).toBe(0);
    const internalSums = readFileSync(join(site.dist, 'SHA256SUMS'), 'utf8');
    // the internal list covers its own files (the /partners/ index among them); each bundle lists its own
    expect(internalSums).toContain('  partners/index.html\n');
    expect(internalSums).not.toMatch(/ {2}partners\/[^/\n]+\//);

    const copy = join(tempDir(), 'dist');
    cpSync(site.dist, copy, { recursive: true });
    const bundle = site.model.partners[0]!;
    const report = join(copy, 'partners', bundle.partner_id, 'tuples', bundle.tuples[0]!, 'report.json');
    writeFileSync(report, readFileSync(report, 'utf8').replace('"green"', '"red"'));
    const tampered = await runCli(['verify', copy]);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain(`partners/${bundle.partner_id}/tuples/${bundle.tuples[0]}/report.json`);
  });

  it('lists every bundle on the internal /partners/ page, which no bundle holds', () => {
    const page = readFileSync(join(site.dist, 'partners', 'index.html'), 'utf8');
    for (const bundle of site.model.partners) {
      expect(page).toContain(`href="/partners/${bundle.partner_id}/"`);
      expect(page).toContain(`${bundle.site_url}/`);
      expect(page).toContain(bundle.partner);
    }
  });
});

describe('the link check of a bundle', () => {
  // a site holding a bundle at partners/acme/: the internal page links into it, the bundle's pages link within it
  const index: SiteIndex = {
    pages: new Map([
      ['/', new Set<string>()],
      ['/annex/x/', new Set(['metrics'])],
      ['/partners/acme/', new Set<string>()],
      ['/partners/acme/annex/x/', new Set(['metrics'])],
      ['/partners/acme/readback/x.pdf', new Set<string>()],
    ]),
    links: [
      { from: '/partners/acme/', href: 'annex/x/#metrics' },
      { from: '/partners/acme/', href: '/partners/acme/annex/x/#metrics' },
      { from: '/partners/acme/readback/x.pdf', href: 'https://kpi.example.org/partners/acme/annex/x/#metrics' },
    ],
  };
  const bundle = (links: SiteIndex['links']) =>
    splitIndex({ ...index, links: [...index.links, ...links] }, ['partners/acme']).inner.get('partners/acme')!;

  it('resolves links below the bundle base URL against the bundle alone', () => {
    expect(brokenLinks(bundle([]), 'https://kpi.example.org/partners/acme')).toEqual([]);
    // the same bundle deployed at an origin's root: its links are written from the root
    const rooted = splitIndex({ pages: index.pages, links: [{ from: '/partners/acme/', href: '/annex/x/#metrics' }] }, [
      'partners/acme',
    ]).inner.get('partners/acme')!;
    expect(brokenLinks(rooted, 'https://acme.kpi.example.org')).toEqual([]);
  });

  it('refuses a link that leaves the bundle, even to a page the internal site has', () => {
    for (const href of ['/annex/x/', '/', 'https://kpi.example.org/annex/x/#metrics', '../../annex/x/'])
      expect(
        brokenLinks(bundle([{ from: '/partners/acme/', href }]), 'https://kpi.example.org/partners/acme'),
        href,
      ).toEqual([expect.objectContaining({ code: 'BROKEN_LINK', actual: href, file: '/' })]);
    expect(
      brokenLinks(
        bundle([{ from: '/partners/acme/', href: 'annex/x/#nowhere' }]),
        'https://kpi.example.org/partners/acme',
      ),
    ).toEqual([
      expect.objectContaining({ code: 'BROKEN_LINK', message: expect.stringContaining('no anchor #nowhere') }),
    ]);
  });
});

describe('the link check', () => {
  it('resolves a relative link from each page, a link to a part of its page from that page alone', () => {
    const index: SiteIndex = {
      pages: new Map([
        ['/a/', new Set(['top'])],
        ['/a/sub/', new Set<string>()],
        ['/b/', new Set<string>()],
        ['/x.html', new Set(['here'])],
        ['/y.html', new Set<string>()],
      ]),
      links: [
        // one link from two folders: only the second has no such page below it
        { from: '/a/', href: 'sub/' },
        { from: '/b/', href: 'sub/' },
        // one anchor link from two pages of one folder: only the first has the anchor
        { from: '/x.html', href: '#here' },
        { from: '/y.html', href: '#here' },
        // written from the root: alike from every page
        { from: '/a/', href: '/a/#top' },
        { from: '/b/', href: '/a/#top' },
        { from: '/a/', href: '/a/#gone' },
        { from: '/b/', href: '/a/#gone' },
      ],
    };
    expect(brokenLinks(index, 'https://kpi.example.org').map((p) => [p.file, p.message])).toEqual([
      ['/b/', 'sub/: no page /b/sub/'],
      ['/y.html', '#here: /y.html has no anchor #here'],
      ['/a/', '/a/#gone: /a/ has no anchor #gone'],
      ['/b/', '/a/#gone: /a/ has no anchor #gone'],
    ]);
  });
});

describe('a site index split among its bundles', () => {
  it('gives each bundle its own pages and links, and the site around them every page and its own links', () => {
    const pages = ['/', '/annex/x/', '/partners/', '/partners/ac/', '/partners/ac/annex/x/', '/partners/acme/'];
    const index: SiteIndex = {
      pages: new Map(pages.map((path) => [path, new Set([path])])),
      links: pages.map((from) => ({ from, href: 'x' })),
    };
    const { outer, inner } = splitIndex(index, ['partners/ac', 'partners/acme']);
    expect(outer.pages).toBe(index.pages);
    expect(outer.links.map((l) => l.from)).toEqual(['/', '/annex/x/', '/partners/']);
    // a folder whose name begins another's takes only its own paths
    expect([...inner.get('partners/ac')!.pages.keys()]).toEqual(['/', '/annex/x/']);
    expect(inner.get('partners/ac')!.links.map((l) => l.from)).toEqual(['/', '/annex/x/']);
    expect([...inner.get('partners/acme')!.pages]).toEqual([['/', new Set(['/partners/acme/'])]]);
  });
});

describe('partner bundle base URLs', () => {
  it('takes READBACK_PARTNER_SITE_URL as a template holding {partner_id}, path or not', () => {
    for (const template of [
      'https://{partner_id}.partners.example.org',
      'https://partners.example.org/{partner_id}/',
      'http://kpi.example.org/shared/{partner_id}',
    ])
      expect(partnerSiteUrlProblems(template), template).toEqual([]);
    expect(partnerSiteUrl('https://x.example', 'acme', 'https://partners.example.org/{partner_id}/')).toBe(
      'https://partners.example.org/acme',
    );
    expect(partnerSiteUrl('https://x.example', 'acme')).toBe('https://x.example/partners/acme');
    for (const template of [
      'https://partners.example.org/',
      'partners.example.org/{partner_id}',
      'ftp://example.org/{partner_id}',
      'https://example.org/{partner_id}?x=1',
      'https://example.org/{partner_id}#top',
      'https://user@example.org/{partner_id}',
      'https://Example.org/{partner_id}',
      'https://example.org/a b/{partner_id}',
      'https://example.org/../{partner_id}',
    ])
      expect(partnerSiteUrlProblems(template), template).toEqual([
        expect.objectContaining({ code: 'BAD_SETTING', actual: template }),
      ]);
  });

  it('refuses a build with a bad template before anything is written', async () => {
    const built = await buildSite(copyWorkspace(), { READBACK_PARTNER_SITE_URL: 'https://partners.example.org/' });
    expect(built.status).toBe(2);
    expect(built.result.problems.map((p) => p.code)).toEqual(['BAD_SETTING']);
    expect(existsSync(built.dist)).toBe(false);
  });

  it('builds bundles deployed at their own origin: links from the root, PDFs on that origin', async () => {
    const built = await buildSite(copyWorkspace(), {
      READBACK_PARTNER_SITE_URL: 'https://{partner_id}.kpi.example.org',
    });
    expect(built.status, built.stderr).toBe(0);
    const model = JSON.parse(readFileSync(join(built.root, '.readback/site/model.json'), 'utf8')) as SiteModel;
    for (const bundle of model.partners) {
      expect(bundle.site_url).toBe(`https://${bundle.partner_id}.kpi.example.org`);
      const dir = join(built.dist, 'partners', bundle.partner_id);
      const tupleId = bundle.tuples[0]!;
      const annex = readFileSync(join(dir, 'annex', tupleId, 'index.html'), 'utf8');
      expect(annex).toContain(`href="/glossary/"`);
      expect(annex).not.toContain('href="/partners/');
      const targets = await pdfLinkTargets(readFileSync(join(dir, 'readback', `${tupleId}.pdf`)));
      expect(targets.length).toBeGreaterThan(0);
      for (const href of targets) expect(href.startsWith(`${bundle.site_url}/annex/${tupleId}/#`), href).toBe(true);
      const verified = await runCli(['verify', dir]);
      expect(verified.code, verified.stdout).toBe(0);
    }
  });
});

describe.skipIf(!hasChromium)('a partner bundle in a browser', () => {
  const chromium = useBrowser(() => site.dist);

  it('searches its own glossary only, and its results stay in the bundle', async () => {
    const model = site.model;
    // a metric one partner shows and another does not
    const bundle = model.partners.find((b) => {
      const shown = model.tuples.filter((t) => b.tuples.includes(t.tuple_id)).flatMap((t) => t.metrics);
      return !shown.some((m) => m.metric_id === 'm.orders.returned');
    })!;
    expect(bundle).toBeDefined();
    const page = await chromium.browser.newPage();
    await page.goto(`${chromium.url}/partners/${bundle.partner_id}/glossary/`);
    await page.fill('#search input', 'Support backlog');
    const result = page.locator('#search .pagefind-ui__result-link').first();
    await result.waitFor({ timeout: 15_000 });
    await result.click();
    await page.waitForURL(new RegExp(`/partners/${bundle.partner_id}/glossary/m\\.backlog\\.tickets/$`));
    // what the search finds for another partner's metric: only this bundle's own pages
    await page.goto(`${chromium.url}/partners/${bundle.partner_id}/glossary/`);
    await page.fill('#search input', 'Orders returned');
    await expect
      .poll(() => page.locator('#search .pagefind-ui__message').textContent(), { timeout: 15_000 })
      .toMatch(/results? for Orders returned/i);
    const found = await page
      .locator('#search .pagefind-ui__result-link')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    for (const href of found) {
      expect(href).toMatch(new RegExp(`^/partners/${bundle.partner_id}/glossary/[^/]+/$`));
      expect(href).not.toContain('m.orders.returned');
    }
  });
});
