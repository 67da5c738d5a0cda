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
      '--startup-runs',
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
  expect(text).toMatch(/^\| 2,000 \| .* \| \d+ MB \| [^|]+ \| [^|]+ \|$/m); // then DuckDB on 1 and on 2 threads
  expect(text).toMatch(/One executive one-pager, warm: \d+ ms/);
  // the start-up of the compiled package: both commands, with the compile cache warm and cold
  expect(text).toMatch(/^\| `readback --help`, compile cache warm \| \d+ ms \| \d+ ms \|$/m);
  expect(text).toMatch(
    /^\| `readback reconcile` of the bundled sample, compile cache cold \(first run\) \| \d+ ms \| \d+ ms \|$/m,
  );
});
