/** The success checks of the reconcile gate, run against real files through the CLI. */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReconcileReport } from '../src/core/schemas.ts';
import { rfc3339Variant } from '../src/core/timestamps.ts';
import { runCli } from './helpers/cli.ts';
import {
  copyWorkspace,
  editCell,
  editExport,
  editManifest,
  editYaml,
  periodRows,
  MINIMAL_EXAMPLE,
  syntheticWorkspace,
  tuplePath,
} from './helpers/workspace.ts';

const TUPLE = 'acme-2026-q2';
const RATE = 'm.sla.availability_pct';

async function reconcile(root: string, ...extra: string[]) {
  const result = await runCli(['reconcile', '--root', root, '--json', ...extra]);
  return { ...result, report: JSON.parse(result.stdout) as ReconcileReport };
}

function shiftedOneSecond(timestamp: string): string {
  return new Date(Date.parse(timestamp) + 1000).toISOString().replace('.000Z', 'Z');
}

describe('the bundled sample', () => {
  it('reconciles green with exit 0 and writes the report', async () => {
    const root = copyWorkspace();
    const { code, report } = await reconcile(root);
    expect(code).toBe(0);
    expect(report.status).toBe('green');
    expect(report.tuples.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(readFileSync(join(root, '.readback/reconcile/report.json'), 'utf8'))).toEqual(report);
  });
});

