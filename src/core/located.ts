/**
 * Parsing YAML and JSON text into values while keeping where each value was written,
 * so that a schema violation can be reported at file:line:column (SPEC §6).
 */
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { problem, type Problem, type ProblemCode } from './problems.ts';

export interface Located<T> {
  value: T | null;
  problems: Problem[];
}

type Locate = (path: readonly PropertyKey[]) => { line: number; column: number } | undefined;

/** At most this many alias expansions: a "billion laughs" document is refused, not expanded. */
const MAX_ALIAS_COUNT = 100;

/** Reads YAML with the 1.2 core schema (dates stay strings), duplicate keys refused. */
export function parseYaml(text: string, file: string, code: ProblemCode): Located<unknown> & { locate: Locate } {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, {
    version: '1.2',
    schema: 'core',
    uniqueKeys: true,
    lineCounter,
    prettyErrors: false,
  });
  const locate: Locate = (path) => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth) as unknown[], true);
      if (isNode(node) && node.range) {
        const pos = lineCounter.linePos(node.range[0]);
        return { line: pos.line, column: pos.col };
      }
      if (depth > 0) {
        // point at the key when the value is missing
        const parent = depth === 1 ? doc.contents : doc.getIn(path.slice(0, depth - 1) as unknown[], true);
        const pair =
          isNode(parent) && 'items' in parent
            ? (parent.items as unknown[]).find((item) => isPairWithKey(item, path[depth - 1]))
            : undefined;
        const key = pair ? (pair as { key: unknown }).key : undefined;
        if (isNode(key) && key.range) {
          const pos = lineCounter.linePos(key.range[0]);
          return { line: pos.line, column: pos.col };
        }
      }
    }
    return undefined;
  };
  const problems = doc.errors.map((error) => {
    const pos = lineCounter.linePos(error.pos[0]);
    return problem(code, `not valid YAML: ${firstLine(error.message)}`, { file, line: pos.line, column: pos.col });
  });
  if (problems.length > 0) return { value: null, problems, locate };
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), problems, locate };
  } catch (error) {
    return {
      value: null,
      problems: [
        problem(code, `not usable YAML: ${firstLine(String((error as Error).message))}`, { file, line: 1, column: 1 }),
      ],
      locate,
    };
  }
}

function isPairWithKey(item: unknown, key: PropertyKey | undefined): boolean {
  if (!item || typeof item !== 'object' || !('key' in item)) return false;
  const itemKey = (item as { key: unknown }).key;
  return isNode(itemKey) && 'value' in itemKey && (itemKey as { value: unknown }).value === key;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

/** Converts a character offset into a 1-based line and column. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Parses JSON; a syntax error is reported with its line and column. */
export function parseJson(text: string, file: string, code: ProblemCode): Located<unknown> & { locate: Locate } {
  const locate: Locate = (path) => {
    // top-level keys are what manifests have; find `"key"` followed by a colon
    const key = path[0];
    if (typeof key !== 'string') return { line: 1, column: 1 };
    const match = new RegExp(`"${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:`).exec(text);
    return match ? lineColumnAt(text, match.index) : { line: 1, column: 1 };
  };
  try {
    return { value: JSON.parse(text), problems: [], locate };
  } catch (error) {
    const message = String((error as Error).message);
    const position = /position (\d+)/.exec(message);
    const where = position ? lineColumnAt(text, Number(position[1])) : { line: 1, column: 1 };
    const reason = message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+/, '');
    return { value: null, problems: [problem(code, `not valid JSON: ${reason}`, { file, ...where })], locate };
  }
}

/** Validates a parsed value with a zod schema; each issue becomes a located problem. */
export function validate<S extends z.ZodType>(
  schema: S,
  parsed: Located<unknown> & { locate: Locate },
  file: string,
  code: ProblemCode,
  what: string,
): Located<z.infer<S>> {
  if (parsed.value === null && parsed.problems.length > 0) return { value: null, problems: parsed.problems };
  const result = schema.safeParse(parsed.value);
  if (result.success) return { value: result.data, problems: [] };
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const where = parsed.locate(keys.length > 0 ? [...path, keys[0]!] : path) ?? { line: 1, column: 1 };
    const field = path.length > 0 ? path.join('.') : what;
    const message =
      issue.code === 'unrecognized_keys'
        ? `unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')} in ${field}`
        : `${field}: ${describeIssue(issue)}`;
    return problem(code, message, { file, ...where });
  });
  return { value: null, problems };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    return issue.input === undefined ? `is required (expected ${issue.expected})` : `expected ${issue.expected}`;
  }
  if (issue.code === 'invalid_format' && issue.format === 'regex') return `expected ${issue.message}`;
  if (issue.code === 'invalid_value') return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  return issue.message;
}
