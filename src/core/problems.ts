/**
 * The one vocabulary of findings (SPEC §5, §6). A problem is data, never an exception:
 * every check returns the problems it found and the run goes on to report all of them.
 */
import { z } from 'zod';

/** Problems that make a tuple's inputs malformed (SPEC §5 steps 1, 3, 4, 5 and aggregation errors): exit 2. */
export const INVALID_CODES = [
  'BAD_MANIFEST',
  'CHECKSUM_MISMATCH',
  'DICTIONARY_VERSION_UNKNOWN',
  'BAD_DICTIONARY',
  'BAD_TUPLE',
  'BAD_CSV',
  'MISSING_COLUMN',
  'UNKNOWN_COLUMN',
  'DUPLICATE_COLUMN',
  'MISSING_METRIC',
  'DEPRECATED_METRIC',
  'BAD_NUMBER',
  'BAD_TIMESTAMP',
  'BAD_BYPASS_ID',
  'ROW_OUTSIDE_WINDOW',
  'NO_OBSERVATIONS',
  'AMBIGUOUS_LAST_OBSERVED',
  'ZERO_WEIGHT',
  'FORMULA_CELL',
  'CONTROL_CHARACTER',
  'BAD_READBACK',
] as const;

/** Problems where well-formed inputs disagree (SPEC §5 steps 2, 6, 7): exit 1. */
export const RED_CODES = [
  'WINDOW_NOT_UTC',
  'WINDOW_MISMATCH',
  'TUPLE_MISMATCH',
  'RUN_MISMATCH',
  'DICTIONARY_VERSION_MISMATCH',
  'BYPASS_MISMATCH',
  'BYPASS_WITHOUT_FREEZE',
  'BYPASS_UNEXPLAINED',
  'VARIANCE_EXCEEDED',
] as const;

export const ProblemCodeSchema = z.enum([...INVALID_CODES, ...RED_CODES]);
export type ProblemCode = z.infer<typeof ProblemCodeSchema>;

/**
 * The SPEC §5 step that finds each code (0: the workspace's own files, before step 1). A tuple's
 * problems are listed in step order, as the checks run; within a step, in the order found.
 */
export const STEP_OF: Record<ProblemCode, number> = {
  BAD_TUPLE: 0,
  BAD_DICTIONARY: 0,
  BAD_READBACK: 0,
  BAD_MANIFEST: 1,
  CHECKSUM_MISMATCH: 1,
  WINDOW_NOT_UTC: 2,
  WINDOW_MISMATCH: 2,
  TUPLE_MISMATCH: 2,
  RUN_MISMATCH: 2,
  DICTIONARY_VERSION_MISMATCH: 2,
  DICTIONARY_VERSION_UNKNOWN: 3,
  UNKNOWN_COLUMN: 4,
  DEPRECATED_METRIC: 4,
  MISSING_METRIC: 4,
  DUPLICATE_COLUMN: 4,
  MISSING_COLUMN: 4,
  BAD_CSV: 5,
  CONTROL_CHARACTER: 5,
  BAD_NUMBER: 5,
  BAD_TIMESTAMP: 5,
  ROW_OUTSIDE_WINDOW: 5,
  FORMULA_CELL: 5,
  BAD_BYPASS_ID: 5,
  BYPASS_MISMATCH: 6,
  BYPASS_WITHOUT_FREEZE: 6,
  BYPASS_UNEXPLAINED: 6,
  VARIANCE_EXCEEDED: 7,
  NO_OBSERVATIONS: 7,
  AMBIGUOUS_LAST_OBSERVED: 7,
  ZERO_WEIGHT: 7,
};

/** Problems in SPEC §5 step order (a stable sort: within a step, the order they were found in). */
export function inStepOrder<T extends { code: ProblemCode }>(problems: readonly T[]): T[] {
  return [...problems].sort((a, b) => STEP_OF[a.code] - STEP_OF[b.code]);
}

export const ProblemSchema = z.object({
  /** stable code, e.g. `WINDOW_MISMATCH` */
  code: ProblemCodeSchema,
  /** what is wrong and what was expected */
  message: z.string(),
  /** path relative to the workspace root, with `/` separators */
  file: z.string().optional(),
  /** 1-based line */
  line: z.number().int().positive().optional(),
  /** 1-based column: a character for YAML/JSON, the field number for CSV */
  column: z.number().int().positive().optional(),
  /** the metric the problem concerns, when there is one */
  metric_id: z.string().optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;

export interface SourceLocation {
  file?: string;
  line?: number;
  column?: number;
}

export function problem(code: ProblemCode, message: string, location: SourceLocation = {}, metricId?: string): Problem {
  const found: Problem = { code, message };
  if (location.file !== undefined) found.file = location.file;
  if (location.line !== undefined) found.line = location.line;
  if (location.column !== undefined) found.column = location.column;
  if (metricId !== undefined) found.metric_id = metricId;
  return found;
}

const invalidCodes: ReadonlySet<string> = new Set(INVALID_CODES);

export function isInvalidCode(code: ProblemCode): boolean {
  return invalidCodes.has(code);
}

export type TupleStatus = 'green' | 'red' | 'invalid';

/** SPEC §5: invalid beats red beats green. */
export function statusOf(problems: readonly Problem[]): TupleStatus {
  if (problems.some((p) => isInvalidCode(p.code))) return 'invalid';
  return problems.length > 0 ? 'red' : 'green';
}

export const STATUS_EXIT_CODE: Record<TupleStatus, number> = { green: 0, red: 1, invalid: 2 };

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