describe('a synthetic 1% drift in a partner rate', () => {
  it('fails closed with exit 1, a failure artifact and an owner ticket', async () => {
    const root = copyWorkspace();
    editExport(root, TUPLE, 'partner', (text) => {
      const rows = text.trimEnd().split('\n').length;
      for (let row = 1; row < rows; row++) text = editCell(text, row, RATE, (v) => (Number(v) * 0.99).toFixed(2));
      return text;
    });
    const { code, report, stderr } = await reconcile(root);
    expect(code).toBe(1);
    const tuple = report.tuples.find((t) => t.tuple_id === TUPLE)!;
    expect(tuple.status).toBe('red');
    const failing = tuple.metrics.filter((m) => m.status === 'fail');
    expect(failing.map((m) => m.metric_id)).toEqual([RATE]);
    // the window's values differ, and so do the periods' (each its own finding, at its own row)
    const codes = tuple.problems.map((p) => p.code);
    expect(codes[0]).toBe('VARIANCE_EXCEEDED');
    expect(new Set(codes.slice(1))).toEqual(new Set(['PERIOD_VARIANCE_EXCEEDED']));
    // each at the first line of its period in the partner export
    const firstLines = new Map(
      periodRows(readFileSync(tuplePath(root, TUPLE, 'partner.csv'), 'utf8')).map((p) => [
        p.period_start,
        p.rows[0]! + 1,
      ]),
    );
    const failingPeriods = failing[0]!.periods!.filter((p) => p.status === 'fail');
    expect(failingPeriods.length).toBe(codes.length - 1);
    expect(tuple.problems.slice(1).map((p) => p.line)).toEqual(
      failingPeriods.map((p) => firstLines.get(p.period_start)),
    );
    expect(stderr).toContain(`${RATE}: leadership ${failing[0]!.leadership}, partner ${failing[0]!.partner}`);

    const failure = JSON.parse(readFileSync(join(root, `.readback/reconcile/failures/${TUPLE}.json`), 'utf8'));
    expect(failure.tuple_revision_hash).toBe(tuple.tuple_revision_hash);
    // the version the tuple's manifests cite, not the current dictionary's
    const manifest = JSON.parse(readFileSync(tuplePath(root, TUPLE, 'partner.manifest.json'), 'utf8'));
    expect(failure.dictionary_version).toBe(manifest.dictionary_version);
    expect(failure.failing_metrics.map((m: { metric_id: string }) => m.metric_id)).toEqual([RATE]);
    // drift localization: the five periods with the largest delta, largest first, without the whole series
    const drifts = failure.failing_metrics[0].largest_period_deltas as { delta: string; period_start: string }[];
    expect(failure.failing_metrics[0].periods).toBeUndefined();
    expect(drifts).toHaveLength(5);
    const deltas = drifts.map((d) => Number(d.delta));
    expect(deltas).toEqual([...deltas].sort((x, y) => y - x));
    const series = failing[0]!.periods!;
    expect(Math.max(...series.map((p) => Number(p.delta)))).toBe(deltas[0]);
    expect(failure.replay).toBe(`npm exec --no -- readback reconcile --root ${root} --tuple ${TUPLE}`);

    const ticket = readFileSync(join(root, `.readback/reconcile/tickets/${TUPLE}--${RATE}.md`), 'utf8');
    expect(ticket).toContain('To: team:sla-platform <sla-platform@example.com>');
    for (const text of [
      failing[0]!.leadership,
      failing[0]!.partner,
      failing[0]!.delta,
      failing[0]!.epsilon,
      tuple.tuple_revision_hash!,
      failure.replay,
    ]) {
      expect(ticket).toContain(text);
    }
    expect(ticket).toContain('Periods with the largest delta');
    for (const drift of drifts) expect(ticket).toContain(`| ${drift.period_start} |`);
    // the other tuple is untouched and stays green, with no ticket
    expect(report.tuples.filter((t) => t.tuple_id !== TUPLE).every((t) => t.status === 'green')).toBe(true);
  });

  it("a --tuple run leaves the other tuples' failure artifacts alone", async () => {
    const root = copyWorkspace();
    editExport(root, TUPLE, 'partner', (text) => editCell(text, 1, RATE, () => '90.00'));
    expect((await reconcile(root)).code).toBe(1);
    expect((await reconcile(root, '--tuple', 'globex-2026-06')).code).toBe(0);
    expect(existsSync(join(root, `.readback/reconcile/failures/${TUPLE}.json`))).toBe(true);
    expect(existsSync(join(root, `.readback/reconcile/tickets/${TUPLE}--${RATE}.md`))).toBe(true);
  });

  it('a green rerun removes the stale failure artifact', async () => {
    const root = copyWorkspace();
    const original = readFileSync(tuplePath(root, TUPLE, 'partner.csv'), 'utf8');
    editExport(root, TUPLE, 'partner', (text) => editCell(text, 1, RATE, () => '90.00'));
    expect((await reconcile(root)).code).toBe(1);
    expect(existsSync(join(root, `.readback/reconcile/failures/${TUPLE}.json`))).toBe(true);
    editExport(root, TUPLE, 'partner', () => original);
    expect((await reconcile(root)).code).toBe(0);
    expect(existsSync(join(root, `.readback/reconcile/failures/${TUPLE}.json`))).toBe(false);
  });
});

