/** SPEC §8: the partner annex, downloads, verify, and the two-click path from the PDF. */
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSiteModel, type SiteModel } from '../src/core/site-model.ts';
import { displayValue, TUPLE_FACT_FIELDS } from '../src/core/present.ts';
import { SITE_SUMS, siteSums, verifyPdfNumbers, verifySite } from '../src/io/verify.ts';
import { pdfLinkTargets, pdfText } from '../src/pdf/links.ts';
import { hasChromium } from './helpers/browser.ts';
import { runCli } from './helpers/cli.ts';
import { buildSite, copyBuiltSample, useBrowser, useBuiltSite } from './helpers/site.ts';
import { copyWorkspace, MINIMAL_EXAMPLE, rehash, sha256, tempDir, tuplePath } from './helpers/workspace.ts';

const site = useBuiltSite();
let model: SiteModel;
beforeAll(() => {
  model = site.model;
});
/** The dictionary version acme's exports cite. */
const acmeDictionary = () => model.tuples.find((t) => t.tuple_id === 'acme-2026-q2')!.report.dictionary_version!;
const annexHtml = (id: string) => readFileSync(join(site.dist, 'annex', id, 'index.html'), 'utf8');

describe('partner annex', () => {
  it('has every stable section anchor and one #<metric_id> row per metric linking to its glossary page', () => {
    for (const tuple of model.tuples) {
      const html = annexHtml(tuple.tuple_id);
      for (const anchor of ['window', 'metrics', 'carve-out-weeks', 'faq', 'downloads', 'provenance'])
        expect(html).toContain(`id="${anchor}"`);
      for (const metric of tuple.report.metrics) {
        const row = html.slice(html.indexOf(`id="${metric.metric_id}"`));
        expect(row.slice(0, row.indexOf('</tr>'))).toContain(`href="/glossary/${metric.metric_id}/"`);
        expect(row.slice(0, row.indexOf('</tr>'))).toContain(`data-value="${metric.partner}"`);
      }
      for (const carveOut of tuple.carve_outs) expect(html).toContain(`id="bypass-${carveOut.bypass_audit_id}"`);
      expect(html).toContain(tuple.tuple_revision_hash);
      expect(html).toContain(tuple.report.artifact_id);
      expect(html).toContain(tuple.report.dictionary_sha256!);
    }
  });

  it('shows the bypass and freeze ids, the sentinel when there is none, and both on one footer line', () => {
    const acme = annexHtml('acme-2026-q2');
    // one sentence for people, the ids as the exports write them
    expect(acme).toMatch(
      /<p id="freeze-line">Changes shipped during release freeze <code>FRZ-2026-Q2-01<\/code> under bypass audit id <code>BYP-2026-0412<\/code>\./,
    );
    const globex = annexHtml('globex-2026-06');
    expect(globex).toMatch(
      /<p id="freeze-line">No change shipped during a release freeze: freeze id <code>none<\/code>, bypass audit id <code>NO_BYPASS<\/code>\./,
    );
    expect(globex.slice(globex.indexOf('id="carve-out-weeks"'))).toContain('NO_BYPASS');
  });

  it('gives an anchor by id, never by label: a renamed label changes no anchor', () => {
    const backlog = model.glossary.find((entry) => entry.metric_id === 'm.backlog.tickets')!;
    expect(backlog.label_history.map((l) => l.label)).toEqual(['Support backlog', 'Ticket backlog']);
    const showing = model.tuples.filter((tuple) => tuple.metrics.some((m) => m.metric_id === 'm.backlog.tickets'));
    expect(showing.length).toBeGreaterThanOrEqual(2);
    for (const tuple of showing) {
      expect(tuple.metrics.find((m) => m.metric_id === 'm.backlog.tickets')!.label).toBe('Ticket backlog');
      expect(annexHtml(tuple.tuple_id)).toContain('id="m.backlog.tickets"');
    }
  });

  it('shows money as the currency the cited dictionary version gives it, and minor units where it gives none', async () => {
    const revenue = (tupleId: string) => {
      const tuple = model.tuples.find((t) => t.tuple_id === tupleId)!;
      return { tuple, metric: tuple.metrics.find((m) => m.metric_id === 'm.revenue.billed_minor')! };
    };
    // acme cites 1.3.0, where revenue is in US dollars: its minor units are cents
    const acme = revenue('acme-2026-q2');
    expect(acme.tuple.report.dictionary_version).toBe('1.3.0');
    expect(acme.metric.currency).toBe('USD');
    const cents = BigInt(acme.metric.partner);
    expect(cents > 2n ** 53n).toBe(true);
    const dollars = `$${(cents / 100n).toLocaleString('en-US')}.${(cents % 100n).toString().padStart(2, '0')}`;
    expect(acme.metric.display.partner).toBe(dollars);
    const cells = (html: string, id: string) => {
      const row = html.slice(html.indexOf(`id="${id}"`));
      return row.slice(0, row.indexOf('</tr>'));
    };
    const acmeRow = cells(annexHtml('acme-2026-q2'), 'm.revenue.billed_minor');
    // the value shown as money, the exact minor units kept beside it
    expect(acmeRow).toContain(`data-value="${acme.metric.partner}">${dollars}<`);
    expect(acmeRow).toContain('data-field="epsilon" data-value="0">$0.00<');
    expect(acmeRow).not.toContain('minor units');
    // globex replays 1.2.0, which names no currency: the same metric stays in minor units there
    const globex = revenue('globex-2026-06');
    expect(globex.tuple.report.dictionary_version).toBe('1.2.0');
    expect(globex.metric.currency).toBeNull();
    const globexRow = cells(annexHtml('globex-2026-06'), 'm.revenue.billed_minor');
    expect(globexRow).toContain(`${BigInt(globex.metric.partner).toLocaleString('en-US')} minor units<`);
    expect(globexRow).not.toContain('$');
    // exports and the published report keep minor units
    const report = JSON.parse(readFileSync(join(site.dist, 'tuples', 'acme-2026-q2', 'report.json'), 'utf8'));
    const reported = report.metrics.find((m: { metric_id: string }) => m.metric_id === 'm.revenue.billed_minor');
    expect(reported.partner).toBe(acme.metric.partner);
    expect(JSON.stringify(report)).not.toContain('$');
    for (const file of readdirSync(join(site.dist, 'exports', 'acme-2026-q2'))) {
      const text = readFileSync(join(site.dist, 'exports', 'acme-2026-q2', file), 'utf8');
      expect(text, file).not.toContain('$');
      if (file.endsWith('_partner.csv')) {
        const [header, ...rows] = text.trim().split('\n');
        const column = header!.split(',').indexOf('m.revenue.billed_minor');
        const total = rows.reduce((sum, row) => sum + BigInt(row.split(',')[column]!), 0n);
        expect(total.toString()).toBe(acme.metric.partner);
      }
    }
    // readback verify checks the dollars against the report's minor units and the cited dictionary's currency
    const annex = 'annex/acme-2026-q2/index.html';
    expect(verifySite(site.dist).checked).toContain(`${annex}: m.revenue.billed_minor partner = ${dollars}`);
    const pdf = await verifyPdfNumbers(site.dist, pdfText);
    expect(pdf.checked).toContain(`readback/acme-2026-q2.pdf: m.revenue.billed_minor headline = ${dollars}`);
    // the same amount shown as minor units, where the cited dictionary names the currency, does not pass
    const asMinorUnits = `${BigInt(acme.metric.partner).toLocaleString('en-US')} minor units`;
    const tampered = tempDir();
    cpSync(site.dist, tampered, { recursive: true });
    const page = join(tampered, annex);
    writeFileSync(
      page,
      readFileSync(page, 'utf8').replace(
        `data-value="${acme.metric.partner}">${dollars}<`,
        `data-value="${acme.metric.partner}">${asMinorUnits}<`,
      ),
    );
    writeFileSync(join(tampered, SITE_SUMS), siteSums(tampered));
    expect(verifySite(tampered).problems).toEqual([
      expect.objectContaining({
        code: 'VERIFY_MISMATCH',
        file: annex,
        metric_id: 'm.revenue.billed_minor',
        actual: asMinorUnits,
        expected: dollars,
      }),
    ]);
  });

  it('lets an auditor recompute the tuple hash with the printed command: the hash document the model holds', async () => {
    for (const tuple of model.tuples) {
      const html = annexHtml(tuple.tuple_id);
      const printed =
        /printf &#39;%s&#39; &#39;(.*?)&#39; \| sha256sum/.exec(html)?.[1] ??
        /printf '%s' '(.*?)' \| sha256sum/.exec(html)![1]!;
      const document = printed.replace(/<[^>]*>/g, '').replace(/&quot;/g, '"');
      expect(document).toBe(tuple.hash_document);
      expect(`sha256:${sha256(document)}`).toBe(tuple.tuple_revision_hash);
      expect(JSON.parse(document)).toEqual({
        tuple_id: tuple.tuple_id,
        start_inclusive: tuple.window.start_inclusive,
        end_exclusive: tuple.window.end_exclusive,
        dictionary_version: tuple.report.dictionary_version,
        dictionary_sha256: tuple.report.dictionary_sha256,
        leadership_sha256: tuple.report.exports.leadership!.sha256,
        partner_sha256: tuple.report.exports.partner!.sha256,
      });
    }
  });

  it('a bypass id in two weeks lists both weeks but gives #bypass-<id> to the first row only', async () => {
    const root = copyWorkspace();
    for (const audience of ['leadership', 'partner'] as const) {
      const csv = tuplePath(root, 'acme-2026-q2', `${audience}.csv`);
      writeFileSync(
        csv,
        readFileSync(csv, 'utf8').replace(
          /^2026-04-13T00:00:00Z,,,/m,
          '2026-04-13T00:00:00Z,BYP-2026-0412,FRZ-2026-Q2-01,',
        ),
      );
      rehash(root, 'acme-2026-q2', audience);
    }
    const built = await buildSite(root);
    expect(built.status, built.stderr).toBe(0); // every link to the bypass still lands on an anchor
    const modelPath = join(root, '.readback/site/model.json');
    const acme = parseSiteModel(JSON.parse(readFileSync(modelPath, 'utf8')), modelPath).tuples.find(
      (t) => t.tuple_id === 'acme-2026-q2',
    )!;
    expect(acme.carve_outs.map((c) => [c.period_start, c.anchor, c.annex_href])).toEqual([
      ['2026-04-06T00:00:00Z', 'bypass-BYP-2026-0412', '/annex/acme-2026-q2/#bypass-BYP-2026-0412'],
      ['2026-04-13T00:00:00Z', null, '/annex/acme-2026-q2/#bypass-BYP-2026-0412'],
    ]);
    const annex = readFileSync(join(built.dist, 'annex', 'acme-2026-q2', 'index.html'), 'utf8');
    const carveOuts = annex.slice(annex.indexOf('id="carve-out-weeks"'), annex.indexOf('id="faq"'));
    expect(carveOuts.match(/<tr[ >]/g)).toHaveLength(3); // the header and both weeks
    expect(annex.match(/id="bypass-BYP-2026-0412"/g)).toHaveLength(1);
    const readback = readFileSync(join(built.dist, 'readback', 'acme-2026-q2', 'index.html'), 'utf8');
    expect(readback.match(/href="\/annex\/acme-2026-q2\/#bypass-BYP-2026-0412"/g)).toHaveLength(2);
  });
});

