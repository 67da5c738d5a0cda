/**
 * The content checks earlier builds passed (README, "Rebuilds"; src/io/verify.ts, Verdicts): each
 * tuple's, by the key of every file they read and of the code that checks. A rebuild's verify
 * workers tell a tuple whose files are unchanged as checked, and check the rest. Only checks that
 * passed are kept; a tuple with any problem is checked afresh every time.
 */
import { basename, dirname } from 'node:path';
import { keepFile, KEPT_FOR_MS, usedFile } from '../io/kept-files.ts';

/** In the workspace, beside the other caches (never published): one file for every site's tuples. */
export const VERDICT_CACHE_FILE = '.readback/cache/verified.json';

/** The file: how many checks passed under each key, and when a build last used it (ms since the epoch). */
type Kept = Record<string, { used: number; checks: number }>;

/** What a verify worker tells of its verdicts: the keys it found, and the checks that passed under new keys. */
export interface VerdictsUsed {
  found: string[];
  passed: [key: string, checks: number][];
}

/** The verdicts kept at `file` (none when it is missing or unreadable: every tuple is checked). */
export function readVerdicts(file: string): Map<string, number> {
  return new Map(Object.entries(keptIn(file)).map(([key, { checks }]) => [key, checks]));
}

/** The file's verdicts, each a whole number of checks; none when it is missing or not such a file. */
function keptIn(file: string): Kept {
  try {
    const kept: unknown = JSON.parse(usedFile(file) ?? '{}');
    if (typeof kept !== 'object' || kept === null || Array.isArray(kept)) return {};
    return Object.fromEntries(
      Object.entries(kept).filter(([, verdict]) => {
        const { used, checks } = (verdict ?? {}) as Partial<Kept[string]>;
        return Number.isSafeInteger(checks) && checks! >= 0 && checks! <= 100_000 && Number.isFinite(used);
      }),
    ) as Kept;
  } catch {
    return {};
  }
}

/**
 * Keeps what the workers found and passed, without the verdicts no build used within the last
 * hour, so the file does not grow. Best effort: a verdict not kept means its tuple is checked again.
 */
export function keepVerdicts(file: string, used: readonly VerdictsUsed[], now = Date.now()): void {
  const kept = keptIn(file);
  for (const { found, passed } of used) {
    for (const key of found) if (kept[key]) kept[key].used = now;
    for (const [key, checks] of passed) kept[key] = { used: now, checks };
  }
  const fresh = Object.entries(kept).filter(([, verdict]) => now - verdict.used <= KEPT_FOR_MS);
  if (used.every((u) => u.found.length === 0 && u.passed.length === 0)) return;
  keepFile(dirname(file), basename(file), JSON.stringify(Object.fromEntries(fresh)));
}
