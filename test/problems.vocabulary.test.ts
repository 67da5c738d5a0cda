/**
 * One vocabulary: every code Readback reports is a row of the PROBLEMS table, and every part of
 * the engine reads its severity, step and gating from that row.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../src/core/diff.ts';
import { exitCodeOf, inStepOrder, problem, PROBLEM_CODES, PROBLEMS, statusOf } from '../src/core/problems.ts';
import { ProblemSchema } from '../src/core/schemas.ts';
import { REPO_ROOT } from './helpers/workspace.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|astro)$/.test(entry.name) ? [path] : [];
  });
}

describe('the problem table', () => {
  it('holds every code-shaped string the source uses (a misspelt code fails here)', () => {
    const known = new Set<string>([...PROBLEM_CODES, ...Object.keys(RULES), 'NO_BYPASS']);
    const unknown: string[] = [];
    for (const file of [...sourceFiles(join(REPO_ROOT, 'src')), ...sourceFiles(join(REPO_ROOT, 'scripts'))]) {
      for (const match of readFileSync(file, 'utf8').matchAll(/['"]([A-Z][A-Z0-9]*_[A-Z0-9_]+)['"]/g)) {
        const literal = match[1]!;
        // csv-parse's own error codes, which the reader translates
        if (literal.startsWith('CSV_')) continue;
        // the settings' environment names (READBACK_SITE_URL …), named in messages
        if (literal.startsWith('READBACK_')) continue;
        if (!known.has(literal)) unknown.push(`${file.slice(REPO_ROOT.length + 1)}: ${literal}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it('refuses a problem whose code is not in the table', () => {
    expect(ProblemSchema.safeParse({ code: 'VARIANCE_EXCEEDED', message: 'x' }).success).toBe(true);
    expect(ProblemSchema.safeParse({ code: 'VARIANCE_EXCEDED', message: 'x' }).success).toBe(false);
  });

  it('gives every code a step, a severity and a meaning', () => {
    for (const code of PROBLEM_CODES) {
      const rule = PROBLEMS[code];
      expect(rule.step, code).toBeGreaterThanOrEqual(0);
      expect(rule.step, code).toBeLessThanOrEqual(8);
      expect(['invalid', 'red', 'publish'], code).toContain(rule.severity);
      expect(rule.means.length, code).toBeGreaterThan(10);
    }
  });

  it('derives status and exit code from severity: invalid beats red beats publish beats nothing', () => {
    const of = (code: (typeof PROBLEM_CODES)[number]) => problem(code, 'x');
    expect(statusOf([])).toBe('green');
    expect(statusOf([of('VARIANCE_EXCEEDED')])).toBe('red');
    expect(statusOf([of('BROKEN_LINK')])).toBe('red');
    expect(statusOf([of('VARIANCE_EXCEEDED'), of('BAD_NUMBER')])).toBe('invalid');
    expect(exitCodeOf([of('SITE_URL_NOT_ORIGIN')])).toBe(2);
    expect(exitCodeOf([of('ANCHOR_REMOVED')])).toBe(1);
    expect(exitCodeOf([])).toBe(0);
  });

  it('orders problems by the step that finds them, keeping the found order within a step', () => {
    const found = [of('VARIANCE_EXCEEDED', 'a'), of('BAD_CSV', 'b'), of('BAD_MANIFEST', 'c'), of('BAD_NUMBER', 'd')];
    expect(inStepOrder(found).map((p) => p.message)).toEqual(['c', 'b', 'd', 'a']);
    function of(code: (typeof PROBLEM_CODES)[number], message: string) {
      return problem(code, message);
    }
  });
});