describe('downloads', () => {
  it('publishes the partner CSV and both manifests byte for byte, named with the UTC window', () => {
    for (const tuple of model.tuples) {
      const files = readdirSync(join(site.dist, 'exports', tuple.tuple_id)).sort();
      const stem = `${tuple.tuple_id}_${tuple.window.start_inclusive.replace(/[-:]/g, '')}_${tuple.window.end_exclusive.replace(/[-:]/g, '')}`;
      // the internal site also has leadership's tile export (test/leadership.site.test.ts)
      expect(files).toEqual([
        `${stem}_leadership-tiles.csv`,
        `${stem}_leadership.manifest.json`,
        `${stem}_partner.csv`,
        `${stem}_partner.manifest.json`,
      ]);
      const csv = readFileSync(join(site.dist, 'exports', tuple.tuple_id, `${stem}_partner.csv`));
      expect(sha256(csv)).toBe(tuple.report.exports.partner!.sha256);
      expect(csv).toEqual(readFileSync(join(site.root, 'content', 'tuples', tuple.tuple_id, 'partner.csv')));
    }
  });

  it('no published CSV cell would run as a spreadsheet formula', () => {
    for (const tuple of model.tuples) {
      const dir = join(site.dist, 'exports', tuple.tuple_id);
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.csv'))) {
        for (const cell of readFileSync(join(dir, file), 'utf8')
          .split(/\r?\n/)
          .flatMap((line) => line.split(',')))
          expect(cell).not.toMatch(/^[=+@\t\r]|^-(?!\d+(\.\d+)?$)/);
      }
    }
  });

  it('publishes the green report entry whose artifact id verifies', async () => {
    for (const tuple of model.tuples) {
      const entry = JSON.parse(readFileSync(join(site.dist, 'tuples', tuple.tuple_id, 'report.json'), 'utf8'));
      expect(entry).toEqual(tuple.report);
      expect(entry.status).toBe('green');
    }
  });
});

