/** Regressions from a review of the engine against SPEC (each once reproduced by hand). */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyDictionaryChange } from '../src/core/diff.ts';
import { parseDictionary } from '../src/core/dictionary.ts';
import { runCli } from './helpers/cli.ts';
import { buildSite } from './helpers/site.ts';
import { copyWorkspace, editCell, editExport, MINIMAL_EXAMPLE, tempDir } from './helpers/workspace.ts';

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

  it('builds the shared example end to end', () => {
    const result = buildSite(copyWorkspace(MINIMAL_EXAMPLE));
    expect(result.status, result.stderr).toBe(0);
    expect(readdirSync(join(result.dist, 'readback'))).toContain('globex-2026-w27.pdf');
  });
});

describe('the executive one-pager', () => {
  it('is never published on two pages: a readback too long for one is refused with exit 2', () => {
    const root = copyWorkspace(MINIMAL_EXAMPLE);
    const path = join(root, 'content', 'tuples', 'globex-2026-w27', 'readback.md');
    const text = readFileSync(path, 'utf8');
    const paragraph =
      'This paragraph explains at some length what the partnership saw during this window and why the reconciled figures matter for the decisions ahead.';
    writeFileSync(path, `${text.slice(0, text.lastIndexOf('---\n') + 4)}${Array(30).fill(paragraph).join('\n\n')}\n`);
    const result = buildSite(root);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/one-pager of globex-2026-w27 runs to \d+ pages/);
    expect(result.stderr).toContain('nothing was published');
  });
});

describe('the site URL', () => {
  it('must be an origin: a URL with a path is refused before anything is built', () => {
    const result = buildSite(copyWorkspace(MINIMAL_EXAMPLE), { READBACK_SITE_URL: 'https://kpi.example.org/sub' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('READBACK_SITE_URL must be an http(s) origin');
  });
});

describe('bypass parity', () => {
  it('compares period_start as an instant, not as text', async () => {
    const root = copyWorkspace(MINIMAL_EXAMPLE);
    editExport(root, 'globex-2026-w27', 'partner', (text) =>
      editCell(text, 3, 'period_start', () => '2026-07-01T00:00:00.000Z'),
    );
    const { code, stdout } = await runCli(['reconcile', '--root', root, '--json']);
    expect(JSON.parse(stdout).tuples[0].problems).toEqual([]);
    expect(code).toBe(0);
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

describe('readback verify', () => {
  it('notices a key added to a published report entry', async () => {
    const site = buildSite(copyWorkspace(MINIMAL_EXAMPLE));
    const tampered = tempDir();
    cpSync(site.dist, tampered, { recursive: true });
    const path = join(tampered, 'tuples', 'globex-2026-w27', 'report.json');
    writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), approved_by: 'nobody' }, null, 2));
    const result = await runCli(['verify', tampered]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('artifact_id');
  });
});

describe('a period_start not in the Z form', () => {
  it('is refused with the reason that applies', async () => {
    const { rfc3339Variant } = await import('../src/core/timestamps.ts');
    expect(rfc3339Variant('2026-06-29T00:00:00+00:00')).toMatch(/carries an offset/);
    expect(rfc3339Variant('2026-06-29t00:00:00Z')).toMatch(/uppercase T/);
    expect(rfc3339Variant('2026-06-29 00:00:00z')).toMatch(/uppercase T/);
    expect(rfc3339Variant('2026-06-29T00:00:00Z')).toBeNull();
    expect(rfc3339Variant('29/06/2026')).toBeNull();
  });
});