describe('per-period values (SPEC §8.1)', () => {
  const FEES = 'm.revenue.billed_minor';

  it('moving 25,000 of fees from week 1 to week 2 fails though the window total agrees', async () => {
    const root = copyWorkspace();
    // the first row of week 1 and the first row of week 2 (a week may have a row per region)
    const [week1, week2] = periodRows(readFileSync(tuplePath(root, TUPLE, 'partner.csv'), 'utf8'));
    editExport(root, TUPLE, 'partner', (text) =>
      editCell(
        editCell(text, week1!.rows[0]!, FEES, (v) => String(BigInt(v) - 25000n)),
        week2!.rows[0]!,
        FEES,
        (v) => String(BigInt(v) + 25000n),
      ),
    );
    const { code, report, stderr } = await reconcile(root, '--tuple', TUPLE);
    expect(code).toBe(1);
    const tuple = report.tuples[0]!;
    expect(tuple.status).toBe('red');
    const fees = tuple.metrics.find((m) => m.metric_id === FEES)!;
    expect(fees.delta).toBe('0');
    expect(fees.status).toBe('fail');
    expect(fees.periods!.slice(0, 3).map(({ delta, status }) => ({ delta, status }))).toEqual([
      { delta: '25000', status: 'fail' },
      { delta: '25000', status: 'fail' },
      { delta: '0', status: 'pass' },
    ]);
    expect(fees.periods![0]!.partner).toBe(String(BigInt(fees.periods![0]!.leadership!) - 25000n));
    const column =
      readFileSync(tuplePath(root, TUPLE, 'partner.csv'), 'utf8')
        .split('\n')[0]!
        .split(',')
        .indexOf(FEES) + 1;
    expect(
      tuple.problems.map(({ code, file, line, column, metric_id }) => ({ code, file, line, column, metric_id })),
    ).toEqual([
      {
        code: 'PERIOD_VARIANCE_EXCEEDED',
        file: `content/tuples/${TUPLE}/partner.csv`,
        line: week1!.rows[0]! + 1,
        column,
        metric_id: FEES,
      },
      {
        code: 'PERIOD_VARIANCE_EXCEEDED',
        file: `content/tuples/${TUPLE}/partner.csv`,
        line: week2!.rows[0]! + 1,
        column,
        metric_id: FEES,
      },
    ]);
    expect(stderr).toContain(`${FEES}: leadership ${fees.leadership}, partner ${fees.partner} over the window`);
    // the owner ticket says where the drift is, with week 1's bypass beside it
    const ticket = readFileSync(join(root, `.readback/reconcile/tickets/${TUPLE}--${FEES}.md`), 'utf8');
    expect(ticket).toContain('though their totals over the window agree');
    expect(ticket).toContain(
      `| 2026-04-06T00:00:00Z | ${fees.periods![0]!.leadership} | ${fees.periods![0]!.partner} | 25000 | BYP-2026-0412 (freeze FRZ-2026-Q2-01) |`,
    );
    expect(ticket).toContain(
      `| 2026-04-13T00:00:00Z | ${fees.periods![1]!.leadership} | ${fees.periods![1]!.partner} | 25000 | none |`,
    );
    const failure = JSON.parse(readFileSync(join(root, `.readback/reconcile/failures/${TUPLE}.json`), 'utf8'));
    expect(failure.failing_metrics[0].largest_period_deltas).toEqual([
      {
        period_start: '2026-04-06T00:00:00Z',
        leadership: fees.periods![0]!.leadership,
        partner: fees.periods![0]!.partner,
        delta: '25000',
        bypasses: [{ bypass_audit_id: 'BYP-2026-0412', parent_freeze_id: 'FRZ-2026-Q2-01' }],
      },
      {
        period_start: '2026-04-13T00:00:00Z',
        leadership: fees.periods![1]!.leadership,
        partner: fees.periods![1]!.partner,
        delta: '25000',
        bypasses: [],
      },
    ]);
  });

  it('a period holding a value in one export only is a difference, though the latest value agrees', async () => {
    const root = copyWorkspace();
    // week 3 of a last_observed metric, on every row of the week: the window's value (the latest week's) does not move
    const week3 = periodRows(readFileSync(tuplePath(root, TUPLE, 'partner.csv'), 'utf8'))[2]!;
    editExport(root, TUPLE, 'partner', (text) =>
      week3.rows.reduce((edited, row) => editCell(edited, row, 'm.incidents.open', () => ''), text),
    );
    const { code, report } = await reconcile(root, '--tuple', TUPLE);
    expect(code).toBe(1);
    const incidents = report.tuples[0]!.metrics.find((m) => m.metric_id === 'm.incidents.open')!;
    expect(incidents.delta).toBe('0');
    expect(incidents.periods![2]).toEqual({
      period_start: '2026-04-20T00:00:00Z',
      leadership: '1',
      partner: null,
      delta: null,
      status: 'fail',
    });
    expect(report.tuples[0]!.problems.map(({ code, line }) => ({ code, line }))).toEqual([
      { code: 'PERIOD_VARIANCE_EXCEEDED', line: week3.rows[0]! + 1 },
    ]);
  });

  it("lists every period of the tuple, with its values and bypass pairs, at the metric's precision", async () => {
    const { report } = await reconcile(copyWorkspace(), '--tuple', TUPLE);
    const tuple = report.tuples[0]!;
    const leadershipPeriods = periodRows(readFileSync(tuplePath(copyWorkspace(), TUPLE, 'leadership.csv'), 'utf8'));
    expect(tuple.periods!.map((p) => p.period_start)).toEqual(leadershipPeriods.map((p) => p.period_start));
    expect(tuple.periods![0]).toEqual({
      period_start: '2026-04-06T00:00:00Z',
      leadership_bypasses: [{ bypass_audit_id: 'BYP-2026-0412', parent_freeze_id: 'FRZ-2026-Q2-01' }],
      partner_bypasses: [{ bypass_audit_id: 'BYP-2026-0412', parent_freeze_id: 'FRZ-2026-Q2-01' }],
    });
    for (const metric of tuple.metrics) {
      expect(metric.periods!.map((p) => p.period_start)).toEqual(tuple.periods!.map((p) => p.period_start));
      for (const period of metric.periods!) {
        expect(period.status).toBe('pass');
        for (const value of [period.leadership, period.partner, period.delta])
          if (value !== null)
            expect(value.split('.')[1]?.length ?? 0).toBe((metric.leadership.split('.')[1] ?? '').length);
      }
    }
    // a weighted average per period: 2-decimal rates written 96.80 and 96.8 round to one value
    const onTime = tuple.metrics.find((m) => m.metric_id === 'm.orders.on_time_pct')!;
    expect(onTime.periods![1]!.leadership).toBe(onTime.periods![1]!.partner);
  });

  it("aggregates each period across dimension rows with the metric's own rule", async () => {
    const header =
      'period_start,bypass_audit_id,parent_freeze_id,region,m.orders.count,m.orders.on_time_pct,m.queue.depth,m.api.p95_ms';
    const rows = [
      '2026-01-05T00:00:00Z,,,eu,10,90.00,3,120',
      '2026-01-05T00:00:00Z,,,us,30,98.00,3,180',
      '2026-01-12T00:00:00Z,,,eu,5,80.00,4,100',
      '2026-01-12T00:00:00Z,,,us,15,,4,90',
    ];
    const { root } = syntheticWorkspace({
      metrics: [
        { metric_id: 'm.orders.count', class: 'count', unit: 'count', aggregation: 'sum', precision: 0 },
        {
          metric_id: 'm.orders.on_time_pct',
          class: 'rate',
          unit: 'percentage_points',
          aggregation: 'weighted_average',
          weight_metric_id: 'm.orders.count',
          precision: 2,
        },
        { metric_id: 'm.queue.depth', class: 'count', unit: 'count', aggregation: 'last_observed', precision: 0 },
        { metric_id: 'm.api.p95_ms', class: 'latency', unit: 'milliseconds', aggregation: 'max', precision: 0 },
      ],
      dimensions: ['region'],
      leadership: [header, ...rows],
      partner: [header, ...[...rows].reverse()],
    });
    const { code, report } = await reconcile(root);
    expect(code).toBe(0);
    const values = Object.fromEntries(
      report.tuples[0]!.metrics.map((m) => [m.metric_id, m.periods!.map((p) => [p.leadership, p.partner])]),
    );
    expect(values).toEqual({
      'm.orders.count': [
        ['40', '40'],
        ['20', '20'],
      ],
      // (10·90 + 30·98) / 40 = 96, and the week whose second rate is empty: 80
      'm.orders.on_time_pct': [
        ['96.00', '96.00'],
        ['80.00', '80.00'],
      ],
      'm.queue.depth': [
        ['3', '3'],
        ['4', '4'],
      ],
      'm.api.p95_ms': [
        ['180', '180'],
        ['100', '100'],
      ],
    });
  });
});

