/** SPEC §8: an id appears once in a page; the site model decides which row carries it. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DiffReport, Finding } from '../src/core/diff.ts';
import { compactInstant, diffPage } from '../src/core/site-model.ts';

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

describe('compactInstant', () => {
  const byExpression = (instant: string) => instant.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

  it('writes an instant without its separators, as the expressions do, whatever the text', () => {
    expect(compactInstant('2026-04-06T00:00:00Z')).toBe('20260406T000000Z');
    expect(compactInstant('2026-04-06T00:00:00.250Z')).toBe('20260406T000000Z');
    const instants = fc
      .date({ min: new Date('1970-01-01'), max: new Date('2999-12-31'), noInvalidDate: true })
      .map((date) => date.toISOString().replace(/\.000Z$/, 'Z'));
    fc.assert(fc.property(fc.oneof(instants, fc.string()), (text) => compactInstant(text) === byExpression(text)));
  });
});
