/**
 * The bad-input corpus: test/fixtures/bad/<case>/ overlays files on test/fixtures/base/ and names
 * the problem code it expects (case.json) beside its expected problems and exit code (expected.json).
 * Shared by the corpus test and the reference docs, whose examples are these cases.
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProblemCode } from '../../src/core/problems.ts';
import { rehash, REPO_ROOT, tempDir } from './workspace.ts';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
export const BAD_CASES = join(FIXTURES, 'bad');
/** the tuple every case's base workspace holds */
export const BAD_CASE_TUPLE = 'globex-2026-w27';

export interface CaseSpec {
  code: ProblemCode;
  rehash: boolean;
  delete?: string[];
  /** a large input made at run time instead of committed: the marker in `path` becomes `bytes` letters */
  inflate?: { path: string; marker: string; bytes: number };
}

/** Every case's name, sorted. */
export function badCaseNames(): string[] {
  return readdirSync(BAD_CASES).sort();
}

export function badCaseSpec(name: string): CaseSpec {
  return JSON.parse(readFileSync(join(BAD_CASES, name, 'case.json'), 'utf8')) as CaseSpec;
}

/** The case's workspace in a fresh temp folder: the base, its files laid over it, manifests rehashed where asked. */
export function materializeBadCase(name: string, spec = badCaseSpec(name)): string {
  const root = tempDir('readback-bad-');
  cpSync(join(FIXTURES, 'base'), root, { recursive: true });
  const overlay = join(BAD_CASES, name, 'files');
  if (existsSync(overlay)) cpSync(overlay, root, { recursive: true, verbatimSymlinks: true });
  for (const path of spec.delete ?? []) rmSync(join(root, path), { force: true });
  if (spec.inflate) {
    const path = join(root, spec.inflate.path);
    writeFileSync(path, readFileSync(path, 'utf8').replace(spec.inflate.marker, 'x'.repeat(spec.inflate.bytes)));
  }
  if (spec.rehash) {
    for (const audience of ['leadership', 'partner'] as const) {
      const tupleDir = `content/tuples/${BAD_CASE_TUPLE}`;
      const csvOverlaid = existsSync(join(overlay, tupleDir, `${audience}.csv`));
      const manifestOverlaid = existsSync(join(overlay, tupleDir, `${audience}.manifest.json`));
      if (csvOverlaid && !manifestOverlaid) rehash(root, BAD_CASE_TUPLE, audience);
    }
  }
  return root;
}
