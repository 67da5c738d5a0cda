/** Builds the bundled sample into a temp workspace once per test file. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { copyWorkspace, REPO_ROOT } from './workspace.ts';

export function buildSite(root = copyWorkspace(), env: Record<string, string> = {}): { root: string; dist: string; status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.ts'), '--root', root], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', READBACK_TODAY: '2026-11-26', ...env },
  });
  return { root, dist: join(root, 'dist'), status: result.status, stderr: result.stderr };
}