describe('readback verify', () => {
  it('reads published JSON as strictly as inputs: a key written twice, a byte order mark, broken JSON or a file where a folder was', async () => {
    const tamper = (change: (dist: string) => void) => {
      const dist = join(copyBuiltSample().root, 'dist');
      change(dist);
      writeFileSync(join(dist, 'SHA256SUMS'), siteSums(dist));
      return dist;
    };
    const exportsOf = (dist: string) => join(dist, 'exports', 'acme-2026-q2');
    const manifestOf = (dist: string) =>
      join(
        exportsOf(dist),
        readdirSync(exportsOf(dist)).find((f) => f.endsWith('_leadership.manifest.json'))!,
      );
    const cases = [
      tamper((dist) => {
        const path = manifestOf(dist);
        writeFileSync(
          path,
          readFileSync(path, 'utf8').replace('"sha256":', `"sha256": "${'0'.repeat(64)}",\n  "sha256":`),
        );
      }),
      tamper((dist) => {
        const path = join(dist, 'tuples', 'acme-2026-q2', 'report.json');
        writeFileSync(path, `\uFEFF${readFileSync(path, 'utf8')}`);
      }),
      tamper((dist) => writeFileSync(join(dist, 'dictionary', `${acmeDictionary()}.json`), '{not json')),
      tamper((dist) => {
        rmSync(exportsOf(dist), { recursive: true });
        writeFileSync(exportsOf(dist), 'not a folder');
      }),
    ];
    for (const dist of cases) {
      const { code, stdout, stderr } = await runCli(['verify', dist]);
      expect(code, stdout + stderr).toBe(1);
      expect(stdout).toContain('VERIFY_MISMATCH');
      expect(stderr).not.toContain('readback: stopped');
    }
  });

  it('passes on a fresh build and fails when any published file is altered', async () => {
    expect((await runCli(['verify', site.dist])).code).toBe(0);
    const tampered = tempDir();
    cpSync(site.dist, tampered, { recursive: true });
    const csvDir = join(tampered, 'exports', 'acme-2026-q2');
    const csv = join(
      csvDir,
      readdirSync(csvDir).find((f) => f.endsWith('_partner.csv'))!,
    );
    writeFileSync(csv, readFileSync(csv, 'utf8').replace('99.96', '99.97'));
    const result = await runCli(['verify', tampered]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('MISMATCH tuple acme-2026-q2');

    const dictionaryTampered = tempDir();
    cpSync(site.dist, dictionaryTampered, { recursive: true });
    const dictionary = join(dictionaryTampered, 'dictionary', `${acmeDictionary()}.json`);
    writeFileSync(dictionary, readFileSync(dictionary, 'utf8').replace('"half_up"', '"half_even"'));
    expect((await runCli(['verify', dictionaryTampered])).code).toBe(1);
    expect((await runCli(['verify'])).code).toBe(64);

    const pageTampered = tempDir();
    cpSync(site.dist, pageTampered, { recursive: true });
    const glossary = join(pageTampered, 'glossary', 'm.orders.shipped', 'index.html');
    writeFileSync(glossary, readFileSync(glossary, 'utf8').replace('Orders shipped', 'Orders shipped (edited)'));
    const pageResult = await runCli(['verify', pageTampered]);
    expect(pageResult.code).toBe(1);
    expect(pageResult.stdout).toContain('glossary/m.orders.shipped/index.html');
  });

  it("reports each number a page shows that is not the published report's, even with SHA256SUMS regenerated", async () => {
    const tuple = model.tuples.find((t) => t.metrics.some((m) => m.unit === 'percentage_points'))!;
    const headline = tuple.headlines.find(
      (h) => tuple.metrics.find((m) => m.metric_id === h.metric_id)!.unit === 'percentage_points',
    )!;
    const metric = tuple.report.metrics.find((m) => m.metric_id === headline.metric_id)!;
    const shown = displayValue(
      metric.partner,
      tuple.metrics.find((m) => m.metric_id === metric.metric_id)!,
    );
    // one digit off, the way 97.86% becomes 99.86%
    const fake = shown.replace(/\d/, (d) => String((Number(d) + 2) % 10));
    const tampered = tempDir();
    cpSync(site.dist, tampered, { recursive: true });
    const annex = `annex/${tuple.tuple_id}/index.html`;
    const readback = `readback/${tuple.tuple_id}/index.html`;
    for (const page of [annex, readback]) {
      const html = readFileSync(join(tampered, page), 'utf8');
      const cell = `data-field="partner"`;
      expect(html).toContain(cell);
      writeFileSync(
        join(tampered, page),
        html.replace(new RegExp(`(${cell}[^>]*>)${shown.replace(/[.%]/g, '\\$&')}<`, 'g'), `$1${fake}<`),
      );
    }
    writeFileSync(join(tampered, SITE_SUMS), siteSums(tampered));
    const { problems } = verifySite(tampered);
    for (const file of [annex, readback]) {
      expect(problems).toContainEqual(
        expect.objectContaining({
          code: 'VERIFY_MISMATCH',
          file,
          metric_id: metric.metric_id,
          actual: fake,
          expected: shown,
        }),
      );
    }
    expect(problems.every((p) => p.code === 'VERIFY_MISMATCH' && p.metric_id === metric.metric_id)).toBe(true);
    const result = await runCli(['verify', tampered]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `${annex}: VERIFY_MISMATCH ${metric.metric_id} partner shows ${fake}; tuples/${tuple.tuple_id}/report.json says ${shown}`,
    );
  });

  it("checks the annex's delta and epsilon and its data-value attributes too", () => {
    const tuple = model.tuples[0]!;
    const metric = tuple.report.metrics[0]!;
    const tampered = tempDir();
    cpSync(site.dist, tampered, { recursive: true });
    const annex = join(tampered, 'annex', tuple.tuple_id, 'index.html');
    const html = readFileSync(annex, 'utf8');
    const attribute = (field: string) => `data-metric-id="${metric.metric_id}" data-field="${field}"`;
    const epsilonCell = new RegExp(`(${attribute('epsilon').replace(/\./g, '\\.')} data-value=")[^"]*(">)[^<]*<`);
    writeFileSync(
      annex,
      html
        .replace(epsilonCell, `$1${metric.epsilon}$2wide<`)
        .replace(
          `${attribute('leadership')} data-value="${metric.leadership}"`,
          `${attribute('leadership')} data-value="1"`,
        ),
    );
    const found = verifySite(tampered).problems.filter((p) => p.metric_id === metric.metric_id);
    expect(found.map((p) => [p.actual, p.expected])).toEqual([
      ['1', metric.leadership],
      ['wide', displayValue(metric.epsilon, tuple.metrics[0]!)],
    ]);
  });

  it("checks each PDF headline's number and citation against the published report", async () => {
    const clean = await verifyPdfNumbers(site.dist, pdfText);
    expect(clean.problems).toEqual([]);
    const headlines = model.tuples.flatMap((t) => t.headlines);
    // each one-pager is checked in the internal site and in its partner's bundle
    expect(clean.checked.filter((line) => / headline = /.test(line))).toHaveLength(2 * headlines.length);

    const tuple = model.tuples[0]!;
    const headline = tuple.headlines[0]!;
    const fake = headline.value.replace(/\d/, (d) => String((Number(d) + 2) % 10));
    // the same PDF as a reader that sees one headline number changed
    const edited = await verifyPdfNumbers(site.dist, async (bytes) => {
      const text = await pdfText(bytes);
      return text.includes(tuple.tuple_revision_hash) ? text.replace(headline.value, fake) : text;
    });
    expect(edited.problems).toEqual(
      ['', `partners/${tuple.partner_id}/`].map((folder) =>
        expect.objectContaining({
          code: 'VERIFY_MISMATCH',
          file: `${folder}readback/${tuple.tuple_id}.pdf`,
          metric_id: headline.metric_id,
          actual: fake.replace(/\s+/g, ''),
          expected: headline.value,
        }),
      ),
    );
  });

  describe('every fact a page shows, checked against the published report with SHA256SUMS regenerated', () => {
    const tupleId = 'acme-2026-q2';
    const annex = `annex/${tupleId}/index.html`;
    const readback = `readback/${tupleId}/index.html`;
    let sample: { dist: string };
    beforeAll(() => {
      sample = copyBuiltSample();
    });
    /** One digit of the shown text changed (a status has none: green becomes red). */
    const tamper = (text: string) =>
      /\d/.test(text) ? text.replace(/\d/, (d) => String((Number(d) + 1) % 10)) : text.replace('green', 'red');
    /** The page with the text of the first element marking `field` (of the tuple, on the index) changed. */
    const tamperedPage = (html: string, field: string, index: boolean) => {
      const marked = new RegExp(
        `(<([a-z]+) [^>]*${index ? `data-tuple-id="${tupleId}" ` : ''}data-field="${field}"[^>]*>)([^<]*)(</\\2>)`,
      );
      const match = marked.exec(html);
      expect(match, `${field} is marked`).not.toBeNull();
      return {
        html: html.replace(marked, (_, open, _tag, text, close) => `${open}${tamper(text)}${close}`),
        match: match!,
      };
    };
    const verifyTampered = async (page: string, html: string) => {
      const original = readFileSync(join(sample.dist, page), 'utf8');
      writeFileSync(join(sample.dist, page), html);
      writeFileSync(join(sample.dist, SITE_SUMS), siteSums(sample.dist));
      try {
        return await runCli(['verify', sample.dist]);
      } finally {
        writeFileSync(join(sample.dist, page), original);
        writeFileSync(join(sample.dist, SITE_SUMS), siteSums(sample.dist));
      }
    };
    const report = `tuples/${tupleId}/report.json`;

    it('the untampered copy verifies', async () => {
      const result = await runCli(['verify', sample.dist]);
      expect(result.stdout + result.stderr).toContain(' 0 mismatches');
      expect(result.code).toBe(0);
    });

    it.each([
      ...TUPLE_FACT_FIELDS.filter((field) => field !== 'status' && field !== 'metric_count').map(
        (field) => [annex, field] as const,
      ),
      ...['start_inclusive', 'end_exclusive', 'dictionary_version', 'tuple_revision_hash', 'artifact_id'].map(
        (field) => [readback, field] as const,
      ),
      ...['start_inclusive', 'end_exclusive', 'dictionary_version', 'status', 'short_hash', 'metric_count'].map(
        (field) => ['index.html', field] as const,
      ),
    ])('%s: a changed %s is a VERIFY_MISMATCH', async (page, field) => {
      const index = page === 'index.html';
      const { html, match } = tamperedPage(readFileSync(join(sample.dist, page), 'utf8'), field, index);
      const shown = match[3]!.replace(/&quot;/g, '"');
      const result = await verifyTampered(page, html);
      expect(result.code).toBe(1);
      const what = index ? `${tupleId} ${field}` : field;
      expect(result.stdout).toContain(
        `${page}: VERIFY_MISMATCH ${what} shows ${tamper(shown)}; ${report} says ${shown}`,
      );
    });

    it("the annex's window start as the reviewer changed it, and a metric's status", async () => {
      const html = readFileSync(join(sample.dist, annex), 'utf8');
      const start = '<code data-field="start_inclusive">2026-04-06T00:00:00Z</code>';
      expect(html).toContain(start);
      const moved = await verifyTampered(annex, html.replace(start, start.replace('2026-04-06', '2026-04-01')));
      expect(moved.code).toBe(1);
      expect(moved.stdout).toContain(
        `${annex}: VERIFY_MISMATCH start_inclusive shows 2026-04-01T00:00:00Z; ${report} says 2026-04-06T00:00:00Z`,
      );
      const metric = model.tuples.find((t) => t.tuple_id === tupleId)!.report.metrics[0]!;
      const status = `data-metric-id="${metric.metric_id}" data-field="status">pass<`;
      expect(html).toContain(status);
      const failed = await verifyTampered(annex, html.replace(status, status.replace('pass', 'fail')));
      expect(failed.code).toBe(1);
      expect(failed.stdout).toContain(`${annex}: VERIFY_MISMATCH ${metric.metric_id} status shows fail`);
    });

    it("the readback's datetime attribute and the index's full hash in its title", async () => {
      const entry = model.tuples.find((t) => t.tuple_id === tupleId)!.report;
      const page = readFileSync(join(sample.dist, readback), 'utf8');
      const end = `datetime="${entry.window!.end_exclusive}" data-field="end_exclusive"`;
      expect(page).toContain(end);
      const moved = await verifyTampered(readback, page.replace(end, end.replace('2026-06-29', '2026-06-30')));
      expect(moved.code).toBe(1);
      expect(moved.stdout).toContain(
        `${readback}: VERIFY_MISMATCH end_exclusive carries datetime 2026-06-30T00:00:00Z`,
      );

      const index = readFileSync(join(sample.dist, 'index.html'), 'utf8');
      const title = `title="${entry.tuple_revision_hash}"`;
      expect(index).toContain(title);
      const wrongHash = entry.tuple_revision_hash!.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
      const retitled = await verifyTampered('index.html', index.replace(title, `title="${wrongHash}"`));
      expect(retitled.code).toBe(1);
      expect(retitled.stdout).toContain(
        `index.html: VERIFY_MISMATCH ${tupleId} short_hash carries title (tuple_revision_hash) ${wrongHash}`,
      );
    });

    it('a fact whose mark was removed counts as not shown', async () => {
      const html = readFileSync(join(sample.dist, annex), 'utf8');
      const result = await verifyTampered(
        annex,
        html.replace(/ data-field="dictionary_sha256"/g, '').replace(/(<dd class="mono">)[0-9a-f]{64}</, '$1edited<'),
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`${annex}: VERIFY_MISMATCH ${annex} does not show the dictionary_sha256`);
    });
  });

  it('reads PDF numbers and footer facts as whole tokens, never as part of a longer one', async () => {
    const tuple = model.tuples.find((t) => t.tuple_id === 'acme-2026-q2')!;
    const file = `readback/${tuple.tuple_id}.pdf`;
    // the partner's bundle holds its own copy of the one-pager, verified as well
    const copies = [file, `partners/${tuple.partner_id}/${file}`];
    const headline = tuple.headlines.find((h) => h.value === '96.6%')!;
    expect(headline).toBeDefined();
    const footer = {
      hash: `hash ${tuple.tuple_revision_hash}`,
    };
    const reading = (edit: (text: string) => string) => async (bytes: Uint8Array) => {
      const text = await pdfText(bytes);
      return text.includes(tuple.tuple_revision_hash) ? edit(text) : text;
    };
    const clean = await verifyPdfNumbers(site.dist, pdfText);
    expect(clean.problems).toEqual([]);
    expect(clean.checked).toContain(`${file} shows the artifact id ${tuple.report.artifact_id}`);

    // the report says 96.6%; a PDF showing 196.6% (or a report saying 6.6% and a PDF 96.6%) does not pass
    const longer = await verifyPdfNumbers(
      site.dist,
      reading((text) => text.replace('96.6%', '196.6%')),
    );
    expect(longer.problems).toEqual(
      copies.map((file) =>
        expect.objectContaining({ code: 'VERIFY_MISMATCH', file, metric_id: headline.metric_id, expected: '96.6%' }),
      ),
    );
    const shorter = await verifyPdfNumbers(
      site.dist,
      reading((text) => text.replace('96.6%', '6.6%')),
    );
    expect(shorter.problems).toEqual(
      copies.map((file) =>
        expect.objectContaining({ code: 'VERIFY_MISMATCH', file, metric_id: headline.metric_id, actual: '6.6%' }),
      ),
    );

    for (const [what, edit, expected] of [
      ['tuple revision hash', (t: string) => t.replace(footer.hash, `${footer.hash}0`), tuple.tuple_revision_hash],
      ['artifact id', (t: string) => t.replace(/(Artifact\s+id\s+[0-9a-f]{64})/, '$1ff'), tuple.report.artifact_id],
      [
        'dictionary version',
        (t: string) =>
          t.replace(
            new RegExp(`Dictionary(\\s+)${acmeDictionary().replace(/\./g, '\\.')}`),
            `Dictionary$1${acmeDictionary()}.1`,
          ),
        tuple.report.dictionary_version!,
      ],
    ] as const) {
      const edited = await verifyPdfNumbers(site.dist, reading(edit));
      expect(edited.problems, what).toEqual(
        copies.map((file) =>
          expect.objectContaining({
            code: 'VERIFY_MISMATCH',
            file,
            message: expect.stringContaining(`${file.replace(/^partners\/[^/]+\//, '')} shows the ${what} `),
            expected,
          }),
        ),
      );
    }
  });

  it('notices a key added to a published report entry', async () => {
    const site = await buildSite(copyWorkspace(MINIMAL_EXAMPLE));
    const tampered = tempDir();
    cpSync(site.dist, tampered, { recursive: true });
    const path = join(tampered, 'tuples', 'globex-2026-w27', 'report.json');
    writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), approved_by: 'nobody' }, null, 2));
    const result = await runCli(['verify', tampered]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('artifact_id');
  });
});

