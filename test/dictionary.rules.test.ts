/** SPEC §7: one fixture pair per rule under test/fixtures/dictionary/<case>/ (history → metrics.yaml). */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyDictionaryChange } from '../src/core/diff.ts';
import { parseDictionary } from '../src/core/dictionary.ts';
import { runCli } from './helpers/cli.ts';
import { copyWorkspace, MINIMAL_EXAMPLE, REPO_ROOT, tempDir } from './helpers/workspace.ts';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'dictionary');
const cases = readdirSync(FIXTURES).sort();
const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', 'dictionary-diff-1.json'), 'utf8'));
const validate = new Ajv2020({ strict: false }).compile(schema);

/** SPEC §7's table, written out independently of the code. */
const TABLE: Record<string, { class: string; bump: string }> = {
  LABEL_CHANGED: { class: 'cosmetic', bump: 'patch' },
  OWNER_CHANGED: { class: 'cosmetic', bump: 'patch' },
  DEFINITION_REWORDED: { class: 'clarifying', bump: 'minor' },
  METRIC_ADDED: { class: 'additive', bump: 'minor' },
  METRIC_DEPRECATED: { class: 'additive', bump: 'minor' },
  SUNSET_MOVED_EARLIER: { class: 'breaking', bump: 'major' },
  EPSILON_TIGHTENED: { class: 'policy', bump: 'minor' },
  EPSILON_WIDENED: { class: 'breaking', bump: 'major' },
  PRECISION_CHANGED: { class: 'policy', bump: 'minor' },
  SEMANTICS_CHANGED: { class: 'forbidden', bump: 'none' },
  METRIC_REMOVED_BEFORE_SUNSET: { class: 'forbidden', bump: 'none' },
  METRIC_REMOVED_AFTER_SUNSET: { class: 'breaking', bump: 'major' },
  ID_REUSED: { class: 'forbidden', bump: 'none' },
  ROUNDING_CHANGED: { class: 'breaking', bump: 'major' },
  SENTINEL_CHANGED: { class: 'breaking', bump: 'major' },
  VERSION_BUMP_INSUFFICIENT: { class: 'error', bump: 'none' },
  HISTORY_EDITED: { class: 'error', bump: 'none' },
  // the project's own rule (docs/DECISIONS.md): a currency given where there was none names what the minor units were
  CURRENCY_ADDED: { class: 'clarifying', bump: 'minor' },
};

const previousToday = process.env.READBACK_TODAY;
beforeAll(() => {
  process.env.READBACK_TODAY = '2026-11-26';
});
afterAll(() => {
  if (previousToday === undefined) delete process.env.READBACK_TODAY;
  else process.env.READBACK_TODAY = previousToday;
});

describe('every SPEC §7 rule has a fixture', () => {
  it('covers the table', () => {
    const rules = new Set(
      cases.map((name) => JSON.parse(readFileSync(join(FIXTURES, name, 'expected.json'), 'utf8')).rule),
    );
    for (const rule of Object.keys(TABLE)) expect(rules, rule).toContain(rule);
  });
});

describe.each(cases)('%s', (name) => {
  const expected = JSON.parse(readFileSync(join(FIXTURES, name, 'expected.json'), 'utf8')) as {
    rule: string;
    exit: number;
  };
  it(`classifies ${expected.rule} with its class and bump, and check exits ${expected.exit}`, async () => {
    const { code, stdout } = await runCli(['dictionary', 'check', '--root', join(FIXTURES, name), '--format', 'json']);
    expect(code).toBe(expected.exit);
    const report = JSON.parse(stdout);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    const finding = report.findings.find((f: { rule: string }) => f.rule === expected.rule);
    expect(finding).toBeDefined();
    expect({ class: finding.class, bump: finding.bump }).toEqual(TABLE[expected.rule]);
    expect(finding.fingerprint).toMatch(/^[0-9a-f]{12}$/);
    expect(report.ok).toBe(expected.exit === 0);
  });
  it('prints the same findings in every format', async () => {
    const json = JSON.parse(
      (await runCli(['dictionary', 'diff', '--root', join(FIXTURES, name), '--format', 'json'])).stdout,
    );
    for (const format of ['text', 'markdown', 'junit', 'github']) {
      const { code, stdout } = await runCli(['dictionary', 'diff', '--root', join(FIXTURES, name), '--format', format]);
      expect(code).toBe(0);
      for (const finding of json.findings) {
        expect(stdout, format).toContain(finding.rule);
        expect(stdout, format).toContain(finding.fingerprint);
      }
    }
  });
});

