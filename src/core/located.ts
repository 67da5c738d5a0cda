/**
 * Parsing YAML and JSON text into values while keeping where each value was written,
 * so that a schema violation can be reported at file:line:column (docs/reference/cli.md).
 */
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { codePoint, problem, type Problem, type ProblemCode } from './problems.ts';
import { forbiddenCharacter } from './text.ts';

export interface Located<T> {
  value: T | null;
  problems: Problem[];
}

type Locate = (path: readonly PropertyKey[]) => { line: number; column: number } | undefined;

/** A parsed document: its value, and where each value (`locate`) and each key (`locateKey`) is written. */
export interface Parsed extends Located<unknown> {
  locate: Locate;
  locateKey: Locate;
}

/** Shifts every position down by `lines`: a document that starts on a later line of its file (front matter). */
export interface ParseOptions {
  lineOffset?: number;
}

/** At most this many alias expansions: a "billion laughs" document is refused, not expanded. */
const MAX_ALIAS_COUNT = 100;

/** Reads YAML with the 1.2 core schema (dates stay strings), duplicate keys refused. */
export function parseYaml(text: string, file: string, code: ProblemCode, options: ParseOptions = {}): Parsed {
  const lineCounter = new LineCounter();
  const offset = options.lineOffset ?? 0;
  const position = (at: number) => {
    const pos = lineCounter.linePos(at);
    return { line: pos.line + offset, column: pos.col };
  };
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
      if (isNode(node) && node.range) return position(node.range[0]);
      // point at the key when the value is missing
      const key = depth > 0 ? locateKey(path.slice(0, depth)) : undefined;
      if (key) return key;
    }
    return undefined;
  };
  const locateKey: Locate = (path) => {
    if (path.length === 0) return undefined;
    const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1) as unknown[], true);
    const pair =
      isNode(parent) && 'items' in parent
        ? (parent.items as unknown[]).find((item) => isPairWithKey(item, path[path.length - 1]))
        : undefined;
    const key = pair ? (pair as { key: unknown }).key : undefined;
    return isNode(key) && key.range ? position(key.range[0]) : undefined;
  };
  const problems = doc.errors.map((error) =>
    problem(code, `not valid YAML: ${firstLine(error.message)}`, { file, ...position(error.pos[0]) }),
  );
  if (problems.length > 0) return { value: null, problems, locate, locateKey };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    return {
      value: null,
      problems: [
        problem(code, `not usable YAML: ${firstLine(String((error as Error).message))}`, {
          file,
          line: 1 + offset,
          column: 1,
        }),
      ],
      locate,
      locateKey,
    };
  }
  return { value, problems: [], locate, locateKey };
}

/**
 * Control and bidirectional-override characters in any key or string value (docs/reference/workspace.md's rule for
 * cells, applied to every text input): they can make one id display as another. Multi-line
 * values (markdown definitions, notes) may hold tabs and line breaks.
 */
