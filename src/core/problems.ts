/**
 * The one vocabulary of findings, from a manifest to the published site (docs/reference/checks.md, §6). A problem
 * is data, never an exception: every check returns the problems it found and the run goes on to
 * report all of them. Every code any part of Readback reports is a row of `PROBLEMS`; the zod
 * enum, a tuple's status, the step order, the exit code and what reconcile may still compare are
 * all read from that table.
 */
// the schema of a problem is with the other schemas (schemas.ts); this module loads no schema
// library, so the export reader's worker thread starts without one
import type { Problem } from './schemas.ts';

export type { Problem };

/**
 * - `invalid`: the inputs (or the build's settings) are malformed; exit 2
 * - `red`: well-formed inputs disagree; exit 1
 * - `publish`: the site a build made would be wrong (a broken link, a lost anchor, a hash that does
 *   not replay); exit 1
 */
export type Severity = 'invalid' | 'red' | 'publish';

/**
 * What reconcile no longer compares once a problem is found (docs/reference/checks.md: every problem is reported,
 * but none is the echo of another):
 * - `rows`: rows were left out of both the aggregates and the bypass pairs
 * - `metric`: that metric's aggregate is meaningless (its `metric_id` says which)
 * - `bypass-pairs`: the (bypass, freeze) pairs cannot be judged
 */
export type LeavesOut = 'rows' | 'metric' | 'bypass-pairs';

export interface ProblemRule {
  /** 0 the workspace's own files; 1–7 the docs/reference/checks.md steps; 8 building and publishing the site */
  step: number;
  severity: Severity;
  leavesOut?: LeavesOut;
  /** one line for people: what the code means */
  means: string;
}

