/**
 * Tuples a build already reconciled, reused by content (README, "Rebuilds"): a tuple's outcome is
 * kept under the SHA-256 of everything reconcile reads for it (every file of its folder, byte for
 * byte, and the workspace's dictionary versions) and of the code that reconciles, so a reused
 * outcome is the one reconciling again would give. Only a tuple that reconciled green without a
 * problem is kept: any other is reconciled each time, its failure artifact and tickets written
 * afresh.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { filesUnder, keepFile, pruneUnused, usedFile } from './kept-files.ts';
import type { LeadershipOnlyTuple, TupleReport } from '../core/schemas.ts';
import type { DictionaryCatalog } from './workspace.ts';

/** In the workspace, beside the one-pagers (like the rest of .readback/, never published). */
export const RECONCILE_CACHE_FOLDER = '.readback/cache/reconcile';

/** What reconciling one tuple gives (src/core/reconcile.ts). */
export interface Reconciled {
  entry: TupleReport;
  leadershipOnly: LeadershipOnlyTuple | null;
}

export class ReconcileCache {
  readonly #dir: string;
  readonly #base: string;
  /** tuples looked up, and of those found */
  readonly counts = { asked: 0, reused: 0 };

  /** `tool`: the identity of the code that reconciles; `root` and `catalog`: the workspace and its dictionaries */
  constructor(dir: string, tool: string, root: string, catalog: DictionaryCatalog) {
    this.#dir = dir;
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

  get(key: string): Reconciled | null {
    this.counts.asked++;
    const kept = usedFile(join(this.#dir, `${key}.json`));
    if (kept === null) return null;
    try {
      const reconciled = JSON.parse(kept) as Reconciled;
      this.counts.reused++;
      return reconciled;
    } catch {
      return null;
    }
  }

  /** Keeps a tuple's outcome when it is green without a problem. Best effort: one not kept is reconciled again. */
  put(key: string, reconciled: Reconciled): void {
    if (reconciled.entry.status !== 'green' || reconciled.entry.problems.length > 0) return;
    keepFile(this.#dir, `${key}.json`, JSON.stringify(reconciled));
  }

  /** Forgets the entries no build used within the last hour, so the cache does not grow. */
  prune(now = Date.now()): void {
    pruneUnused(this.#dir, now);
  }
}
