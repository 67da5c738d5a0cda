/** `npx readback` after a package install runs the built lib/ (Node refuses to strip types under node_modules). */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { copyWorkspace, REPO_ROOT, syntheticWorkspace, tempDir } from './helpers/workspace.ts';

it('runs from an installed package', async () => {
  const outDir = tempDir('readback-lib-');
  // lib/ as `npm pack` builds it (prepack)
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build-lib.ts'), join(outDir, 'lib')]);
  const consumer = tempDir('readback-consumer-');
  const installed = join(consumer, 'node_modules', 'readback');
  mkdirSync(installed, { recursive: true });
  cpSync(join(REPO_ROOT, 'bin'), join(installed, 'bin'), { recursive: true });
  cpSync(join(outDir, 'lib'), join(installed, 'lib'), { recursive: true });
  cpSync(join(REPO_ROOT, 'package.json'), join(installed, 'package.json'));
  // no dependency is installed beside it: reconcile runs on what lib/ bundles (zod, yaml, csv-parse, canonicalize)
  const root = copyWorkspace();
  // a large export makes the installed reader start its worker thread (compiled .js, not .ts)
  const { WORKER_THRESHOLD_BYTES } = await import('../src/io/export-reader-pool.ts');
  const big = Array.from({ length: Math.ceil(WORKER_THRESHOLD_BYTES / 20) }, (_, i) => `2026-01-01T00:00:00Z,,,${i}`);
  const bigRoot = syntheticWorkspace({
    metrics: [{ metric_id: 'm.count', class: 'count', unit: 'count', aggregation: 'sum', precision: 0 }],
    leadership: ['period_start,bypass_audit_id,parent_freeze_id,m.count', ...big],
    partner: ['period_start,bypass_audit_id,parent_freeze_id,m.count', ...big],
  }).root;
  const large = spawnSync(
    process.execPath,
    [join(installed, 'bin', 'readback.mjs'), 'reconcile', '--root', bigRoot, '--json'],
    { cwd: consumer, encoding: 'utf8' },
  );
  expect(large.stderr).not.toContain('ERR_');
  expect(JSON.parse(large.stdout).status).toBe('green');
  const result = spawnSync(
    process.execPath,
    [join(installed, 'bin', 'readback.mjs'), 'reconcile', '--root', root, '--json'],
    { cwd: consumer, encoding: 'utf8' },
  );
  expect(result.stderr).not.toContain('ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING');
  expect(result.status).toBe(0);
  expect(JSON.parse(result.stdout).status).toBe('green');
});
