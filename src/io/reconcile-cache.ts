/**
 * Tuples a build already reconciled, reused by content (README, "Rebuilds"): a tuple's outcome is
 * kept under the SHA-256 of everything reconcile reads for it (every file of its folder, byte for
 * byte, and the workspace's dictionary versions) and of the code that reconciles, so a reused
 * outcome is the one reconciling again would give. Only a tuple that reconciled green without a
 * problem is kept: any other is reconciled each time, its failure artifact and tickets written
 * afresh.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { filesUnder, keepFile, KEPT_FOR_MS } from './kept-files.ts';
import type { LeadershipOnlyTuple, TupleReport } from '../core/schemas.ts';
import type { DictionaryCatalog } from './workspace.ts';

/**
 * In the workspace, beside the other caches (like the rest of .readback/, never published): one
 * file for every tuple, as a program's thousands of small files cost more to write than one. A
 * line per tuple, `<key> <last used, ms since the epoch> <outcome as JSON>`: a build that reuses
 * most tuples writes their lines back as it read them, without turning each into JSON again.
 */
export const RECONCILE_CACHE_FILE = '.readback/cache/reconciled.jsonl';

/** The file earlier versions kept the same in, one JSON object (removed when the new one is written). */
const EARLIER_FILE = 'reconciled.json';

/** What reconciling one tuple gives (src/core/reconcile.ts). */
export interface Reconciled {
  entry: TupleReport;
  leadershipOnly: LeadershipOnlyTuple | null;
}

/** One kept tuple: when a build last used it, and its outcome as the line holds it (parsed once asked for). */
interface Kept {
  used: number;
  text: string;
  reconciled?: Reconciled;
}

/** A line of the file: a 64-hex key, a time, and the JSON text. */
const LINE = /^([0-9a-f]{64}) (\d+) (.+)$/;

export class ReconcileCache {
  readonly #file: string;
  readonly #base: string;
  #kept: Map<string, Kept> | null = null;
  #changed = false;
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
        if (parts) this.#kept.set(parts[1]!, { used: Number(parts[2]), text: parts[3]! });
      }
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
      // a line that is not what a build wrote: reconciled again
      this.#entries().delete(key);
      this.#changed = true;
      return null;
    }
    kept.used = now;
    this.#changed = true;
    this.counts.reused++;
    return kept.reconciled;
  }

  /** Keeps a tuple's outcome when it is green without a problem (until `save`). */
  put(key: string, reconciled: Reconciled, now = Date.now()): void {
    if (reconciled.entry.status !== 'green' || reconciled.entry.problems.length > 0) return;
    this.#entries().set(key, { used: now, text: JSON.stringify(reconciled), reconciled });
    this.#changed = true;
  }

  /**
   * Writes what is kept, without the tuples no build used within the last hour, so the cache does
   * not grow. Best effort: a tuple not kept is reconciled again.
   */
  save(now = Date.now()): void {
    if (!this.#changed) return;
    const lines: string[] = [];
    for (const [key, kept] of this.#entries())
      if (now - kept.used <= KEPT_FOR_MS) lines.push(`${key} ${kept.used} ${kept.text}\n`);
    keepFile(dirname(this.#file), basename(this.#file), lines.join(''));
    rmSync(join(dirname(this.#file), EARLIER_FILE), { force: true });
    this.#changed = false;
  }
}
