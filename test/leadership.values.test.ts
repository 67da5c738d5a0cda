/** SPEC §8.1–§8.2: leadership-only values in the report, the tile export and the tiles' chart geometry. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chartPoints, leadershipTilesCsv, tileSeries, tupleTilesCsv } from '../src/core/leadership.ts';
import { artifactId } from '../src/core/reconcile.ts';
import { ReconcileReportSchema } from '../src/core/schemas.ts';
import { reconcileWorkspace } from '../src/io/reconcile-workspace.ts';
import { copyWorkspace, periodRows, type SyntheticMetric, syntheticWorkspace, tuplePath } from './helpers/workspace.ts';

const METRICS: SyntheticMetric[] = [
  { metric_id: 'm.requests.total', class: 'count', unit: 'count', aggregation: 'sum', precision: 0 },
  {
    metric_id: 'm.sla.availability_pct',
    class: 'rate',
    unit: 'percentage_points',
    aggregation: 'weighted_average',
    weight_metric_id: 'm.requests.total',
    precision: 2,
  },
  { metric_id: 'm.credits.issued_minor', class: 'money', unit: 'money_minor_units', aggregation: 'sum', precision: 0 },
  { metric_id: 'm.queue.depth', class: 'count', unit: 'count', aggregation: 'last_observed', precision: 0 },
];
const KEY = 'period_start,bypass_audit_id,parent_freeze_id,region';

/** Two regions a week; leadership also holds a leadership-only rate, credits and a queue depth it never filled in. */
function twoRegionWorkspace(leadershipRows: string[] = []) {
  const leadershipOnly: SyntheticMetric = {
    metric_id: 'm.sla.leadership_pct',
    class: 'rate',
    unit: 'percentage_points',
    aggregation: 'weighted_average',
    weight_metric_id: 'm.requests.total',
    precision: 2,
  };
  const partner = [
    `${KEY},m.requests.total,m.sla.availability_pct`,
    '2026-01-05T00:00:00Z,BYP-1,FRZ-1,eu,10,90.00',
    '2026-01-05T00:00:00Z,BYP-2,FRZ-2,us,30,98.00',
    '2026-01-12T00:00:00Z,,,eu,5,80.00',
    '2026-01-12T00:00:00Z,,,us,15,',
    '2026-01-19T00:00:00Z,,,eu,7,99.00',
  ];
  const leadership = [
    `${KEY},m.requests.total,m.sla.availability_pct,m.sla.leadership_pct,m.credits.issued_minor,m.queue.depth`,
    '2026-01-05T00:00:00Z,BYP-1,FRZ-1,eu,10,90.00,90.001,100,',
    '2026-01-05T00:00:00Z,BYP-2,FRZ-2,us,30,98.00,98.004,250,',
    '2026-01-12T00:00:00Z,,,eu,5,80.00,80.005,,',
    '2026-01-12T00:00:00Z,,,us,15,,,9007199254740993,',
    '2026-01-19T00:00:00Z,,,eu,7,99.00,,1,',
    ...leadershipRows,
  ];
  return syntheticWorkspace({
    metrics: [...METRICS, leadershipOnly],
    dimensions: ['region'],
    leadershipOnly: ['m.sla.leadership_pct', 'm.credits.issued_minor', 'm.queue.depth'],
    bypasses: { 'BYP-1': 'eu hotfix', 'BYP-2': 'us hotfix' },
    leadership,
    partner,
  });
}

