/**
 * Tuple words a build already read, reused by content (README, "Rebuilds"): every build reads each
 * tuple's `tuple.yaml` and the front matter of its `readback.md` with the YAML reader and checks
 * them with their schemas, about 0.15 s for 200 tuples. What a tuple's two texts read to without a
 * problem is kept under the SHA-256 of both texts, their file names, the metrics the tuple shows
 * and the code that reads them; the next build with the same key takes it as read (a test compares
 * it with a fresh reading). Only the entries the last build asked for are kept, so the file does
 * not grow.
 */
import { createHash } from 'node:crypto';
import { basename, dirname } from 'node:path';
import type { ReadbackContent } from '../core/readback.ts';
import type { TupleConfig } from '../core/schemas.ts';
import { keepFile, usedFile } from './kept-files.ts';

/** In the workspace, beside the other caches (never published). */
export const WORDS_CACHE_FILE = '.readback/cache/tuple-words.json';

/** What a tuple's `tuple.yaml` and `readback.md` read to. */
export interface TupleWords {
  config: TupleConfig;
  readback: ReadbackContent;
}

export class WordsCache {
  readonly #file: string;
  readonly #tool: string;
  readonly #kept: Map<string, TupleWords>;
  readonly #asked = new Map<string, TupleWords>();

  constructor(file: string, tool: string) {
    this.#file = file;
    this.#tool = tool;
    let entries: [string, TupleWords][] = [];
    try {
      const kept = JSON.parse(usedFile(file) ?? 'null') as { tool?: unknown; entries?: unknown } | null;
      if (kept?.tool === tool && Array.isArray(kept.entries))
        entries = kept.entries.filter(
          (entry): entry is [string, TupleWords] =>
            Array.isArray(entry) &&
            typeof entry[0] === 'string' &&
            typeof entry[1]?.config === 'object' &&
            entry[1].config !== null &&
            Array.isArray(entry[1].readback?.headlines) &&
            typeof entry[1].readback.body === 'string',
        );
    } catch {
      // nothing kept, or not readable: every tuple's words are read
    }
    this.#kept = new Map(entries);
  }

  /** The key of what `texts` (the file names, both texts, the metrics shown) read to. */
  key(texts: readonly string[]): string {
    const hash = createHash('sha256').update(this.#tool);
    for (const text of texts) hash.update('\0').update(text);
    return hash.digest('hex');
  }

  /** What the texts keyed `key` read to, as kept (a copy the caller may keep), or undefined. */
  get(key: string): TupleWords | undefined {
    const words = this.#kept.get(key);
    if (words) this.#asked.set(key, words);
    return words && structuredClone(words);
  }

  /** Keeps what the texts keyed `key` read to, without a problem. */
  set(key: string, words: TupleWords): void {
    this.#asked.set(key, structuredClone(words));
  }

  /** Keeps the entries this build asked for. Best effort: words not kept are read again. */
  save(): void {
    keepFile(
      dirname(this.#file),
      basename(this.#file),
      JSON.stringify({ tool: this.#tool, entries: [...this.#asked] }),
    );
  }
}
