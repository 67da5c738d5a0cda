/**
 * Dictionary texts a build already read, reused by content (README, "Rebuilds"): reading a
 * dictionary's YAML is most of what checking it costs (a quarter of a second for a thousand
 * metrics), and JSON reads several times faster. A dictionary text that read without a problem is
 * kept as its canonical JSON, with the line each metric starts on in the YAML (for annotations),
 * under the SHA-256 of the text and of the code that reads it; the next build reads that JSON
 * instead, which gives the same dictionary (a test compares them).
 */
import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { type LoadedDictionary, parseDictionary } from '../core/dictionary.ts';
import { keepFile, pruneUnused, usedFile } from './kept-files.ts';

/** In the workspace, beside the other caches (like the rest of .readback/, never published). */
export const DICTIONARY_CACHE_FOLDER = '.readback/cache/dictionaries';

interface Kept {
  canonical: string;
  metricLines: [string, number][];
}

export class DictionaryCache {
  readonly #dir: string;
  readonly #tool: string;

  constructor(dir: string, tool: string) {
    this.#dir = dir;
    this.#tool = tool;
  }

  #path(text: string): string {
    return join(this.#dir, `${createHash('sha256').update(`${this.#tool}\0${text}`).digest('hex')}.json`);
  }

  /** The dictionary `text` reads to, named `file`, as kept; null when it is not (or its entry does not read). */
  read(text: string, file: string): LoadedDictionary | null {
    const kept = usedFile(this.#path(text));
    if (kept === null) return null;
    try {
      const { canonical, metricLines } = JSON.parse(kept) as Kept;
      const loaded = parseDictionary(canonical, file, 'json').loaded;
      if (!loaded || loaded.canonical !== canonical) return null;
      return { ...loaded, metricLines: new Map(metricLines) };
    } catch {
      return null;
    }
  }

  /** Keeps what `text` read to. Best effort: a dictionary not kept is read from its YAML again. */
  keep(text: string, loaded: LoadedDictionary): void {
    const path = this.#path(text);
    keepFile(
      dirname(path),
      basename(path),
      JSON.stringify({ canonical: loaded.canonical, metricLines: [...loaded.metricLines] }),
    );
  }

  /** Forgets the entries no build used within the last hour, so the cache does not grow. */
  prune(now = Date.now()): void {
    pruneUnused(this.#dir, now);
  }
}