describe('window parity', () => {
  it('manifests one second apart fail before any row is compared', async () => {
    const root = copyWorkspace();
    editManifest(root, TUPLE, 'partner', (m) => ({ ...m, end_exclusive: shiftedOneSecond(m.end_exclusive as string) }));
    // a drift that would fail variance if rows were compared
    editExport(root, TUPLE, 'partner', (text) => editCell(text, 1, RATE, () => '50.00'));
    const { code, report } = await reconcile(root, '--tuple', TUPLE);
    expect(code).toBe(1);
    const tuple = report.tuples[0]!;
    expect(tuple.problems.map((p) => p.code)).toEqual(['WINDOW_MISMATCH']);
    expect(tuple.problems[0]!.message).toContain('end_exclusive');
    expect(tuple.metrics).toEqual([]);
    expect(tuple.tuple_revision_hash).toBeNull();
  });
});

describe('bypass parity', () => {
  it('a bypass id on one export only fails', async () => {
    const root = copyWorkspace();
    editExport(root, TUPLE, 'partner', (text) =>
      editCell(
        editCell(text, 1, 'bypass_audit_id', () => ''),
        1,
        'parent_freeze_id',
        () => '',
      ),
    );
    const { code, report } = await reconcile(root, '--tuple', TUPLE);
    expect(code).toBe(1);
    const problem = report.tuples[0]!.problems.find((p) => p.code === 'BYPASS_MISMATCH')!;
    expect(problem.file).toBe(`content/tuples/${TUPLE}/leadership.csv`);
    expect(problem.line).toBe(2);
    expect(problem.message).toContain('BYP-2026-0412');
  });

  it('matches rows by period_start and dimensions: another region carrying the id does not cover a row key', async () => {
    const header = 'period_start,bypass_audit_id,parent_freeze_id,region,m.orders.count';
    const { root } = syntheticWorkspace({
      metrics: [{ metric_id: 'm.orders.count', class: 'count', unit: 'count', aggregation: 'sum', precision: 0 }],
      dimensions: ['region'],
      bypasses: { 'BYP-1': 'checkout hotfix, us-east and eu-west' },
      leadership: [
        header,
        '2026-01-05T00:00:00Z,BYP-1,FRZ-1,us-east,10',
        '2026-01-05T00:00:00Z,BYP-1,FRZ-1,eu-west,20',
      ],
      // the same week, the same pair in eu-west, but us-east is bypass-free (columns in another order)
      partner: [
        'region,period_start,bypass_audit_id,parent_freeze_id,m.orders.count',
        'us-east,2026-01-05T00:00:00Z,,,10',
        'eu-west,2026-01-05T00:00:00Z,BYP-1,FRZ-1,20',
      ],
    });
    const { code, report } = await reconcile(root);
    expect(code).toBe(1);
    const problems = report.tuples[0]!.problems;
    expect(problems.map(({ code, file, line, column }) => ({ code, file, line, column }))).toEqual([
      { code: 'BYPASS_MISMATCH', file: 'content/tuples/synthetic-tuple/leadership.csv', line: 2, column: 2 },
    ]);
    expect(problems[0]!.message).toContain('region "us-east"');
    // the period's pairs are still listed per side for the per-period table
    expect(report.tuples[0]!.periods).toEqual([
      {
        period_start: '2026-01-05T00:00:00Z',
        leadership_bypasses: [{ bypass_audit_id: 'BYP-1', parent_freeze_id: 'FRZ-1' }],
        partner_bypasses: [{ bypass_audit_id: 'BYP-1', parent_freeze_id: 'FRZ-1' }],
      },
    ]);
  });

  it('compares period_start as an instant, not as text', async () => {
    const root = copyWorkspace(MINIMAL_EXAMPLE);
    editExport(root, 'globex-2026-w27', 'partner', (text) =>
      editCell(text, 3, 'period_start', () => '2026-07-01T00:00:00.000Z'),
    );
    const { code, report } = await reconcile(root);
    expect(report.tuples[0]!.problems).toEqual([]);
    expect(code).toBe(0);
  });
});