function forbiddenCharacterProblems(
  value: unknown,
  where: { locate: Locate; locateKey: Locate },
  file: string,
  code: ProblemCode,
): Problem[] {
  const problems: Problem[] = [];
  // iterative, with each path kept as a link to its parent's, so a document nested thousands deep
  // costs neither the stack nor a copy of the path per level
  type Step = { parent: Step | null; key: string | number } | null;
  const pathOf = (step: Step) => {
    const path: (string | number)[] = [];
    for (let at = step; at; at = at.parent) path.unshift(at.key);
    return path;
  };
  const pending: { node: unknown; at: Step }[] = [{ node: value, at: null }];
  while (pending.length > 0) {
    const { node, at } = pending.pop()!;
    if (typeof node === 'string') {
      const found = forbiddenCharacter(node, node.includes('\n'));
      if (found) {
        const path = pathOf(at);
        problems.push(
          problem(
            code,
            `${path.join('.') || 'the document'}: the control character ${codePoint(found.char)} is not allowed (no control or bidirectional-override characters in any value)`,
            { file, ...(where.locate(path) ?? {}) },
            undefined,
            { actual: codePoint(found.char) },
          ),
        );
      }
    } else if (Array.isArray(node)) {
      for (let index = node.length - 1; index >= 0; index--)
        pending.push({ node: node[index], at: { parent: at, key: index } });
    } else if (node && typeof node === 'object') {
      for (const [key, item] of Object.entries(node).reverse()) {
        const found = forbiddenCharacter(key);
        if (found) {
          const path = [...pathOf(at), key];
          problems.push(
            problem(
              code,
              `the key "${key}" holds the control character ${codePoint(found.char)}, which is not allowed`,
              { file, ...(where.locateKey(path) ?? {}) },
              undefined,
              { actual: codePoint(found.char) },
            ),
          );
        }
        pending.push({ node: item, at: { parent: at, key } });
      }
    }
  }
  return problems;
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

/**
 * Parses JSON (RFC 8259, as JSON.parse reads it), refusing duplicate keys: parsers disagree on
 * which of two `sha256` keys counts, so an auditor's tool could read another value than Readback
 * did. A syntax error and a duplicate key are reported with their line and column.
 */
export function parseJson(text: string, file: string, code: ProblemCode): Parsed {
  // where each key is written, by its path: found when a problem is first located (most documents
  // have none, and a report of thousands of keys would pay for every path); only in text JSON.parse
  // accepted, which the scan relies on (an unclosed string would have it run past the end)
  let keys: Map<string, number> | null = null;
  let valid = false;
  const at = (path: readonly PropertyKey[]) => {
    if (!valid) return undefined;
    if (!keys) scanJsonKeys(text, (keys = new Map()));
    const offset = keys.get(JSON.stringify(path));
    return offset === undefined ? undefined : lineColumnAt(text, offset);
  };
  // a value is written right after its key; without a key (the document itself), at its start
  const locate: Locate = (path) => {
    for (let depth = path.length; depth > 0; depth--) {
      const found = at(path.slice(0, depth));
      if (found) return found;
    }
    return { line: 1, column: 1 };
  };
  const locateKey: Locate = (path) => at(path) ?? locate(path.slice(0, -1));
  let value: unknown;
  try {
    value = JSON.parse(text);
    valid = true;
  } catch (error) {
    const message = String((error as Error).message);
    const position = /position (\d+)/.exec(message);
    const where = position ? lineColumnAt(text, Number(position[1])) : { line: 1, column: 1 };
    const reason = message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+/, '');
    return {
      value: null,
      problems: [problem(code, `not valid JSON: ${reason}`, { file, ...where })],
      locate,
      locateKey,
    };
  }
  const problems: Problem[] = [];
  // no key is written twice when the value holds as many keys as the text writes (JSON.parse keeps
  // one of each): counted without building a key, which is most of what the full scan costs
  if (keysWritten(text) === keysHeld(value)) return { value, problems, locate, locateKey };
  for (const duplicate of scanJsonKeys(text)) {
    problems.push(
      problem(
        code,
        `duplicate key "${duplicate.key}"${duplicate.path.length > 0 ? ` in ${duplicate.path.join('.')}` : ''}: each key is written once (tools disagree on which one counts)`,
        { file, ...lineColumnAt(text, duplicate.offset) },
        undefined,
        { actual: duplicate.key },
      ),
    );
  }
  return { value: problems.length > 0 ? null : value, problems, locate, locateKey };
}

/** How many keys valid JSON text (JSON.parse has accepted it) writes: each string a `:` follows. */
function keysWritten(text: string): number {
  let count = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) {
    // the string's end: the next quote that no odd run of backslashes escapes
    let end = text.indexOf('"', i + 1);
    for (;;) {
      let slashes = 0;
      while (text.charCodeAt(end - 1 - slashes) === 92) slashes++;
      if (slashes % 2 === 0) break;
      end = text.indexOf('"', end + 1);
    }
    let next = end + 1;
    for (let c = text.charCodeAt(next); c === 32 || c === 9 || c === 10 || c === 13; c = text.charCodeAt(++next));
    if (text.charCodeAt(next) === 58) count++;
    i = end;
  }
  return count;
}

/** How many keys a parsed JSON value holds, in all its objects. Iterative, as the scan below. */
function keysHeld(value: unknown): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item !== 'object' || item === null) continue;
    if (Array.isArray(item)) {
      for (const member of item) if (typeof member === 'object' && member !== null) stack.push(member);
      continue;
    }
    for (const key of Object.keys(item)) {
      count++;
      const member = (item as Record<string, unknown>)[key];
      if (typeof member === 'object' && member !== null) stack.push(member);
    }
  }
  return count;
}

/**
 * One pass over valid JSON text (JSON.parse has accepted it): returns every key written a second
 * time in its object and, given `keys`, records where each key is written, by its path. Iterative,
 * so deep nesting cannot exhaust the stack.
 */
function scanJsonKeys(
  text: string,
  keys?: Map<string, number>,
): { key: string; path: (string | number)[]; offset: number }[] {
  const duplicates: { key: string; path: (string | number)[]; offset: number }[] = [];
  // one frame per open object or array: the keys seen and the current key, or the current index
  const stack: { object: boolean; seen: Set<string>; key: string; index: number }[] = [];
  const containerPath = () => stack.slice(0, -1).map((frame) => (frame.object ? frame.key : frame.index));
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '"') {
      const start = i;
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
      const frame = stack[stack.length - 1];
      if (!frame?.object || !expectKey) continue;
      // a key without escapes is its text; one with escapes is read as JSON reads it
      const raw = text.slice(start + 1, i);
      const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
      if (frame.seen.has(key)) duplicates.push({ key, path: containerPath(), offset: start });
      else keys?.set(JSON.stringify([...containerPath(), key]), start);
      frame.seen.add(key);
      frame.key = key;
      expectKey = false;
    } else if (char === '{' || char === '[') {
      stack.push({ object: char === '{', seen: new Set(), key: '', index: 0 });
      expectKey = char === '{';
    } else if (char === '}' || char === ']') {
      stack.pop();
    } else if (char === ',') {
      const frame = stack[stack.length - 1]!;
      if (frame.object) expectKey = true;
      else frame.index++;
    }
  }
  return duplicates;
}

