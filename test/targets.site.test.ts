/** SLA targets on the published site: the model, the annex, the readback, the one-pager, and verify. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { displayValue } from '../src/core/present.ts';
import type { SiteModel, TuplePage } from '../src/core/site-model.ts';
import { targetSentence } from '../src/core/targets.ts';
import { SITE_SUMS, siteSums, verifyPdfNumbers, verifySite } from '../src/io/verify.ts';
import { pdfText } from '../src/pdf/links.ts';
import { pdfPageCount, renderOnePager } from '../src/pdf/render.ts';
import { copyBuiltSample, useBuiltSite } from './helpers/site.ts';

const site = useBuiltSite();
let model: SiteModel;
let acme: TuplePage;
beforeAll(() => {
  model = site.model;
  acme = model.tuples.find((t) => t.tuple_id === 'acme-2026-q2')!;
});
const flat = (text: string) => text.replace(/\s+/g, '');

describe('targets in the site model', () => {
  it("are tuple.yaml's, evaluated against the partner value the headline shows", () => {
    const config = readFileSync(join(site.root, 'content/tuples/acme-2026-q2/tuple.yaml'), 'utf8');
    for (const metric of acme.metrics) {
      const written = new RegExp(`^  ${metric.metric_id.replace(/\./g, '\\.')}: "(.*)"$`, 'm').exec(config)?.[1];
      expect(metric.target?.written, metric.metric_id).toBe(written);
    }
    // the sample's latency peaked at 412 ms in the hotfix week, over its 300 ms target
    const latency = acme.metrics.find((m) => m.metric_id === 'm.api.p95_latency_ms')!;
    expect(latency.partner).toBe('412');
    expect(latency.target).toMatchObject({ written: '<= 300', status: 'missed', display: 'at most 300 ms' });
    const availability = acme.metrics.find((m) => m.metric_id === 'm.sla.availability_pct')!;
    expect(availability.target).toMatchObject({ written: '>= 99.9', status: 'met' });
    expect(acme.metrics.find((m) => m.metric_id === 'm.revenue.billed_minor')!.target).toBeNull();
  });

  it('fill {target} and {status} in a headline from the same evaluation', () => {
    const headline = acme.headlines.find((h) => h.metric_id === 'm.api.p95_latency_ms')!;
    expect(headline.target?.status).toBe('missed');
    expect(headline.text).toContain(`the target of ${headline.target!.display} was ${headline.target!.status}`);
  });
});

describe('targets on the pages', () => {
  it('the annex shows each target in words with met or missed, beside the metric it is about', () => {
    const html = readFileSync(join(site.dist, 'annex/acme-2026-q2/index.html'), 'utf8');
    for (const metric of acme.metrics) {
      const row = html.slice(html.indexOf(`<tr id="${metric.metric_id}"`));
      const cells = row.slice(0, row.indexOf('</tr>'));
      if (metric.target) expect(cells).toContain(`>${targetSentence(metric.target)}</span>`);
      else expect(cells).toContain('none set');
    }
  });

  it('the one-pager shows each target with met or missed before its citation, on one page', async () => {
    const text = flat(await pdfText(readFileSync(join(site.dist, 'readback/acme-2026-q2.pdf'))));
    for (const headline of acme.headlines) {
      const citation = text.indexOf(flat(headline.citation));
      const before = text.slice(0, citation);
      if (headline.target) expect(before.endsWith(flat(`Target ${targetSentence(headline.target)}`))).toBe(true);
      else expect(before.endsWith(flat(headline.text))).toBe(true);
    }
  });
});

describe('the one-pager', () => {
  /** A tuple with `count` headlines, cycling through the sample's. */
  const withHeadlines = (tuple: TuplePage, count: number): TuplePage => ({
    ...tuple,
    headlines: Array.from({ length: count }, (_, i) => tuple.headlines[i % tuple.headlines.length]!),
  });

  it('stays one page with twelve headlines, on Letter and on A4', async () => {
    for (const size of ['LETTER', 'A4'] as const) {
      const pdf = await renderOnePager(withHeadlines(acme, 12), model.site_url, size);
      expect(pdfPageCount(pdf), size).toBe(1);
      const text = flat(await pdfText(pdf));
      expect(text.split(flat(acme.headlines[0]!.citation)).length - 1).toBe(3);
    }
  });

  it('draws each headline from its per-period values: other periods, other bytes; the same, the same bytes', async () => {
    const render = (tuple: TuplePage) => renderOnePager(tuple, model.site_url, 'LETTER');
    const first = await render(acme);
    expect(Buffer.compare(first, await render(structuredClone(acme)))).toBe(0);
    const availability = acme.metrics.find((m) => m.metric_id === 'm.sla.availability_pct')!;
    const changed = structuredClone(acme);
    const periods = changed.metrics.find((m) => m.metric_id === availability.metric_id)!.periods!;
    periods[1] = { ...periods[1]!, partner: periods[0]!.partner };
    const second = await render(changed);
    expect(Buffer.compare(first, second)).not.toBe(0);
    // only the drawing moved: the text is the same
    expect(await pdfText(second)).toBe(await pdfText(first));
  });

  it('says the window with "to" for people and keeps the exact instants in its footer', async () => {
    const doc = await getDocument({ data: new Uint8Array(readFileSync(join(site.dist, 'readback/acme-2026-q2.pdf'))) })
      .promise;
    const text = (await (await doc.getPage(1)).getTextContent()).items
      .map((item) => ('str' in item ? item.str : ''))
      .join(' ');
    await doc.destroy();
    expect(flat(text)).toContain(flat('Reporting window 6 Apr 2026 00:00 UTC to 29 Jun 2026 00:00 UTC'));
    expect(flat(text)).toContain(flat(`window ${acme.window.start_inclusive} to ${acme.window.end_exclusive}`));
    expect(text).not.toMatch(/start inclusive/);
  });
});