describe('a period_start not in the Z form', () => {
  it('is refused with the reason that applies', () => {
    expect(rfc3339Variant('2026-06-29T00:00:00+00:00')).toMatch(/carries an offset/);
    expect(rfc3339Variant('2026-06-29t00:00:00Z')).toMatch(/uppercase T/);
    expect(rfc3339Variant('2026-06-29 00:00:00z')).toMatch(/uppercase T/);
    expect(rfc3339Variant('2026-06-29T00:00:00Z')).toBeNull();
    expect(rfc3339Variant('29/06/2026')).toBeNull();
  });
});

describe('a label renamed in the dictionary', () => {
  it('changes no metric_id, CSV header or reconcile result', async () => {
    const root = copyWorkspace();
    const before = (await reconcile(root)).report;
    const headerBefore = readFileSync(tuplePath(root, TUPLE, 'partner.csv'), 'utf8').split('\n')[0];
    // the current dictionary and the released version the tuple cites (which is used and hashed)
    const cited = before.tuples.find((t) => t.tuple_id === TUPLE)!.dictionary_version!;
    for (const file of ['dictionary/metrics.yaml', `dictionary/history/${cited}.yaml`]) {
      editYaml(join(root, file), (text) =>
        text.replace(/label: Availability\b.*/, 'label: Service availability (renamed)'),
      );
    }
    const after = (await reconcile(root)).report;
    expect(readFileSync(tuplePath(root, TUPLE, 'partner.csv'), 'utf8').split('\n')[0]).toBe(headerBefore);
    const essence = (r: ReconcileReport) =>
      r.tuples.map((t) => ({
        id: t.tuple_id,
        status: t.status,
        metrics: t.metrics.map(({ label: _label, ...rest }) => rest),
      }));
    expect(essence(after)).toEqual(essence(before));
    const labelsAfter = after.tuples.find((t) => t.tuple_id === TUPLE)!.metrics.map((m) => m.label);
    expect(labelsAfter).toContain('Service availability (renamed)');
  });
});