/** Validates a parsed value with a zod schema; each issue becomes a located problem. */
export function validate<S extends z.ZodType>(
  schema: S,
  parsed: Parsed,
  file: string,
  code: ProblemCode,
  what: string,
): Located<z.infer<S>> {
  if (parsed.value === null && parsed.problems.length > 0) return { value: null, problems: parsed.problems };
  // a control character in a key or value first: the schema's view of such a key ("unknown key")
  // would only echo it
  const forbidden = forbiddenCharacterProblems(parsed.value, parsed, file, code);
  if (forbidden.length > 0) return { value: null, problems: forbidden };
  // each document is checked once: zod's generated fast path (code compiled per object schema)
  // would cost more to build than it saves, most of all when a command starts
  const result = schema.safeParse(parsed.value, { jitless: true });
  if (result.success) return { value: result.data, problems: [] };
  const issues = result.error.issues.map((issue) => ({
    issue,
    path: issue.path.filter((key): key is string | number => typeof key !== 'symbol'),
  }));
  // a misspelt key is one problem, not also "the key it meant is missing"
  const meant = new Set<string>();
  const unknown = issues.flatMap(({ issue, path }) => {
    if (issue.code !== 'unrecognized_keys') return [];
    const known = knownKeys(schema, path);
    return issue.keys.map((key) => {
      const guess = closestKey(key, known);
      if (guess) {
        meant.add(JSON.stringify([...path, guess]));
        // the object's own rules ("exactly one of …") only repeat the misspelling too
        meant.add(JSON.stringify(path));
      }
      return { key, guess, path };
    });
  });
  const problems: Problem[] = [];
  for (const { issue, path } of issues) {
    if (issue.code === 'unrecognized_keys') {
      // each unknown key where it is written, with the known key it was probably meant to be
      for (const { key, guess } of unknown.filter((u) => u.path === path)) {
        problems.push(
          problem(
            code,
            `unknown key "${key}" in ${path.length > 0 ? path.join('.') : what}${guess ? ` (did you mean "${guess}"?)` : ''}`,
            { file, ...(parsed.locateKey([...path, key]) ?? { line: 1, column: 1 }) },
            undefined,
            { actual: key, ...(guess ? { expected: guess } : {}) },
          ),
        );
      }
      continue;
    }
    const missing = valueAt(parsed.value, path) === undefined;
    if ((missing || issue.code === 'custom') && meant.has(JSON.stringify(path))) continue;
    // a missing key is reported where its object is written
    const where = (missing ? parsed.locate(path.slice(0, -1)) : parsed.locate(path)) ?? { line: 1, column: 1 };
    const field = path.length > 0 ? path.join('.') : what;
    problems.push(problem(code, `${field}: ${describeIssue(issue, missing)}`, { file, ...where }));
  }
  return { value: null, problems };
}

/** The keys an object schema knows at `path` (through optional, nullable, arrays and records). */
function knownKeys(schema: z.ZodType, path: readonly (string | number)[]): string[] {
  type Def = {
    type: string;
    shape?: Record<string, unknown>;
    innerType?: unknown;
    element?: unknown;
    valueType?: unknown;
    in?: unknown;
  };
  const defOf = (node: unknown) => (node as { _zod?: { def?: Def } })?._zod?.def;
  const unwrap = (node: unknown): unknown => {
    for (let def = defOf(node); def; def = defOf(node)) {
      if (def.innerType !== undefined) node = def.innerType;
      else if (def.type === 'pipe' && def.in !== undefined) node = def.in;
      else break;
    }
    return node;
  };
  let node = unwrap(schema);
  for (const step of path) {
    const def = defOf(node);
    if (!def) return [];
    if (def.type === 'object' && typeof step === 'string') node = unwrap(def.shape?.[step]);
    else if (def.type === 'array') node = unwrap(def.element);
    else if (def.type === 'record') node = unwrap(def.valueType);
    else return [];
  }
  const def = defOf(node);
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/** The known key a typo most likely meant: within two edits, or one for short keys. */
function closestKey(key: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best !== null && bestDistance <= (key.length <= 4 ? 1 : 2) ? best : null;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}

/** The value at `path`, or undefined when the document has nothing there. */
function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let node = value;
  for (const step of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, step)) return undefined;
    node = (node as Record<string | number, unknown>)[step];
  }
  return node;
}

function describeIssue(issue: z.core.$ZodIssue, missing: boolean): string {
  if (issue.code === 'invalid_type')
    return missing ? `is required (expected ${issue.expected})` : `expected ${issue.expected}`;
  if (issue.code === 'invalid_format' && issue.format === 'regex') return `expected ${issue.message}`;
  if (issue.code === 'invalid_value') return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  return issue.message;
}