describe('dictionary diff outputs', () => {
  const sampleDiff = (format: string) =>
    runCli(['dictionary', 'diff', '1.0.0', '1.1.0', '--root', REPO_ROOT, '--format', format]);

  it('markdown for the sample 1.0.0 → 1.1.0 reads as an auditor expects', async () => {
    const { stdout } = await sampleDiff('markdown');
    await expect(stdout).toMatchFileSnapshot('__snapshots__/sample-1.0.0-1.1.0.md');
    expect(stdout).toContain('### Cosmetic (1)');
    expect(stdout).toContain('### Additive (1)');
  });

  it('github annotations point at the metric line in the dictionary', async () => {
    const { stdout } = await sampleDiff('github');
    const lines = readFileSync(join(REPO_ROOT, 'dictionary', 'history', '1.1.0.yaml'), 'utf8').split('\n');
    const annotation = stdout.split('\n').find((l) => l.includes('LABEL_CHANGED'))!;
    const line = Number(/line=(\d+)/.exec(annotation)![1]);
    expect(lines[line - 1]).toContain('metric_id: m.backlog.tickets');
    expect(annotation).toMatch(
      /^::notice file=dictionary\/history\/1\.1\.0\.yaml,line=\d+,title=LABEL_CHANGED \[[0-9a-f]{12}\]::/,
    );
  });

  it('unknown versions and formats are usage errors', async () => {
    expect((await runCli(['dictionary', 'diff', '7.7.7', '--root', REPO_ROOT])).code).toBe(64);
    expect((await runCli(['dictionary', 'check', '--root', REPO_ROOT, '--format', 'yaml'])).code).toBe(64);
    expect((await runCli(['dictionary', 'frobnicate', '--root', REPO_ROOT])).code).toBe(64);
  });

  it('an unreadable dictionary exits 2 naming file, line and column', async () => {
    const root = copyWorkspace();
    writeFileSync(
      join(root, 'dictionary', 'metrics.yaml'),
      readFileSync(join(root, 'dictionary', 'metrics.yaml'), 'utf8').replace('precision: 2', 'precision: two'),
    );
    const { code, stderr } = await runCli(['dictionary', 'check', '--root', root]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/dictionary\/metrics\.yaml:\d+:\d+: BAD_DICTIONARY metrics\.\d+\.precision/);
  });
});

describe('dictionary diff', () => {
  it('reports a superseded_by change made together with a sunset change', () => {
    const base = readFileSync(join(MINIMAL_EXAMPLE, 'dictionary', 'metrics.yaml'), 'utf8');
    const from = base.replace(
      /(metric_id: kpi.api.p95_ms[\s\S]*?)deprecated_after: null/,
      '$1deprecated_after: 2027-01-31\n  superseded_by: kpi.queue.depth',
    );
    const to = from
      .replace('version: 1.0.0', 'version: 1.1.0')
      .replace(
        'deprecated_after: 2027-01-31\n  superseded_by: kpi.queue.depth',
        'deprecated_after: 2027-06-30\n  superseded_by: kpi.orders.total',
      );
    const diff = classifyDictionaryChange(parseDictionary(from, 'a').loaded!, parseDictionary(to, 'b').loaded!, {
      today: '2026-11-26',
    });
    expect(diff.findings.map((f) => [f.rule, f.field])).toEqual(
      expect.arrayContaining([
        ['DEPRECATION_CHANGED', 'deprecated_after'],
        ['DEPRECATION_CHANGED', 'superseded_by'],
      ]),
    );
  });
});

describe('optional dictionary keys written as null', () => {
  it('read as absent', () => {
    const text = readFileSync(join(MINIMAL_EXAMPLE, 'dictionary', 'metrics.yaml'), 'utf8').replace(
      '  aggregation: sum\n  precision: 0\n  definition: Orders accepted',
      '  aggregation: sum\n  weight_metric_id: null\n  epsilon: null\n  epsilon_bp: null\n  precision: 0\n  definition: Orders accepted',
    );
    const result = parseDictionary(text.replace('changes: []', 'changes:'), 'metrics.yaml');
    expect(result.problems).toEqual([]);
    expect(result.loaded!.metricsById.get('kpi.orders.total')!.weight_metric_id).toBeUndefined();
  });
});

