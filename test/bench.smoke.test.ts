/** The benchmark must keep running (its figures are read by people, not asserted here). */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from './helpers/workspace.ts';

it('npm run bench works end to end on a tiny size and writes its table', () => {
  const out = join(tempDir(), 'PERFORMANCE.md');
  const result = spawnSync(
    process.execPath,
    [
      join(REPO_ROOT, 'scripts', 'bench.ts'),
      '--rows',
      '2000',
      '--no-site',
      '--repeat',
      '1',
      '--out',
      out,
      '--scratch',
      join(tempDir(), 'scratch'),
    ],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  expect(result.status, result.stderr).toBe(0);
  const text = readFileSync(out, 'utf8');
  expect(text).toMatch(/^\| 2,000 \| .* \| \d+ MB \| [^|]+ \|$/m);
  expect(text).toMatch(/One executive one-pager, warm: \d+ ms/);
});