/** Every problem code, in the order the checks run. */
export const PROBLEMS = {
  // the workspace's own files
  NOT_A_WORKSPACE: {
    step: 0,
    severity: 'invalid',
    means: 'the folder has neither dictionary/metrics.yaml nor content/tuples/, so it is no Readback workspace',
  },
  NO_TUPLES: {
    step: 0,
    severity: 'invalid',
    means: 'content/tuples/ holds no tuple folder: there is nothing to reconcile or publish',
  },
  BAD_DICTIONARY: {
    step: 0,
    severity: 'invalid',
    means: 'a dictionary file is not valid YAML of the dictionary schema',
  },
  BAD_TUPLE: { step: 0, severity: 'invalid', means: 'tuple.yaml is missing or not valid YAML of the tuple schema' },
  BAD_READBACK: {
    step: 0,
    severity: 'invalid',
    means:
      'readback.md (or content/faq.md) is unusable: bad front matter, an unknown metric, a number typed into a headline',
  },
  DICTIONARY_CHECK_FAILED: {
    step: 0,
    severity: 'red',
    means: 'the current dictionary changes a released one in a way the governance rules refuse',
  },
  // step 1: manifests and files
  BAD_MANIFEST: {
    step: 1,
    severity: 'invalid',
    means: 'a manifest is missing, not JSON of the manifest schema, or names a file outside its tuple folder',
  },
  CHECKSUM_MISMATCH: { step: 1, severity: 'invalid', means: "an export's bytes do not hash to its manifest's sha256" },
  // step 2: window parity, before any row is compared
  WINDOW_NOT_UTC: {
    step: 2,
    severity: 'red',
    means: 'a window is not UTC with a Z suffix, or is empty (start not before end)',
  },
  WINDOW_MISMATCH: { step: 2, severity: 'red', means: 'the two manifests give different windows' },
  TUPLE_MISMATCH: { step: 2, severity: 'red', means: 'a manifest names another tuple' },
  RUN_MISMATCH: { step: 2, severity: 'red', means: 'the two exports come from different runs' },
  DICTIONARY_VERSION_MISMATCH: {
    step: 2,
    severity: 'red',
    means: 'the two manifests cite different dictionary versions',
  },
  // step 3
  DICTIONARY_VERSION_UNKNOWN: {
    step: 3,
    severity: 'invalid',
    means: 'the cited dictionary version is neither the current dictionary nor in its history',
  },
  // step 4: headers
  UNKNOWN_COLUMN: { step: 4, severity: 'invalid', means: 'a column is no known metric_id, dimension or id column' },
  DEPRECATED_METRIC: { step: 4, severity: 'invalid', means: 'a metric deprecated before the window starts' },
  MISSING_METRIC: {
    step: 4,
    severity: 'invalid',
    leavesOut: 'metric',
    means: 'a metric in one export only (and not leadership_only), or a weighted average without its weight column',
  },
  DUPLICATE_COLUMN: { step: 4, severity: 'invalid', means: 'a column appears twice in a header' },
  MISSING_COLUMN: {
    step: 4,
    severity: 'invalid',
    means: 'a required column (period_start, the id columns, a declared dimension) is missing',
  },
  // step 5: rows
  BAD_CSV: {
    step: 5,
    severity: 'invalid',
    leavesOut: 'rows',
    means: 'not strict RFC 4180 UTF-8 CSV (ragged rows, stray quotes, invalid UTF-8, mixed line endings…)',
  },
  CONTROL_CHARACTER: {
    step: 5,
    severity: 'invalid',
    leavesOut: 'rows',
    means: 'a control or bidirectional-override character in a cell',
  },
  BAD_NUMBER: {
    step: 5,
    severity: 'invalid',
    leavesOut: 'metric',
    means: 'a metric cell that is not a plain decimal (or a decimal in a count or money)',
  },
  BAD_TIMESTAMP: {
    step: 5,
    severity: 'invalid',
    leavesOut: 'rows',
    means: 'a period_start that is not an RFC 3339 UTC instant with a Z suffix',
  },
  ROW_OUTSIDE_WINDOW: {
    step: 5,
    severity: 'invalid',
    leavesOut: 'rows',
    means: 'a period_start outside the manifest window',
  },
  FORMULA_CELL: {
    step: 5,
    severity: 'invalid',
    means: 'a free-text cell starting with =, +, -, @, tab or CR, which a spreadsheet would run',
  },
  BAD_BYPASS_ID: {
    step: 5,
    severity: 'invalid',
    leavesOut: 'bypass-pairs',
    means: 'a bypass or freeze id that is not of the id form',
  },
  // step 6: bypass parity by row key
  BYPASS_MISMATCH: {
    step: 6,
    severity: 'red',
    means: 'a row key carries a bypass/freeze pair in one export that the other does not',
  },
  BYPASS_WITHOUT_FREEZE: { step: 6, severity: 'red', means: 'a bypass id without its parent_freeze_id' },
  BYPASS_UNEXPLAINED: { step: 6, severity: 'red', means: 'a bypass id without a blast-radius line in tuple.yaml' },
  // step 7: aggregates
  VARIANCE_EXCEEDED: {
    step: 7,
    severity: 'red',
    means: "a metric's rounded aggregates differ by more than its epsilon",
  },
  PERIOD_VARIANCE_EXCEEDED: {
    step: 7,
    severity: 'red',
    means:
      "a period's rounded values of a metric differ by more than its epsilon, or only one export has a value in it",
  },
  NO_OBSERVATIONS: { step: 7, severity: 'invalid', means: 'a metric has no non-null value on a side' },
  AMBIGUOUS_LAST_OBSERVED: {
    step: 7,
    severity: 'invalid',
    means: 'two different last-observed values at the latest period',
  },
  ZERO_WEIGHT: { step: 7, severity: 'invalid', means: 'the weights of a weighted average sum to zero' },
  // step 8: building and publishing the site
  BUILD_IN_PROGRESS: {
    step: 8,
    severity: 'publish',
    means: 'another build is publishing to the same output folder; this one was refused and changed nothing',
  },
  SITE_URL_NOT_ORIGIN: {
    step: 8,
    severity: 'invalid',
    means: 'the site URL is not an http(s) origin (no path, query or fragment)',
  },
  BAD_SETTING: {
    step: 8,
    severity: 'invalid',
    means: 'a build setting (READBACK_PDF_SIZE, READBACK_TODAY, …) has a value that cannot work',
  },
  OUTPUT_FOLDER_REFUSED: {
    step: 8,
    severity: 'invalid',
    means:
      'the output folder is the workspace, holds it, lies inside its inputs, is a file, or holds files that are not a site Readback published',
  },
  READBACK_OVERFLOW: {
    step: 8,
    severity: 'invalid',
    means: 'a one-pager does not fit one page, even in the compact layout',
  },
  BROKEN_LINK: {
    step: 8,
    severity: 'publish',
    means: 'a link in a page or PDF leaves the site or reaches no page or anchor',
  },
  ANCHOR_REMOVED: { step: 8, severity: 'publish', means: 'an anchor the previous build published would disappear' },
  NOT_A_SITE: { step: 8, severity: 'publish', means: 'the folder is not a site Readback built' },
  VERIFY_MISMATCH: {
    step: 8,
    severity: 'publish',
    means: 'a published hash, file or page does not replay from the published files',
  },
} as const satisfies Record<string, ProblemRule>;

