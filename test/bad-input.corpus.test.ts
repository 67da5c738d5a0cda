/**
 * The bad-input corpus: test/fixtures/bad/<case>/ overlays files on test/fixtures/base/ and
 * expects a problem code, its location and an exit code (SPEC §5–§6). Run with UPDATE=1 to
 * rewrite the expected.json files after a deliberate change, then review the diff.
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROBLEMS, type ProblemCode, STATUS_EXIT_CODE } from '../src/core/problems.ts';
import { ReconcileReportSchema } from '../src/core/schemas.ts';
import { runCli } from './helpers/cli.ts';
import { rehash, REPO_ROOT, tempDir } from './helpers/workspace.ts';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
const BAD = join(FIXTURES, 'bad');
const TUPLE = 'globex-2026-w27';
const update = process.env.UPDATE === '1';

interface CaseSpec {
  code: ProblemCode;
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
  it('has at least 100 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
  });

  it.each(cases)('%s', async (name) => {
    const spec = JSON.parse(readFileSync(join(BAD, name, 'case.json'), 'utf8')) as CaseSpec;
    const root = materialize(name, spec);
    const { code, stdout, stderr } = await runCli(['reconcile', '--root', root, '--json']);
    // every refusal is a coded, located message: no stack frame reaches the user
    expect(stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    // every code in the report is a row of the one table (the schema's enum is read from it)
    const report = ReconcileReportSchema.parse(JSON.parse(stdout));
    const problems = [...report.problems, ...report.tuples.flatMap((t) => t.problems)].map(
      ({ code, file, line, column }) => ({ code, file, line, column }),
    );
    const actual = { exit: code, problems };
    const expectedPath = join(BAD, name, 'expected.json');
    if (update) writeFileSync(expectedPath, `${JSON.stringify(actual, null, 2)}\n`);
    // a case without its expectation is an error, not a free pass: UPDATE=1 writes it for review
    if (!existsSync(expectedPath)) throw new Error(`${name} has no expected.json; run with UPDATE=1 and review it`);
    const expected = JSON.parse(readFileSync(expectedPath, 'utf8'));
    expect(problems.map((p) => p.code)).toContain(spec.code);
    expect(code).not.toBe(0);
    // SPEC §5: parity and variance failures are red (1); malformed input is invalid (2)
    expect(code).toBe(STATUS_EXIT_CODE[PROBLEMS[spec.code].severity === 'invalid' ? 'invalid' : 'red']);
    expect(actual).toEqual(expected);
    // the case's own problem says where it is
    const own = problems.find((p) => p.code === spec.code)!;
    expect(own.file).toMatch(/^(content|dictionary)\//);
  });
});
