/** SPEC §8: an id appears once in a page; the site model decides which row carries it. */
import { describe, expect, it } from 'vitest';
import type { DiffReport, Finding } from '../src/core/diff.ts';
import { diffPage } from '../src/core/site-model.ts';

const finding = (rule: Finding['rule'], cls: Finding['class'], metricId: string | null): Finding => ({
  rule,
  class: cls,
  bump: 'minor',
  metric_id: metricId,
  field: null,
  before: null,
  after: null,
  note: null,
  note_required: false,
  violation: false,
  fingerprint: '0123456789ab',
  message: rule,
});

describe('diff page anchors', () => {
  it('puts a metric changed twice on the row the page shows first (grouped by class), and only there', () => {
    const diff: DiffReport = {
      schema: 'readback.dictionary-diff/1',
      from: '1.0.0',
      to: '1.1.0',
      required_bump: 'minor',
      actual_bump: 'minor',
      ok: true,
      findings: [
        finding('LABEL_CHANGED', 'cosmetic', 'm.orders.shipped'),
        finding('PRECISION_CHANGED', 'policy', 'm.orders.shipped'),
        finding('METRIC_ADDED', 'additive', 'm.orders.returned'),
        finding('VERSION_BUMP_INSUFFICIENT', 'error', null),
      ],
    };
    const page = diffPage(diff);
    // policy is listed before cosmetic, so the precision row carries #m.orders.shipped
    expect(page.findings.map((f) => [f.rule, f.anchor])).toEqual([
      ['LABEL_CHANGED', null],
      ['PRECISION_CHANGED', 'm.orders.shipped'],
      ['METRIC_ADDED', 'm.orders.returned'],
      ['VERSION_BUMP_INSUFFICIENT', null],
    ]);
    expect(page.findings.map(({ anchor: _anchor, ...rest }) => rest)).toEqual(diff.findings);
  });
});