export type ProblemCode = keyof typeof PROBLEMS;
export const PROBLEM_CODES = Object.keys(PROBLEMS) as [ProblemCode, ...ProblemCode[]];

export function ruleOf(code: ProblemCode): ProblemRule {
  return PROBLEMS[code];
}

/** The codes a rule column selects, e.g. `codesWhere((r) => r.leavesOut === 'rows')`. */
export function codesWhere(test: (rule: ProblemRule) => boolean): ReadonlySet<ProblemCode> {
  return new Set(PROBLEM_CODES.filter((code) => test(PROBLEMS[code])));
}

/** Problems in step order (a stable sort: within a step, the order they were found in). */
export function inStepOrder<T extends { code: ProblemCode }>(problems: readonly T[]): T[] {
  return [...problems].sort((a, b) => PROBLEMS[a.code].step - PROBLEMS[b.code].step);
}

export interface SourceLocation {
  file?: string;
  line?: number;
  column?: number;
}

export interface ProblemFacts {
  actual?: string;
  expected?: string;
}

export function problem(
  code: ProblemCode,
  message: string,
  location: SourceLocation = {},
  metricId?: string,
  facts: ProblemFacts = {},
): Problem {
  const found: Problem = { code, message: showInvisible(message) };
  if (location.file !== undefined) found.file = location.file;
  if (location.line !== undefined) found.line = location.line;
  if (location.column !== undefined) found.column = location.column;
  if (metricId !== undefined) found.metric_id = metricId;
  if (facts.actual !== undefined) found.actual = facts.actual;
  if (facts.expected !== undefined) found.expected = facts.expected;
  return found;
}

/**
 * A message as a terminal may print it: control, format and bidirectional characters (a NUL, a
 * U+202E quoted from the input, a line break inside a quoted value) are written as `<U+202E>`, so a
 * message can neither hide what it quotes nor rearrange the line it is printed on.
 */
export function showInvisible(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, (char) => `<${codePoint(char)}>`);
}

/** `U+0041`: how a character is named when it cannot be shown. */
export function codePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The same finding, whatever its wording: code, place, metric and facts. */
export function findingKey(p: Problem): string {
  return JSON.stringify([p.code, p.file, p.line, p.column, p.metric_id, p.actual, p.expected]);
}

export type TupleStatus = 'green' | 'red' | 'invalid';

/** docs/reference/checks.md: invalid beats red beats green; a problem found publishing counts as red. */
export function statusOf(problems: readonly Problem[]): TupleStatus {
  if (problems.some((p) => PROBLEMS[p.code].severity === 'invalid')) return 'invalid';
  return problems.length > 0 ? 'red' : 'green';
}

export const STATUS_EXIT_CODE: Record<TupleStatus, number> = { green: 0, red: 1, invalid: 2 };

/** The exit code of a run that found these problems: 2 invalid, 1 red or unpublishable, 0 none. */
export function exitCodeOf(problems: readonly Problem[]): number {
  return STATUS_EXIT_CODE[statusOf(problems)];
}

export function worstStatus(statuses: Iterable<TupleStatus>): TupleStatus {
  let worst: TupleStatus = 'green';
  for (const status of statuses) if (STATUS_EXIT_CODE[status] > STATUS_EXIT_CODE[worst]) worst = status;
  return worst;
}

/** `file:line:column` as editors and terminals link it. */
export function formatLocation(p: SourceLocation): string {
  if (!p.file) return '';
  let text = p.file;
  if (p.line !== undefined) text += `:${p.line}`;
  if (p.line !== undefined && p.column !== undefined) text += `:${p.column}`;
  return text;
}

/** One problem as a terminal line: `file:line:column: CODE message` (the location first, so editors link it). */
export function formatProblem(p: Problem): string {
  const where = formatLocation(p);
  return where ? `${where}: ${p.code} ${p.message}` : `${p.code} ${p.message}`;
}