describe('build refusals', () => {
  it('a number typed into a headline fails the build with file and line', async () => {
    const root = copyWorkspace();
    const path = join(root, 'content', 'tuples', 'acme-2026-q2', 'readback.md');
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replace('{value} of shipped orders', '{value} of shipped orders (up 3.5 points)'),
    );
    const result = await buildSite(root);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/content\/tuples\/acme-2026-q2\/readback\.md:7:\d+: BAD_READBACK .*"3\.5"/);
  });

  it('a link to a missing anchor fails the build', async () => {
    const root = copyWorkspace();
    writeFileSync(
      join(root, 'content', 'faq.md'),
      `${readFileSync(join(root, 'content', 'faq.md'), 'utf8')}\n## Broken?\n\nSee [this](/annex/acme-2026-q2/#no-such-anchor).\n`,
    );
    const result = await buildSite(root);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('/annex/acme-2026-q2/#no-such-anchor');
  });

  it('an anchor published by the previous build may not disappear', async () => {
    const first = copyBuiltSample();
    rmSync(join(first.root, 'content', 'tuples', 'globex-2026-06'), { recursive: true });
    const second = await buildSite(first.root);
    expect(second.status).toBe(1);
    expect(second.stderr).toContain('anchor disappeared: /annex/globex-2026-06/#metrics');
    expect(readdirSync(join(first.root, 'dist', 'annex'))).toContain('globex-2026-06');
    expect((await buildSite(first.root, { READBACK_ALLOW_ANCHOR_REMOVAL: '1' })).status).toBe(0);
  });
});

