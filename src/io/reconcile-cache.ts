/**
 * Tuples a build already reconciled, reused by content (README, "Rebuilds"): a tuple's outcome is
 * kept under the SHA-256 of everything reconcile reads for it (every file of its folder, byte for
 * byte, and the workspace's dictionary versions) and of the code that reconciles, so a reused
 * outcome is the one reconciling again would give. Only a tuple that reconciled green without a
 * problem is kept: any other is reconciled each time, its failure artifact and tickets written
 * afresh.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { filesUnder, keepFile, KEPT_FOR_MS } from './kept-files.ts';
import type { LeadershipOnlyTuple, TupleReport } from '../core/schemas.ts';
import type { DictionaryCatalog } from './workspace.ts';

/**
 * In the workspace, beside the other caches (like the rest of .readback/, never published): one
 * file for every tuple, as a program's thousands of small files cost more to write than one. A
 * line per tuple, `<key> <last used, ms since the epoch> <outcome as JSON>`. A build adds to the
 * end: a whole line for each tuple it reconciled, and a short one, `<key> <last used>`, for each
 * it reused (a later line of a key stands for it); it writes the file anew, with a line per tuple
 * used within the hour, only when what it would add leaves more than half of the file out of use
 * (or the file does not end a line). Rewriting the bench site's 21 MB for every rebuild of one
 * tuple took the build's thread 50-280 ms (docs/PERFORMANCE.md).
 */
export const RECONCILE_CACHE_FILE = '.readback/cache/reconciled.jsonl';

/** The file earlier versions kept the same in, one JSON object (removed when the new one is written). */
const EARLIER_FILE = 'reconciled.json';

/** What reconciling one tuple gives (src/core/reconcile.ts). */
export interface Reconciled {
  entry: TupleReport;
  leadershipOnly: LeadershipOnlyTuple | null;
}

/**
 * One kept tuple: when a build last used it, and its outcome as the line holds it (parsed once
 * asked for); `added`: this build's, not in the file yet; `touched`: used by this build.
 */
interface Kept {
  used: number;
  text: string;
  reconciled?: Reconciled;
  added?: boolean;
  touched?: boolean;
}

/**
 * A line of the file: a 64-hex key, a time, and the JSON text; or a key and a time alone (a later
 * use). The text may hold U+2028 and U+2029, which JSON leaves as they are: `.` takes them too.
 */
const LINE = /^([0-9a-f]{64}) (\d+)(?: (.+))?$/s;

export class ReconcileCache {
  readonly #file: string;
  readonly #base: string;
  #kept: Map<string, Kept> | null = null;
  #changed = false;
  /** the file as read: its length (characters), and whether a build may add to its end (it ends a line) */
  #read = { length: 0, appendable: false };
  /** tuples looked up, and of those found */
  readonly counts = { asked: 0, reused: 0 };

  /** `tool`: the identity of the code that reconciles; `root` and `catalog`: the workspace and its dictionaries */
  constructor(file: string, tool: string, root: string, catalog: DictionaryCatalog) {
    this.#file = file;
    const versions = [...catalog.byVersion].map(([version, loaded]) => [version, loaded.sha256, loaded.file]);
    this.#base = createHash('sha256')
      .update(`${tool}\0${root}\0${JSON.stringify(versions)}\0${JSON.stringify(catalog.problems)}`)
      .digest('hex');
  }

  /** The key of the tuple in `folder`: every file in it (its exports among them), by name and bytes. */
  key(tupleId: string, folder: string): string {
    const hash = createHash('sha256').update(`${this.#base}\0${tupleId}`);
    for (const file of filesUnder(folder).sort()) hash.update(`\0${file}\0`).update(readFileSync(join(folder, file)));
    return hash.digest('hex');
  }

  #entries(): Map<string, Kept> {
    if (!this.#kept) {
      this.#kept = new Map();
      let text = '';
      try {
        text = readFileSync(this.#file, 'utf8');
      } catch {
        // none kept yet
      }
      for (const line of text.split('\n')) {
        const parts = LINE.exec(line);
        if (!parts) continue;
        const [, key, used, json] = parts as unknown as [string, string, string, string | undefined];
        if (json !== undefined) this.#kept.set(key, { used: Number(used), text: json });
        else {
          const kept = this.#kept.get(key);
          if (kept) kept.used = Math.max(kept.used, Number(used));
        }
      }
      this.#read = { length: text.length, appendable: text.endsWith('\n') };
    }
    return this.#kept;
  }

  get(key: string, now = Date.now()): Reconciled | null {
    this.counts.asked++;
    const kept = this.#entries().get(key);
    if (!kept) return null;
    try {
      kept.reconciled ??= JSON.parse(kept.text) as Reconciled;
    } catch {
      // a line that is not what a build wrote: reconciled again (and the file written anew)
      this.#entries().delete(key);
      this.#changed = true;
      this.#read.appendable = false;
      return null;
    }
    kept.used = now;
    kept.touched = true;
    this.#changed = true;
    this.counts.reused++;
    return kept.reconciled;
  }

  /** Keeps a tuple's outcome when it is green without a problem (until `save`). */
  put(key: string, reconciled: Reconciled, now = Date.now()): void {
    if (reconciled.entry.status !== 'green' || reconciled.entry.problems.length > 0) return;
    this.#entries().set(key, { used: now, text: JSON.stringify(reconciled), reconciled, added: true });
    this.#changed = true;
  }

  /**
   * Keeps what this build reconciled and used: added to the end of the file, or the file written
   * anew, without the tuples no build used within the last hour, when more than half of it would
   * be out of use (see RECONCILE_CACHE_FILE), so the cache does not grow. Best effort: a tuple not
   * kept is reconciled again.
   */
  save(now = Date.now()): void {
    if (!this.#changed) return;
    const entries = this.#entries();
    const line = (key: string, kept: Kept) => `${key} ${kept.used} ${kept.text}\n`;
    const added: string[] = [];
    let inUse = 0;
    for (const [key, kept] of entries) {
      if (now - kept.used <= KEPT_FOR_MS) inUse += kept.text.length + 82;
      if (kept.added) added.push(line(key, kept));
      else if (kept.touched) added.push(`${key} ${kept.used}\n`);
    }
    const addition = added.join('');
    if (this.#read.appendable && 2 * inUse >= this.#read.length + addition.length) {
      try {
        appendFileSync(this.#file, addition);
        this.#read.length += addition.length;
      } catch {
        // not kept: those tuples are reconciled again
      }
    } else {
      const lines: string[] = [];
      for (const [key, kept] of entries) if (now - kept.used <= KEPT_FOR_MS) lines.push(line(key, kept));
      const text = lines.join('');
      keepFile(dirname(this.#file), basename(this.#file), text);
      this.#read = { length: text.length, appendable: true };
      rmSync(join(dirname(this.#file), EARLIER_FILE), { force: true });
    }
    for (const kept of entries.values()) kept.added = kept.touched = false;
    this.#changed = false;
  }
}
