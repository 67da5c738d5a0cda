/**
 * The bad-input corpus: test/fixtures/bad/<case>/ overlays files on test/fixtures/base/ and
 * expects a problem code, its location and an exit code (SPEC §5–§6). Run with UPDATE=1 to
 * rewrite the expected.json files after a deliberate change, then review the diff.
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReconcileReport } from '../src/core/schemas.ts';
import { runCli } from './helpers/cli.ts';
import { rehash, REPO_ROOT, tempDir } from './helpers/workspace.ts';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
const BAD = join(FIXTURES, 'bad');
const TUPLE = 'globex-2026-w27';
const update = process.env.UPDATE === '1';
const RED = new Set([
  'WINDOW_NOT_UTC',
  'WINDOW_MISMATCH',
  'TUPLE_MISMATCH',
  'RUN_MISMATCH',
  'DICTIONARY_VERSION_MISMATCH',
  'BYPASS_MISMATCH',
  'BYPASS_WITHOUT_FREEZE',
  'BYPASS_UNEXPLAINED',
  'VARIANCE_EXCEEDED',
]);

interface CaseSpec {
  code: string;
  rehash: boolean;
  delete?: string[];
  /** a large input made at run time instead of committed: the marker in `path` becomes `bytes` letters */
  inflate?: { path: string; marker: string; bytes: number };
}

function materialize(name: string, spec: CaseSpec): string {
  const root = tempDir('readback-bad-');
  cpSync(join(FIXTURES, 'base'), root, { recursive: true });
  const overlay = join(BAD, name, 'files');
  if (existsSync(overlay)) cpSync(overlay, root, { recursive: true, verbatimSymlinks: true });
  for (const path of spec.delete ?? []) rmSync(join(root, path), { force: true });
  if (spec.inflate) {
    const path = join(root, spec.inflate.path);
    writeFileSync(path, readFileSync(path, 'utf8').replace(spec.inflate.marker, 'x'.repeat(spec.inflate.bytes)));
  }
  if (spec.rehash) {
    for (const audience of ['leadership', 'partner'] as const) {
      const tupleDir = `content/tuples/${TUPLE}`;
      const csvOverlaid = existsSync(join(overlay, tupleDir, `${audience}.csv`));
      const manifestOverlaid = existsSync(join(overlay, tupleDir, `${audience}.manifest.json`));
      if (csvOverlaid && !manifestOverlaid) rehash(root, TUPLE, audience);
    }
  }
  return root;
}

const cases = readdirSync(BAD).sort();

describe('bad-input corpus', () => {
  it('has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)('%s', async (name) => {
    const spec = JSON.parse(readFileSync(join(BAD, name, 'case.json'), 'utf8')) as CaseSpec;
    const root = materialize(name, spec);
    const { code, stdout } = await runCli(['reconcile', '--root', root, '--json']);
    const report = JSON.parse(stdout) as ReconcileReport;
    const problems = [...report.problems, ...report.tuples.flatMap((t) => t.problems)].map(
      ({ code, file, line, column }) => ({ code, file, line, column }),
    );
    const actual = { exit: code, problems };
    const expectedPath = join(BAD, name, 'expected.json');
    if (update || !existsSync(expectedPath)) writeFileSync(expectedPath, `${JSON.stringify(actual, null, 2)}\n`);
    const expected = JSON.parse(readFileSync(expectedPath, 'utf8'));
    expect(problems.map((p) => p.code)).toContain(spec.code);
    expect(code).not.toBe(0);
    // SPEC §5: parity and variance failures are red (1); malformed input is invalid (2)
    expect(code).toBe(RED.has(spec.code) ? 1 : 2);
    expect(actual).toEqual(expected);
    // the case's own problem says where it is
    const own = problems.find((p) => p.code === spec.code)!;
    expect(own.file).toMatch(/^(content|dictionary)\//);
  });
});