describe.skipIf(!hasChromium)('two clicks from the PDF', () => {
  const chromium = useBrowser(() => site.dist);

  it('the first headline link lands on the annex row with the same value, and its label opens the definition', async () => {
    const tuple = model.tuples[0]!;
    const [first] = await pdfLinkTargets(readFileSync(join(site.dist, 'readback', `${tuple.tuple_id}.pdf`)));
    const headline = tuple.headlines[0]!;
    expect(first).toBe(headline.annex_href);
    const page = await chromium.browser.newPage();
    await page.goto(first!.replace(model.site_url, chromium.url));
    const row = page.locator(':target');
    expect(await row.getAttribute('id')).toBe(headline.metric_id);
    expect(await row.locator('td').nth(3).textContent()).toBe(headline.value);
    await row.locator(`a[href="/glossary/${headline.metric_id}/"]`).click();
    await page.waitForURL(new RegExp(`/glossary/${headline.metric_id.replace(/\./g, '\\.')}/$`));
    expect(await page.locator('#definition').textContent()).toContain('Definition');
  });
});

describe('link text', () => {
  it('says where a link goes: no page of the annex links "here"', () => {
    for (const tuple of site.model.tuples) {
      const html = readFileSync(join(site.dist, 'annex', tuple.tuple_id, 'index.html'), 'utf8');
      expect(html).not.toMatch(/<a [^>]*>\s*here\s*<\/a>/i);
      expect(html).toContain('>executive readback</a>');
    }
  });
});

describe('the readback questions', () => {
  it('ask about the release freeze only when something shipped during one, on the page and in the PDF alike', async () => {
    const question = 'What shipped during the release freeze?';
    for (const tuple of site.model.tuples) {
      const page = readFileSync(join(site.dist, 'readback', tuple.tuple_id, 'index.html'), 'utf8');
      const pdf = await pdfText(new Uint8Array(readFileSync(join(site.dist, 'readback', `${tuple.tuple_id}.pdf`))));
      const asked = tuple.carve_outs.length > 0;
      expect(page.includes(question), tuple.tuple_id).toBe(asked);
      expect(pdf.replace(/\s+/g, ' ').includes(question), tuple.tuple_id).toBe(asked);
    }
    expect(site.model.tuples.some((t) => t.carve_outs.length === 0)).toBe(true);
    expect(site.model.tuples.some((t) => t.carve_outs.length > 0)).toBe(true);
  });
});
