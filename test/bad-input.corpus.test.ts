/**
 * The bad-input corpus: test/fixtures/bad/<case>/ overlays files on test/fixtures/base/ and
 * expects a problem code, its location and an exit code (SPEC §5–§6). Run with UPDATE=1 to
 * rewrite the expected.json files after a deliberate change, then review the diff.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROBLEMS, STATUS_EXIT_CODE } from '../src/core/problems.ts';
import { ReconcileReportSchema } from '../src/core/schemas.ts';
import { BAD_CASES, badCaseNames, badCaseSpec, materializeBadCase } from './helpers/bad-cases.ts';
import { runCli } from './helpers/cli.ts';

const update = process.env.UPDATE === '1';
const cases = badCaseNames();

describe('bad-input corpus', () => {
  it('has at least 100 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
  });

  it.each(cases)('%s', async (name) => {
    const spec = badCaseSpec(name);
    const root = materializeBadCase(name, spec);
    const { code, stdout, stderr } = await runCli(['reconcile', '--root', root, '--json']);
    // every refusal is a coded, located message: no stack frame reaches the user
    expect(stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    // every code in the report is a row of the one table (the schema's enum is read from it)
    const report = ReconcileReportSchema.parse(JSON.parse(stdout));
    const problems = [...report.problems, ...report.tuples.flatMap((t) => t.problems)].map(
      ({ code, file, line, column }) => ({ code, file, line, column }),
    );
    const actual = { exit: code, problems };
    const expectedPath = join(BAD_CASES, name, 'expected.json');
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