describe('epsilon boundaries', () => {
  const metrics = [
    { metric_id: 'm.latency', class: 'latency', unit: 'milliseconds', aggregation: 'max', precision: 0 },
    { metric_id: 'm.weight', class: 'count', unit: 'count', aggregation: 'sum', precision: 0, epsilon: '0' },
    {
      metric_id: 'm.rate',
      class: 'rate',
      unit: 'percentage_points',
      aggregation: 'weighted_average',
      precision: 2,
      weight_metric_id: 'm.weight',
    },
    { metric_id: 'm.money', class: 'money', unit: 'money_minor_units', aggregation: 'sum', precision: 0 },
  ] as const;
  const header = 'period_start,bypass_audit_id,parent_freeze_id,m.latency,m.weight,m.rate,m.money';
  const row = (latency: string, rate: string, money: string) =>
    `2026-01-05T00:00:00Z,,,${latency},100,${rate},${money}`;
  const run = async (partner: string) => {
    const { root } = syntheticWorkspace({
      metrics: [...metrics],
      leadership: [header, row('200', '99.95', '9007199254740993')],
      partner: [header, partner],
    });
    const { report } = await reconcile(root);
    return Object.fromEntries(report.tuples[0]!.metrics.map((m) => [m.metric_id, m.status]));
  };
  it('a delta equal to epsilon passes', async () => {
    expect(await run(row('201', '100.00', '9007199254740993'))).toEqual({
      'm.latency': 'pass',
      'm.weight': 'pass',
      'm.rate': 'pass',
      'm.money': 'pass',
    });
  });
  it('one smallest unit more fails', async () => {
    expect(await run(row('202', '100.01', '9007199254740992'))).toEqual({
      'm.latency': 'fail',
      'm.weight': 'pass',
      'm.rate': 'fail',
      'm.money': 'fail',
    });
  });
});

