/**
 * What the verify workers read of each page (README, "Rebuilds"): its SHA-256 and, for the link
 * check, its anchors and links, kept for the next build by the page's file as the file system
 * tells it (device, inode, size and modification time, to the nanosecond).
 *
 * A page a rebuild reuses is the very file an earlier build read: Astro links its kept copy into
 * the staging folder (src/publish/astro-page-links.ts), so it has the same inode, size and
 * modification time, and reading it again gives what it gave then. A page rendered again is a new
 * file; a page changed in place has a new modification time. Either is read in full. The change
 * time is left out of the stamp: linking a file into a new folder changes it.
 */
import { basename, dirname } from 'node:path';
import { SHA256_HEX } from '../core/ids.ts';
import { keepFileLater, usedFile } from '../io/kept-files.ts';

/** In the workspace, beside the other caches (never published): the last published build's pages. */
export const PAGE_READS_FILE = '.readback/cache/pages-read.json';

/** One page as a verify worker read it. */
export interface PageRead {
  /** the file's stamp when it was read (`lastingStamp`, src/io/verify.ts) */
  stamp: string;
  /** its SHA-256 */
  hash: string;
  /** the anchor ids in it and the links it holds, as `indexPage` (src/io/links.ts) found them */
  ids: string[];
  hrefs: string[];
}

/** Pages read, by their path in the staging folder (`/` separated: `partners/<id>/annex/<tuple_id>/index.html`). */
export type PageReads = Map<string, PageRead>;

const isRead = (value: unknown): value is [string, PageRead] => {
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'string') return false;
  const read = value[1] as Partial<PageRead> | null;
  const strings = (list: unknown) => Array.isArray(list) && list.every((item) => typeof item === 'string');
  return (
    typeof read === 'object' &&
    read !== null &&
    typeof read.stamp === 'string' &&
    typeof read.hash === 'string' &&
    SHA256_HEX.test(read.hash) &&
    strings(read.ids) &&
    strings(read.hrefs)
  );
};

/** The pages an earlier build of the same code read (none when the file is missing, unreadable or another code's). */
export function readPageReads(file: string, tool: string): PageReads {
  try {
    const kept = JSON.parse(usedFile(file) ?? '{}') as { tool?: unknown; pages?: unknown };
    if (kept.tool !== tool || !Array.isArray(kept.pages)) return new Map();
    return new Map(kept.pages.filter(isRead));
  } catch {
    return new Map();
  }
}

/**
 * The pages one verify worker read, as the JSON text of their list (`pageReadsJson`): a worker
 * hands over one string, which passes between threads as it is, where the list itself was tens of
 * thousands of strings to copy one by one.
 */
export const pageReadsJson = (reads: readonly [string, PageRead][]): string => JSON.stringify(reads);

/**
 * Keeps the pages this build read (each worker's list, as `pageReadsJson` wrote it), in place of
 * the last build's: the file is what `JSON.stringify({ tool, pages })` of the lists joined writes.
 * Best effort: a page not kept is read again. Settles once it is written.
 */
export function keepPageReads(file: string, tool: string, lists: readonly string[]): Promise<void> {
  const pages = lists.map((list) => list.slice(1, -1)).filter(Boolean);
  // written while the build's thread does the rest of its last step (megabytes for a large site)
  return keepFileLater(dirname(file), basename(file), `{"tool":${JSON.stringify(tool)},"pages":[${pages.join(',')}]}`);
}