describe('leadership-only metrics in the report', () => {
  it('aggregates them per window and period with their own rule, beside the entry both audiences see', async () => {
    const { root, tupleId } = twoRegionWorkspace();
    const report = await reconcileWorkspace({ root });
    expect(report.status).toBe('green');
    expect(ReconcileReportSchema.parse(report)).toEqual(report);
    const entry = report.tuples[0]!;
    expect(entry.metrics.map((m) => m.metric_id)).toEqual(['m.requests.total', 'm.sla.availability_pct']);
    // the entry (what report.json publishes and artifact_id hashes) names no leadership-only metric
    const published = JSON.stringify(entry);
    for (const id of ['m.sla.leadership_pct', 'm.credits.issued_minor', 'm.queue.depth'])
      expect(published).not.toContain(id);
    expect(artifactId(entry)).toBe(entry.artifact_id);
    expect(report.leadership_only).toEqual([
      {
        tuple_id: tupleId,
        // dictionary order; m.queue.depth has no value at all, so it has no aggregate and is left out
        metrics: [
          {
            metric_id: 'm.credits.issued_minor',
            // 100 + 250 + 9007199254740993 + 1, exactly (past 2^53)
            leadership: '9007199254741344',
            periods: [
              { period_start: '2026-01-05T00:00:00Z', leadership: '350' },
              { period_start: '2026-01-12T00:00:00Z', leadership: '9007199254740993' },
              { period_start: '2026-01-19T00:00:00Z', leadership: '1' },
            ],
          },
          {
            metric_id: 'm.sla.leadership_pct',
            // (10·90.001 + 30·98.004 + 5·80.005) / 45 = 4240.245 / 45 = 94.2276…
            leadership: '94.23',
            periods: [
              // (900.01 + 2940.12) / 40 = 96.00325
              { period_start: '2026-01-05T00:00:00Z', leadership: '96.00' },
              // half_up: 80.005 → 80.01 (the us row has no value, so it weighs nothing)
              { period_start: '2026-01-12T00:00:00Z', leadership: '80.01' },
              { period_start: '2026-01-19T00:00:00Z', leadership: null },
            ],
          },
        ],
      },
    ]);
  });

  it('are absent for an invalid tuple, whose values nobody may rely on', async () => {
    const { root } = twoRegionWorkspace(['2026-01-26T00:00:00Z,,,eu,3,97.00,x,2,']);
    const report = await reconcileWorkspace({ root });
    expect(report.tuples[0]!.status).toBe('invalid');
    expect(report.leadership_only).toEqual([]);
  });

  it("hold the sample's leadership-only credits, summed from the leadership export's column", async () => {
    const root = copyWorkspace();
    const report = await reconcileWorkspace({ root });
    const globex = report.leadership_only!.find((t) => t.tuple_id === 'globex-2026-06')!;
    const credits = globex.metrics.find((m) => m.metric_id === 'm.credits.issued_minor')!;
    const csv = readFileSync(tuplePath(root, 'globex-2026-06', 'leadership.csv'), 'utf8')
      .trimEnd()
      .split('\n');
    const column = csv[0]!.split(',').indexOf('m.credits.issued_minor');
    const cells = csv.slice(1).map((line) => BigInt(line.split(',')[column]!));
    expect(credits.leadership).toBe(String(cells.reduce((a, b) => a + b)));
    expect(credits.periods.map((p) => p.leadership)).toEqual(cells.map(String));
    expect(BigInt(credits.leadership)).toBeGreaterThan(0n);
    const entry = report.tuples.find((t) => t.tuple_id === 'globex-2026-06')!;
    expect(JSON.stringify(entry)).not.toContain('m.credits.issued_minor');
  });
});

describe('the tile export', () => {
  it("has one row per period: the bypass pairs space-separated in one order, the sentinel for none, leadership's values", async () => {
    const { root } = twoRegionWorkspace();
    const report = await reconcileWorkspace({ root });
    const entry = report.tuples[0]!;
    const csv = tupleTilesCsv(report, entry, 'NO_BYPASS');
    expect(csv).toBe(
      [
        'period_start,bypass_audit_id,parent_freeze_id,m.requests.total,m.sla.availability_pct,m.credits.issued_minor,m.sla.leadership_pct',
        '2026-01-05T00:00:00Z,BYP-1 BYP-2,FRZ-1 FRZ-2,40,96.00,350,96.00',
        '2026-01-12T00:00:00Z,NO_BYPASS,NO_BYPASS,20,80.00,9007199254740993,80.01',
        // no leadership value of the leadership-only rate in this period: an empty cell
        '2026-01-19T00:00:00Z,NO_BYPASS,NO_BYPASS,7,99.00,1,',
        '',
      ].join('\n'),
    );
  });

  it("matches the report's per-period values for every tuple of the sample", async () => {
    const root = copyWorkspace();
    const report = await reconcileWorkspace({ root });
    for (const entry of report.tuples) {
      const series = tileSeries(
        entry,
        report.leadership_only!.find((t) => t.tuple_id === entry.tuple_id),
      );
      const [header, ...rows] = leadershipTilesCsv(entry, series, 'NO_BYPASS').trimEnd().split('\n');
      const ids = header!.split(',').slice(3);
      expect(ids).toEqual(series.map((s) => s.metric_id));
      expect(rows.map((row) => row.split(',')[0])).toEqual(
        periodRows(readFileSync(tuplePath(root, entry.tuple_id, 'leadership.csv'), 'utf8')).map((p) => p.period_start),
      );
      rows.forEach((row, index) => {
        const cells = row.split(',');
        const pairs = entry.periods![index]!.leadership_bypasses;
        expect(cells[1]).toBe(pairs.length > 0 ? pairs.map((p) => p.bypass_audit_id).join(' ') : 'NO_BYPASS');
        ids.forEach((id, i) => expect(cells[3 + i]).toBe(series[i]!.periods[index]!.leadership ?? ''));
      });
    }
  });
});

describe('chart points', () => {
  const box = { width: 120, height: 40, padding: 5 };

  it('places values between the smallest (bottom) and largest (top), exactly, past 2^53 too', () => {
    expect(chartPoints(['1.5', '2.5', '3.5', null], box)).toEqual([
      { x: 5, y: 35 },
      { x: 42, y: 20 },
      { x: 78, y: 5 },
      null,
    ]);
    // a one-unit difference of two money values a double cannot tell apart
    const [low, high] = chartPoints(['9007199254740992', '9007199254740993'], box);
    expect([low!.y, high!.y]).toEqual([35, 5]);
  });

  it('draws a flat series at mid-height and a single period in the middle', () => {
    expect(chartPoints(['7', '7.00'], box).map((p) => p!.y)).toEqual([20, 20]);
    expect(chartPoints(['7'], box)).toEqual([{ x: 60, y: 20 }]);
  });
});