describe('a manifest citing an unknown dictionary version', () => {
  it('is reported once, without metric parity problems for columns that cannot be judged', async () => {
    const root = copyWorkspace();
    editManifest(root, TUPLE, 'partner', (m) => ({ ...m, dictionary_version: '9.9.9' }));
    const { code, report } = await reconcile(root, '--tuple', TUPLE);
    const codes = report.tuples[0]!.problems.map((p) => p.code);
    expect(code).toBe(2);
    expect(codes).toContain('DICTIONARY_VERSION_UNKNOWN');
    expect(codes).not.toContain('MISSING_METRIC');
  });
});

describe('problems of several steps', () => {
  it('are listed in SPEC §5 step order, whichever export they come from', async () => {
    const root = copyWorkspace();
    editExport(root, TUPLE, 'leadership', (text) => editCell(text, 2, 'm.orders.shipped', () => '9x'));
    editExport(root, TUPLE, 'partner', (text) => text.replace('m.orders.shipped', 'm.orders.shipped_total'));
    const { report } = await reconcile(root, '--tuple', TUPLE);
    const codes = report.tuples[0]!.problems.map((p) => p.code);
    expect(codes).toEqual(expect.arrayContaining(['UNKNOWN_COLUMN', 'MISSING_METRIC', 'BAD_NUMBER']));
    const steps = { UNKNOWN_COLUMN: 4, MISSING_METRIC: 4, BAD_NUMBER: 5 } as Record<string, number>;
    const known = codes.filter((c) => c in steps).map((c) => steps[c]!);
    expect(known).toEqual([...known].sort((a, b) => a - b));
  });
});

describe('every problem found is reported', () => {
  it("a cell that is not a number does not hide an unexplained bypass, nor the other metrics' comparison", async () => {
    const root = copyWorkspace();
    editExport(root, TUPLE, 'leadership', (text) => editCell(text, 2, 'm.orders.shipped', () => '9x'));
    editYaml(tuplePath(root, TUPLE, 'tuple.yaml'), (text) => text.replace(/^bypasses:\n(  .*\n)+/m, 'bypasses: {}\n'));
    const { code, report } = await reconcile(root, '--tuple', TUPLE);
    const tuple = report.tuples[0]!;
    expect(code).toBe(2);
    expect(tuple.problems.map((p) => p.code)).toEqual(['BAD_NUMBER', 'BYPASS_UNEXPLAINED']);
    // the metric with the bad cell is not compared (its difference would only echo the bad cell); the others are
    expect(tuple.metrics.map((m) => m.metric_id)).not.toContain('m.orders.shipped');
    expect(tuple.metrics.length).toBeGreaterThan(0);
    expect(tuple.metrics.every((m) => m.status === 'pass')).toBe(true);
  });
});

describe('a missing dimension column', () => {
  it('does not hide a variance: every row is still aggregated', async () => {
    const root = copyWorkspace();
    // a dimension the exports have no column of
    editYaml(tuplePath(root, TUPLE, 'tuple.yaml'), (text) =>
      text.replace(/^dimensions: \[(.*)\]$/m, (_, names: string) => `dimensions: [${names ? `${names}, ` : ''}zone]`),
    );
    editExport(root, TUPLE, 'partner', (text) => {
      const rows = text.trimEnd().split('\n').length;
      for (let row = 1; row < rows; row++) text = editCell(text, row, RATE, (v) => (Number(v) * 0.99).toFixed(2));
      return text;
    });
    const { report } = await reconcile(root, '--tuple', TUPLE);
    const codes = report.tuples[0]!.problems.map((p) => p.code);
    expect(codes).toContain('MISSING_COLUMN');
    expect(codes).toContain('VARIANCE_EXCEEDED');
  });
});

