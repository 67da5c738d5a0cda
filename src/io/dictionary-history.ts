/** Frozen dictionary history (docs/reference/workspace.md, §7): integrity sums and `dictionary release`. */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HistoryIntegrity } from '../core/governance.ts';
import { CURRENT_DICTIONARY, HISTORY_FOLDER } from './workspace.ts';

/** `sha256sum` format, so an auditor can run `sha256sum -c SHA256SUMS` in dictionary/history/. */
export const HISTORY_SUMS = 'SHA256SUMS';

export function readHistoryIntegrity(root: string): HistoryIntegrity {
  const dir = join(root, HISTORY_FOLDER);
  const actual = new Map<string, string>();
  const recorded = new Map<string, string>();
  if (!existsSync(dir)) return { actual, recorded };
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.yaml'))
    .sort()) {
    actual.set(
      name,
      createHash('sha256')
        .update(readFileSync(join(dir, name)))
        .digest('hex'),
    );
  }
  const sums = join(dir, HISTORY_SUMS);
  if (existsSync(sums)) {
    for (const line of readFileSync(sums, 'utf8').split('\n')) {
      const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line.trim());
      if (match) recorded.set(match[2]!, match[1]!);
    }
  }
  return { actual, recorded };
}

/**
 * Writes dictionary/history/<version>.yaml as the exact bytes of the current dictionary and records
 * its sum; the first release of a new program creates dictionary/history/ itself.
 */
export function writeRelease(root: string, version: string): string {
  const bytes = readFileSync(join(root, CURRENT_DICTIONARY));
  const name = `${version}.yaml`;
  mkdirSync(join(root, HISTORY_FOLDER), { recursive: true });
  const target = join(root, HISTORY_FOLDER, name);
  if (existsSync(target))
    throw new Error(`${HISTORY_FOLDER}/${name} already exists; history files are never rewritten`);
  writeFileSync(target, bytes, { flag: 'wx' });
  const integrity = readHistoryIntegrity(root);
  // the first release that writes SHA256SUMS records the history it found (the check passed just
  // before, against that history): otherwise the next check would call those files unrecorded
  const sumsPath = join(root, HISTORY_FOLDER, HISTORY_SUMS);
  const sums = new Map(existsSync(sumsPath) ? integrity.recorded : integrity.actual);
  sums.set(name, createHash('sha256').update(bytes).digest('hex'));
  const lines = [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([file, hash]) => `${hash}  ${file}`);
  writeFileSync(sumsPath, `${lines.join('\n')}\n`);
  return `${HISTORY_FOLDER}/${name}`;
}