describe('the bundled sample', () => {
  it('passes check, and its history shows a rename, an addition, a deprecation with its replacement, a reworded definition and a tightened epsilon', async () => {
    expect((await runCli(['dictionary', 'check', '--root', REPO_ROOT])).code).toBe(0);
    const versions = readdirSync(join(REPO_ROOT, 'dictionary', 'history'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.slice(0, -5));
    expect(versions.length).toBeGreaterThanOrEqual(3);
    const rules = new Map<string, string | null>();
    for (const [from, to] of [
      ['1.0.0', '1.1.0'],
      ['1.1.0', '1.2.0'],
      ['1.2.0', '1.3.0'],
    ]) {
      const report = JSON.parse(
        (await runCli(['dictionary', 'diff', from!, to!, '--root', REPO_ROOT, '--format', 'json'])).stdout,
      );
      expect(report.ok).toBe(true);
      for (const f of report.findings) rules.set(f.rule, f.note);
    }
    for (const rule of [
      'LABEL_CHANGED',
      'METRIC_ADDED',
      'METRIC_DEPRECATED',
      'DEFINITION_REWORDED',
      'EPSILON_TIGHTENED',
      'CURRENCY_ADDED',
    ])
      expect([...rules.keys()]).toContain(rule);
    expect(rules.get('DEFINITION_REWORDED')).toBeTruthy();
  });
});

describe('dictionary release', () => {
  it('refuses while check fails, then freezes the version and records its sum', async () => {
    const root = tempDir();
    cpSync(join(FIXTURES, 'definition-reworded-without-note', 'dictionary'), join(root, 'dictionary'), {
      recursive: true,
    });
    expect((await runCli(['dictionary', 'release', '--root', root])).code).toBe(1);
    expect(existsSync(join(root, 'dictionary', 'history', '1.1.0.yaml'))).toBe(false);

    const path = join(root, 'dictionary', 'metrics.yaml');
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replace(
        'changes: []',
        'changes:\n  - { metric_id: m.orders, note: "Says which orders count." }',
      ),
    );
    const released = await runCli(['dictionary', 'release', '--root', root]);
    expect(released.code).toBe(0);
    expect(readFileSync(join(root, 'dictionary', 'history', '1.1.0.yaml'), 'utf8')).toBe(readFileSync(path, 'utf8'));
    expect(readFileSync(join(root, 'dictionary', 'history', 'SHA256SUMS'), 'utf8')).toMatch(
      /^[0-9a-f]{64} {2}1\.1\.0\.yaml$/m,
    );
    expect((await runCli(['dictionary', 'check', '--root', root])).code).toBe(0);
    // a second release of the same version is refused
    expect((await runCli(['dictionary', 'release', '--root', root])).code).toBe(1);
    // editing the frozen file is detected
    writeFileSync(join(root, 'dictionary', 'history', '1.1.0.yaml'), `${readFileSync(path, 'utf8')}# tweak\n`);
    const check = await runCli(['dictionary', 'check', '--root', root]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('HISTORY_EDITED');
  });
});

describe('the first release of a new program', () => {
  it('creates dictionary/history/ when the workspace has none yet, then releases into it', async () => {
    const root = tempDir();
    cpSync(join(MINIMAL_EXAMPLE, 'dictionary', 'metrics.yaml'), join(root, 'dictionary', 'metrics.yaml'));
    expect(existsSync(join(root, 'dictionary', 'history'))).toBe(false);
    const version = /^version: (\S+)$/m.exec(readFileSync(join(root, 'dictionary', 'metrics.yaml'), 'utf8'))![1]!;
    const released = await runCli(['dictionary', 'release', '--root', root]);
    expect(released.stderr).not.toMatch(/ENOENT|\n\s+at /);
    expect(released.code, released.stderr).toBe(0);
    expect(readFileSync(join(root, 'dictionary', 'history', `${version}.yaml`), 'utf8')).toBe(
      readFileSync(join(root, 'dictionary', 'metrics.yaml'), 'utf8'),
    );
    expect(readFileSync(join(root, 'dictionary', 'history', 'SHA256SUMS'), 'utf8')).toContain(`  ${version}.yaml`);
    expect((await runCli(['dictionary', 'check', '--root', root])).code).toBe(0);
  });
});

describe('a workspace that readback did not release', () => {
  it('passes dictionary check without a SHA256SUMS (the shared example)', async () => {
    const { code, stdout } = await runCli(['dictionary', 'check', '--root', MINIMAL_EXAMPLE]);
    expect(stdout).not.toContain('HISTORY_EDITED');
    expect(code).toBe(0);
  });

  it('releases a new version, and the next check still passes (the first release records the history it found)', async () => {
    const root = copyWorkspace(MINIMAL_EXAMPLE);
    const path = join(root, 'dictionary', 'metrics.yaml');
    const text = readFileSync(path, 'utf8');
    const version = /^version: (\S+)$/m.exec(text)![1]!;
    const next = version.replace(/\.(\d+)\.\d+$/, (_, minor: string) => `.${Number(minor) + 1}.0`);
    writeFileSync(
      path,
      text.replace(`version: ${version}`, `version: ${next}`).replace('label: Orders', 'label: Orders placed'),
    );
    const released = await runCli(['dictionary', 'release', '--root', root]);
    expect(released.code, released.stderr).toBe(0);
    const sums = readFileSync(join(root, 'dictionary', 'history', 'SHA256SUMS'), 'utf8');
    expect(sums).toContain(`  ${version}.yaml`);
    expect(sums).toContain(`  ${next}.yaml`);
    const check = await runCli(['dictionary', 'check', '--root', root]);
    expect(check.stdout).not.toContain('HISTORY_EDITED');
    expect(check.code, check.stdout).toBe(0);
  });
});