describe('an unreadable dictionary', () => {
  it('is one problem of the run, not an echo in every tuple, and leaves every tuple invalid', async () => {
    const root = copyWorkspace();
    rmSync(join(root, 'dictionary', 'history'), { recursive: true });
    writeFileSync(join(root, 'dictionary', 'metrics.yaml'), 'version: [unclosed\n');
    const { code, stdout, stderr } = await runCli(['reconcile', '--root', root, '--json']);
    const report = JSON.parse(stdout);
    expect(code).toBe(2);
    expect(report.problems.map((p: { code: string }) => p.code)).toEqual(['BAD_DICTIONARY']);
    expect(report.tuples.length).toBeGreaterThan(1);
    for (const tuple of report.tuples) {
      expect(tuple.status).toBe('invalid');
      expect(tuple.problems).toEqual([]);
    }
    expect(stderr).not.toContain('DICTIONARY_VERSION_UNKNOWN');
    expect(stderr).toContain('its dictionary is unreadable');
  });
});

describe('a red problem that belongs to no metric', () => {
  const unexplained = (root: string, owner: string | null) => {
    const path = tuplePath(root, TUPLE, 'tuple.yaml');
    let text = readFileSync(path, 'utf8').replace(/^bypasses:\n(  .*\n)+/m, 'bypasses: {}\n');
    if (owner) text += `owner: "${owner}"\n`;
    writeFileSync(path, text);
  };

  it("goes to the tuple's owner from tuple.yaml in one ticket per tuple, <tuple_id>--_tuple.md, with the replay line", async () => {
    const root = copyWorkspace();
    const owner = 'team:partner-ops <ops@example.com>';
    unexplained(root, owner);
    const { code, report, stderr } = await reconcile(root);
    expect(code).toBe(1);
    const tuple = report.tuples.find((t) => t.tuple_id === TUPLE)!;
    expect(tuple.problems.map((p) => p.code)).toEqual(['BYPASS_UNEXPLAINED']);
    const file = `.readback/reconcile/tickets/${TUPLE}--_tuple.md`;
    expect(stderr).toContain(`owner ticket: ${file}`);
    const ticket = readFileSync(join(root, file), 'utf8');
    expect(ticket).toContain(`To: ${owner}`);
    expect(ticket).toContain('BYPASS_UNEXPLAINED');
    expect(ticket).toContain(tuple.tuple_revision_hash!);
    expect(ticket).toContain(`npm exec --no -- readback reconcile --root ${root} --tuple ${TUPLE}`);
  });

  it('says in the ticket and on the command line that nobody is addressed when the tuple has no owner', async () => {
    const root = copyWorkspace();
    unexplained(root, null);
    const { code, stderr } = await reconcile(root);
    expect(code).toBe(1);
    const file = `.readback/reconcile/tickets/${TUPLE}--_tuple.md`;
    expect(stderr).toContain(
      `owner ticket: ${file} (addressed to nobody: content/tuples/${TUPLE}/tuple.yaml has no owner)`,
    );
    const ticket = readFileSync(join(root, file), 'utf8');
    expect(ticket).toContain('To: nobody');
    expect(ticket).toContain(`content/tuples/${TUPLE}/tuple.yaml`);
  });
});

describe('tuple.yaml', () => {
  it('accepts partner_id and SLA targets (shown, never gating): the tuple stays green', async () => {
    const root = copyWorkspace(MINIMAL_EXAMPLE);
    const path = join(root, 'content', 'tuples', 'globex-2026-w27', 'tuple.yaml');
    writeFileSync(
      path,
      `${readFileSync(path, 'utf8')}partner_id: globex\ntargets:\n  ${firstMetric(root)}: ">= 99999999"\n`,
    );
    const { code, stdout } = await runCli(['reconcile', '--root', root, '--json']);
    expect(code, stdout).toBe(0);
    expect(JSON.parse(stdout).status).toBe('green');
  });
});

function firstMetric(root: string): string {
  return /metric_id: (\S+)/.exec(readFileSync(join(root, 'dictionary', 'metrics.yaml'), 'utf8'))![1]!;
}
