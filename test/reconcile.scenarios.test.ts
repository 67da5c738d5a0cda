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
    expect(tuple.problems.map((p) => p.code)).toEqual(['VARIANCE_EXCEEDED']);
    expect(stderr).toContain(`${RATE}: leadership ${failing[0]!.leadership}, partner ${failing[0]!.partner}`);

    const failure = JSON.parse(readFileSync(join(root, `.readback/reconcile/failures/${TUPLE}.json`), 'utf8'));
    expect(failure.tuple_revision_hash).toBe(tuple.tuple_revision_hash);
    expect(failure.dictionary_version).toBe('1.0.0');
    expect(failure.failing_metrics.map((m: { metric_id: string }) => m.metric_id)).toEqual([RATE]);
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
    editExport(root, TUPLE, 'partner', (text) => editCell(text, 1, RATE, () => '90.00'));
    expect((await reconcile(root)).code).toBe(1);
    expect(existsSync(join(root, `.readback/reconcile/failures/${TUPLE}.json`))).toBe(true);
    editExport(root, TUPLE, 'partner', (text) => editCell(text, 1, RATE, () => '99.41'));
    expect((await reconcile(root)).code).toBe(0);
    expect(existsSync(join(root, `.readback/reconcile/failures/${TUPLE}.json`))).toBe(false);
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
    for (const file of ['dictionary/metrics.yaml', 'dictionary/history/1.0.0.yaml']) {
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
    const labelsAfter = after.tuples[0]!.metrics.map((m) => m.label);
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
    editYaml(tuplePath(root, TUPLE, 'tuple.yaml'), (text) => text.replace('dimensions: []', 'dimensions: [region]'));
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
