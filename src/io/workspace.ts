/** Finding a Readback workspace's files (docs/reference/workspace.md) and reading its dictionaries. */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { type DictionaryResult, parseDictionary, type LoadedDictionary } from '../core/dictionary.ts';
import type { DictionaryCache } from './dictionary-cache.ts';
import { problem, type Problem, type SourceLocation } from '../core/problems.ts';
import { SEMVER } from '../core/ids.ts';
import { readTextFile } from './text-file.ts';

export const CURRENT_DICTIONARY = 'dictionary/metrics.yaml';
export const HISTORY_FOLDER = 'dictionary/history';
export const TUPLES_FOLDER = 'content/tuples';

/** A path relative to the root with `/` separators, as problems show it. */
export function displayPath(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}

export interface DictionaryCatalog {
  current: LoadedDictionary | null;
  /** every readable version: history files, and the current file when its version is not in history */
  byVersion: Map<string, LoadedDictionary>;
  /** released versions, oldest first */
  history: LoadedDictionary[];
  problems: Problem[];
}

export function compareSemver(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

/**
 * Every dictionary version of the workspace. `cache`: dictionary texts read by an earlier build,
 * reused (io/dictionary-cache.ts).
 */
export function loadDictionaryCatalog(root: string, cache?: DictionaryCache): DictionaryCatalog {
  const problems: Problem[] = [];
  const byVersion = new Map<string, LoadedDictionary>();
  const history: LoadedDictionary[] = [];
  // the working copy is usually the very text of the latest release: a text is parsed and checked
  // once (the result depends on the text alone, and on the file's name only where it is shown)
  const readTexts = new Map<string, LoadedDictionary>();
  const read = (text: string, file: string): DictionaryResult => {
    const known = readTexts.get(text) ?? cache?.read(text, file);
    if (known) {
      readTexts.set(text, known);
      return { loaded: { ...known, file }, problems: [] };
    }
    const result = parseDictionary(text, file);
    if (result.loaded) {
      readTexts.set(text, result.loaded);
      cache?.keep(text, result.loaded);
    }
    return result;
  };
  const historyDir = join(root, HISTORY_FOLDER);
  const files = existsSync(historyDir)
    ? readdirSync(historyDir)
        .filter((name) => name.endsWith('.yaml'))
        .sort()
    : [];
  for (const name of files) {
    const file = `${HISTORY_FOLDER}/${name}`;
    const text = readTextFile(join(historyDir, name), file, 'BAD_DICTIONARY');
    const result = text.value === null ? { loaded: null, problems: text.problems } : read(text.value, file);
    problems.push(...result.problems);
    if (!result.loaded) continue;
    const version = name.slice(0, -'.yaml'.length);
    if (!SEMVER.test(version) || result.loaded.dictionary.version !== version) {
      problems.push(
        problem(
          'BAD_DICTIONARY',
          `a history file is named after its version: ${file} holds version ${result.loaded.dictionary.version}`,
          { file, line: 1, column: 1 },
        ),
      );
      continue;
    }
    byVersion.set(version, result.loaded);
    history.push(result.loaded);
  }
  history.sort((a, b) => compareSemver(a.dictionary.version, b.dictionary.version));
  let current: LoadedDictionary | null = null;
  const currentPath = join(root, CURRENT_DICTIONARY);
  if (!existsSync(currentPath)) {
    problems.push(
      problem('BAD_DICTIONARY', `no dictionary: expected ${CURRENT_DICTIONARY} under ${root}`, {
        file: CURRENT_DICTIONARY,
      }),
    );
  } else {
    const text = readTextFile(currentPath, CURRENT_DICTIONARY, 'BAD_DICTIONARY');
    const result =
      text.value === null ? { loaded: null, problems: text.problems } : read(text.value, CURRENT_DICTIONARY);
    problems.push(...result.problems);
    current = result.loaded;
    // a frozen history file wins over the working copy of the same version
    if (current && !byVersion.has(current.dictionary.version)) byVersion.set(current.dictionary.version, current);
  }
  return { current, byVersion, history, problems };
}

/**
 * What makes a folder a workspace with something to reconcile (docs/reference/workspace.md): NOT_A_WORKSPACE when it
 * has neither the dictionary nor the tuples folder (nothing may be written into it), NO_TUPLES when
 * it has a dictionary but no tuple folder. A missing dictionary beside tuples is BAD_DICTIONARY,
 * found by loadDictionaryCatalog.
 */
export function workspaceProblems(root: string): Problem[] {
  const hasDictionary = existsSync(join(root, CURRENT_DICTIONARY));
  if (!hasDictionary && !existsSync(join(root, TUPLES_FOLDER)))
    return [
      problem(
        'NOT_A_WORKSPACE',
        `${root} is not a Readback workspace: it has no ${CURRENT_DICTIONARY} and no ${TUPLES_FOLDER}/ (pass the folder that holds both with --root)`,
      ),
    ];
  if (listTupleFolders(root).length === 0)
    return [
      problem(
        'NO_TUPLES',
        `no tuples: ${TUPLES_FOLDER}/ holds no tuple folder, so there is nothing to reconcile or publish; add ${TUPLES_FOLDER}/<tuple_id>/ with tuple.yaml, both exports and their manifests`,
        { file: `${TUPLES_FOLDER}/` },
      ),
    ];
  return [];
}

export function listTupleFolders(root: string): string[] {
  const dir = join(root, TUPLES_FOLDER);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/**
 * Resolves a manifest's `file` inside the tuple folder, refusing anything that is not a regular
 * file there (a symlink that leaves the folder included). Returns the absolute path or a problem.
 */
export function resolveExportFile(
  root: string,
  tupleDir: string,
  name: string,
  where: SourceLocation,
): { path: string } | { problem: Problem } {
  const path = join(tupleDir, name);
  if (!existsSync(path))
    return {
      problem: problem('BAD_MANIFEST', `file "${name}" does not exist in ${displayPath(root, tupleDir)}`, where),
    };
  const realDir = realpathSync(tupleDir);
  const realPath = realpathSync(path);
  if (!realPath.startsWith(realDir + sep)) {
    return {
      problem: problem(
        'BAD_MANIFEST',
        `file "${name}" leads outside the tuple folder (through a symlink); exports must live inside it`,
        where,
      ),
    };
  }
  if (!statSync(realPath).isFile()) {
    return { problem: problem('BAD_MANIFEST', `file "${name}" is not a regular file`, where) };
  }
  return { path: realPath };
}