describe('readback verify and targets', () => {
  let sample: { dist: string };
  beforeAll(() => {
    sample = copyBuiltSample();
  });

  it('finds a target shown as met where the report value misses it, on the annex and on the readback page', () => {
    for (const page of ['annex/acme-2026-q2/index.html', 'readback/acme-2026-q2/index.html']) {
      const path = join(sample.dist, page);
      const original = readFileSync(path, 'utf8');
      expect(original).toContain('at most 300 ms: missed');
      writeFileSync(path, original.replace('at most 300 ms: missed', 'at most 300 ms: met'));
      writeFileSync(join(sample.dist, SITE_SUMS), siteSums(sample.dist));
      try {
        expect(verifySite(sample.dist).problems, page).toEqual([
          expect.objectContaining({
            code: 'VERIFY_MISMATCH',
            file: page,
            metric_id: 'm.api.p95_latency_ms',
            actual: 'at most 300 ms: met',
            expected: 'at most 300 ms: missed',
          }),
        ]);
      } finally {
        writeFileSync(path, original);
        writeFileSync(join(sample.dist, SITE_SUMS), siteSums(sample.dist));
      }
    }
  });

  it("checks each one-pager target against the annex's and the report's value, and every number a headline shows", async () => {
    const clean = await verifyPdfNumbers(site.dist, pdfText);
    expect(clean.problems).toEqual([]);
    expect(clean.checked).toContain('readback/acme-2026-q2.pdf: m.api.p95_latency_ms target = <= 300');
    const reading = (edit: (text: string) => string) => async (bytes: Uint8Array) => {
      const text = await pdfText(bytes);
      return text.includes(acme.tuple_revision_hash) ? edit(text) : text;
    };
    const file = 'readback/acme-2026-q2.pdf';
    // the one-pager in acme's partner bundle is read the same way, so each edit shows there too
    const inBundle = `partners/${acme.partner_id}/${file}`;
    const flipped = await verifyPdfNumbers(
      site.dist,
      reading((text) => text.replace(/(at\s+most\s+300\s+ms:\s+)missed/, '$1met')),
    );
    expect(flipped.problems).toEqual([
      expect.objectContaining({ code: 'VERIFY_MISMATCH', file, metric_id: 'm.api.p95_latency_ms' }),
      expect.objectContaining({ code: 'VERIFY_MISMATCH', file: inBundle, metric_id: 'm.api.p95_latency_ms' }),
    ]);
    // the value set large is checked as well as the one in the sentence
    const latency = displayValue('412', { unit: 'milliseconds', currency: null });
    const lead = await verifyPdfNumbers(
      site.dist,
      reading((text) => text.replace(latency, '413 ms')),
    );
    expect(lead.problems).toEqual([
      expect.objectContaining({ file, metric_id: 'm.api.p95_latency_ms', actual: '413ms', expected: latency }),
      expect.objectContaining({ file: inBundle, metric_id: 'm.api.p95_latency_ms', actual: '413ms' }),
    ]);
    // a target the annex does not show
    const invented = await verifyPdfNumbers(
      site.dist,
      reading((text) => text.replace('(m.revenue.billed_minor', 'Target at least 5: met (m.revenue.billed_minor')),
    );
    expect(invented.problems).toContainEqual(
      expect.objectContaining({ file, metric_id: 'm.revenue.billed_minor', expected: 'no target' }),
    );
  });

  it("reads an annex's targets however its markup spells them, and finds a one-pager that leaves one out", async () => {
    // an annex whose target marks are written with a character reference reads as the same targets
    const { dist } = copyBuiltSample();
    const annex = join(dist, 'annex/acme-2026-q2/index.html');
    const html = readFileSync(annex, 'utf8');
    expect(html).toContain('data-field="target"');
    writeFileSync(annex, html.replaceAll('data-field="target"', 'data-field="&#116;arget"'));
    const file = 'readback/acme-2026-q2.pdf';
    const spelled = await verifyPdfNumbers(dist, pdfText);
    expect(spelled.problems).toEqual([]);
    expect(spelled.checked).toContain(`${file}: m.api.p95_latency_ms target = <= 300`);
    // so a one-pager without the target that annex shows is still found out
    const dropped = await verifyPdfNumbers(dist, async (bytes) => {
      const text = await pdfText(bytes);
      return text.includes(acme.tuple_revision_hash)
        ? text.replace(/Target\s+at\s+most\s+300\s+ms:\s+missed/, '')
        : text;
    });
    expect(dropped.problems).toContainEqual(
      expect.objectContaining({ file, metric_id: 'm.api.p95_latency_ms', actual: 'no target' }),
    );
  });
});
