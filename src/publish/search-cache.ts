/**
 * Search indexes a build already wrote, reused by content (README, "Rebuilds"):
 * a site's index is kept under the SHA-256 of what pagefind made it from (the pages it indexed,
 * their URLs and order) and of the code that made it (this package's and pagefind's), so a
 * reused index is the one pagefind would write again, file for file.
 *
 * An entry is a folder of the index's files, linked to the files the build wrote where the file
 * system allows (copied otherwise), and a list of their SHA-256s and stamps: a file whose bytes are
 * no longer the ones listed (a published file edited in place, say) makes the entry unusable, and
 * the index is written again. A file still the very one listed (its stamp, as the downloads' store
 * checks its files) is not read again.
 *
 * Beside the entries, each site's pages as the last build read them (`pages-<SHA-256 of the
 * site's folder>.json`: each page's URL, stamp, whether it marks its searchable part, and its
 * SHA-256): a page that is still the file read then is not read again. Kept pages are hard links
 * to Astro's cache (astro-page-links.ts), so a page rendered again is a new file, and read.
 */
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { SHA256_HEX } from '../core/ids.ts';
import { sha256Hex } from '../core/hash.ts';
import { filesUnder, keepFile, KEPT_FOR_MS, lastingStampOf } from '../io/kept-files.ts';

/** In the workspace, beside the one-pagers (like the rest of .readback/, never published). */
export const SEARCH_CACHE_FOLDER = '.readback/cache/search';

/**
 * A page of a site as a build read it: its URL, its file's stamp, whether it marks its searchable
 * part (search-pages.ts) and its bytes' SHA-256.
 */
export type FoundPage = [url: string, stamp: string, marked: boolean, sha256: string];

/** What a build found of a site's pages (read back by the next build). */
interface PagesRecord {
  pages: readonly FoundPage[];
}

/** A hard link where the file system allows one (the cache and the staging folder share the workspace's), else a copy. */
function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

/** Each file linked (or copied) into place, each folder made once (an index is a thousand files in a few folders). */
function linkAll(files: readonly [from: string, to: string][]): void {
  const made = new Set<string>();
  for (const [from, to] of files) {
    if (!made.has(dirname(to))) mkdirSync(dirname(to), { recursive: true });
    made.add(dirname(to));
    linkOrCopy(from, to);
  }
}

export class SearchIndexCache {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  #list(key: string): string {
    return join(this.#dir, `${key}.json`);
  }

  #pagesRecord(site: string): string {
    return `pages-${sha256Hex(site)}.json`;
  }

  /** The pages of the site in folder `site` (`''`: the internal site) as the last build read them, by URL. */
  pagesFound(site: string): Map<string, FoundPage> {
    try {
      const record = JSON.parse(readFileSync(join(this.#dir, this.#pagesRecord(site)), 'utf8')) as PagesRecord;
      // a record not of this shape throughout is not used (every page is read)
      const shaped = (page: unknown): page is FoundPage =>
        Array.isArray(page) &&
        page.length === 4 &&
        typeof page[0] === 'string' &&
        typeof page[1] === 'string' &&
        typeof page[2] === 'boolean' &&
        SHA256_HEX.test(String(page[3]));
      return record.pages.every(shaped) ? new Map(record.pages.map((page) => [page[0], page])) : new Map();
    } catch {
      return new Map();
    }
  }

  /** Records the pages of the site in folder `site` as this build read them, for the next build. Best effort. */
  recordPages(site: string, pages: readonly FoundPage[]): void {
    keepFile(this.#dir, this.#pagesRecord(site), JSON.stringify({ pages } satisfies PagesRecord));
  }

  /** Puts the index kept under `key` at `outputPath`; false (and nothing written) when there is none or it changed. */
  restore(key: string, outputPath: string): boolean {
    let files: [file: string, hash: string, stamp?: string][];
    try {
      files = JSON.parse(readFileSync(this.#list(key), 'utf8')) as typeof files;
    } catch {
      return false;
    }
    const entry = join(this.#dir, key);
    let whole: boolean;
    try {
      // a file still the one listed holds the bytes listed; another is read
      whole = files.every(([file, hash, stamp]) => {
        const path = join(entry, file);
        return (stamp !== undefined && lastingStampOf(path) === stamp) || sha256Hex(readFileSync(path)) === hash;
      });
    } catch {
      whole = false;
    }
    if (!whole) {
      // forgotten, so the index written again is kept in its place
      rmSync(this.#list(key), { force: true });
      return false;
    }
    try {
      linkAll(files.map(([file]) => [join(entry, file), join(outputPath, file)]));
    } catch {
      // the entry went meanwhile (another build replaced it): the index is written instead
      rmSync(outputPath, { recursive: true, force: true });
      return false;
    }
    // used now: kept as long as builds use it
    const now = new Date();
    utimesSync(this.#list(key), now, now);
    return true;
  }

  /**
   * Keeps the index just written at `outputPath` under `key` (an entry another build kept first
   * stays). Best effort: an index that cannot be kept is written again by the next build.
   */
  keep(key: string, outputPath: string): void {
    if (existsSync(this.#list(key))) return;
    const temporary = join(this.#dir, `${key}.${process.pid}.tmp`);
    try {
      rmSync(temporary, { recursive: true, force: true });
      const files = filesUnder(outputPath).sort();
      linkAll(files.map((file) => [join(outputPath, file), join(temporary, file)]));
      const listed = files.map((file): [string, string, string] => {
        // stamped before it is read: a file written meanwhile has another stamp next time, and is read
        const path = join(temporary, file);
        const stamp = lastingStampOf(path);
        return [file, sha256Hex(readFileSync(path)), stamp];
      });
      rmSync(join(this.#dir, key), { recursive: true, force: true });
      renameSync(temporary, join(this.#dir, key));
      // the list last: an entry is whole once it has one
      writeFileSync(`${temporary}.json`, JSON.stringify(listed));
      renameSync(`${temporary}.json`, this.#list(key));
    } catch {
      rmSync(temporary, { recursive: true, force: true });
      rmSync(`${temporary}.json`, { force: true });
    }
  }

  /** Forgets the entries no build used within the last hour, so the cache does not grow. */
  prune(now = Date.now()): void {
    if (!existsSync(this.#dir)) return;
    for (const name of readdirSync(this.#dir)) {
      const path = join(this.#dir, name);
      const key = name.replace(/(\.\d+\.tmp)?(\.json)?$/, '');
      const list = this.#list(key);
      const used = existsSync(list) ? statSync(list).mtimeMs : statSync(path).mtimeMs;
      if (now - used > KEPT_FOR_MS) rmSync(path, { recursive: true, force: true });
    }
  }
}
