/** `npm run build`: reconcile first; nothing is published unless every tuple is green. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyWorkspace, editCell, editExport, MINIMAL_EXAMPLE, REPO_ROOT } from './helpers/workspace.ts';

function build(root: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.ts'), '--root', root], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...env },
  });
}

describe('npm run build', () => {
  it('refuses a red reconcile, points at the failure artifact and leaves dist/ untouched', () => {
    const root = copyWorkspace();
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist', 'index.html'), 'previous build');
    editExport(root, 'acme-2026-q2', 'partner', (text) =>
      editCell(text, 2, 'm.revenue.billed_minor', (v) => (BigInt(v) + 1n).toString()),
    );
    const result = build(root);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `failure artifact: ${join(root, '.readback/reconcile/failures/acme-2026-q2.json')}`,
    );
    expect(result.stderr).toContain('m.revenue.billed_minor');
    expect(readFileSync(join(root, 'dist', 'index.html'), 'utf8')).toBe('previous build');
  });

  it('refuses a dictionary that fails check before reconciling', () => {
    const root = copyWorkspace();
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist', 'index.html'), 'previous build');
    const path = join(root, 'dictionary', 'metrics.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace('aggregation: sum', 'aggregation: max'));
    const result = build(root);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('SEMANTICS_CHANGED');
    expect(result.stderr).not.toContain('tuples:');
    expect(readFileSync(join(root, 'dist', 'index.html'), 'utf8')).toBe('previous build');
  });

  it('publishes the site when every tuple is green', () => {
    const root = copyWorkspace();
    const result = build(root);
    expect(result.status, result.stderr).toBe(0);
    const index = readFileSync(join(root, 'dist', 'index.html'), 'utf8');
    const report = JSON.parse(readFileSync(join(root, '.readback/reconcile/report.json'), 'utf8'));
    for (const tuple of report.tuples) {
      expect(index).toContain(tuple.tuple_id);
      expect(index).toContain(tuple.tuple_revision_hash.slice('sha256:'.length, 'sha256:'.length + 12));
    }
    expect(existsSync(join(root, '.readback', 'staging', 'dist'))).toBe(false);
  });

  it('builds the shared example end to end', () => {
    const root = copyWorkspace(MINIMAL_EXAMPLE);
    const result = build(root);
    expect(result.status, result.stderr).toBe(0);
    expect(readdirSync(join(root, 'dist', 'readback'))).toContain('globex-2026-w27.pdf');
  });
});

describe('the site URL', () => {
  it('must be an origin: a URL with a path is refused before anything is built', () => {
    const result = build(copyWorkspace(MINIMAL_EXAMPLE), { READBACK_SITE_URL: 'https://kpi.example.org/sub' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('READBACK_SITE_URL must be an http(s) origin');
  });
});
