/**
 * A worker thread that verifies a staged site for the build (src/publish/publish.ts). It is
 * started once the site model is written, so that it is loaded by the time the pages are built; told they are
 * (while the build's thread draws one-pagers and the search indexes are still being written), it
 * reads every page, remembering each file's
 * SHA-256, and indexes each page's anchors and links for the link check, which it sends at once.
 * Told the downloads are written, it reads them too and replays every hash and shown value
 * (src/io/verify.ts); told the search indexes are written, it reads their files. Told the
 * one-pagers are in place, it checks the numbers each shows, from the text read when it was drawn;
 * told the site is complete, it writes each site's SHA256SUMS (reading only the files written or
 * changed since), checks every file against it and that every one-pager exists, and answers with
 * what verify found, as `readback verify` would.
 */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { lastingStamp, statStamp } from '../io/kept-files.ts';
import { indexPage } from '../io/links.ts';
import {
  type FileHashes,
  filesBelow,
  readAndHash,
  knownCurrencies,
  readDictionaries,
  SITE_SUMS,
  siteFiles,
  siteSums,
  verifyPdfNumbers,
  type Verdicts,
  verifySiteThenSums,
  type VerifyResult,
} from '../io/verify.ts';
import { textReader } from '../pdf/readings.ts';
import { type PageRead, pageReadsJson, readPageReads } from './page-reads.ts';
import { readVerdicts, type VerdictsUsed } from './verdict-cache.ts';

/** What the worker is given: the staging folder, its part of it, and where earlier builds' verdicts are kept. */
export interface VerifyWorkerData extends VerifyShard {
  dir: string;
  /** the verdict cache (src/publish/verdict-cache.ts) and the identity of the code that checks */
  verdicts?: { file: string; tool: string };
  /** what the last build read of its pages (src/publish/page-reads.ts), and the identity of the code that reads them */
  pageReads?: { file: string; tool: string };
  /** the currencies of the dictionary texts the build publishes, by each text's SHA-256 (`knownCurrencies`) */
  currencies?: [sha256: string, currencies: [string, string][]][];
}

/**
 * What the build sends once the one-pagers are in place: each one's text as read when it was
 * drawn, by the SHA-256 of its bytes, for the check of the numbers it shows.
 */
export interface OnePagersIn {
  texts: Map<string, string>;
}

/** One verify worker's part of the staged site: the sites it checks, and the folders it leaves to the other. */
export interface VerifyShard {
  /** the sites this worker verifies (`''` the internal site, `partners/<id>` a bundle) */
  folders: string[];
  /** the folders it leaves unread until told they are written (its sites' search indexes) */
  unread: string[];
  /** the folders it does not enter (another worker's sites: the bundles, for the internal site's) */
  others: string[];
}

/** What the build sends once the pages are built: they are read then. */
export interface PagesBuilt {
  pagesBuilt: true;
}

/**
 * What the build sends once the downloads are written: they are read then, and the site's content
 * checked (once the pages are built too).
 */
export interface DownloadsIn {
  downloads: true;
  /**
   * the files the downloads wrote in this worker's sites, relative to the staging folder: when the
   * pages are not built yet, these are read now (and the sites' dictionaries parsed), and the rest
   * once they are
   */
  files: string[];
}

/** What the build sends once the search indexes are written: their files are read then. */
export interface SearchIndexesIn {
  searchIndexes: true;
}

/** What the build sends once every file but the sums is written: the sums are written then. */
export interface SitesComplete {
  complete: true;
}

/**
 * The pages read at the start, each indexed for links (its path, the anchor ids in it and the
 * links it holds, for links.ts indexedFile); sent before the reply. Plain lists of strings: a
 * hundred thousand links pass between threads several times faster so than as objects.
 */
export interface PagesRead {
  pages: [path: string, ids: string[], hrefs: string[]][];
}

/** What verify found: the site's hashes, values and sums, and the one-pagers' numbers. */
export type VerifyReply =
  | {
      result: VerifyResult;
      onePagers: VerifyResult;
      /** the verdicts of the content checks, and of the one-pagers' numbers, used and made */
      verdicts: VerdictsUsed;
      onePagerVerdicts: VerdictsUsed;
      /** the pages read, as page-reads.ts pageReadsJson writes them */
      pagesRead: string;
    }
  | { error: string };

const { dir, verdicts: verdictCache, pageReads, folders, unread, others, currencies } = workerData as VerifyWorkerData;
if (currencies) knownCurrencies(currencies);
// read while the pages render: a page that is still the file the last build read is not read again
const earlierReads = pageReads ? readPageReads(pageReads.file, pageReads.tool) : new Map<string, PageRead>();
/** the pages read here (or known from the last build), for the next build */
const pagesRead: [string, PageRead][] = [];
/** A site's one-pager (`readback/<tuple_id>.pdf`, the internal site's or a bundle's). */
const ONE_PAGER = /(^|\/)readback\/[^/]+\.pdf$/;
const fail = (error: unknown) =>
  parentPort!.postMessage({ error: String((error as Error).stack ?? error) } satisfies VerifyReply);
// the sums written here are then checked here: a file unchanged since is not read again
const hashes: FileHashes = new Map();
// the checks earlier builds passed, read once the downloads are in (when they are first asked for)
const verdictsUsed: VerdictsUsed = { found: [], passed: [] };
const onePagerVerdictsUsed: VerdictsUsed = { found: [], passed: [] };
let verdictsRead: ReadonlyMap<string, number> | undefined;
/** The verdicts earlier builds kept, read once. */
const keptVerdicts = (): ReadonlyMap<string, number> =>
  (verdictsRead ??= verdictCache ? readVerdicts(verdictCache.file) : new Map());
/** The verdicts of earlier builds, for the content checks or the one-pagers' numbers (`used`: what each tells). */
function verdicts(used = verdictsUsed): Verdicts | undefined {
  if (!verdictCache) return undefined;
  const kept = keptVerdicts();
  return {
    tool: verdictCache.tool,
    hashes,
    known: (key) => kept.get(key),
    reused: (key) => used.found.push(key),
    passed: (key, checks) => used.passed.push([key, checks]),
  };
}
const skipped = new Set([...unread, ...others]);
/** Every file of this worker's sites, relative to the staging folder, the skipped folders aside. */
function ownFiles(): string[] {
  return folders.flatMap((folder) => {
    const prefix = folder ? `${folder}/` : '';
    const within = new Set([...skipped].filter((s) => s.startsWith(prefix)).map((s) => s.slice(prefix.length)));
    return filesBelow(join(dir, folder), within).map((file) => prefix + file);
  });
}
/**
 * Every file not read yet, the unread folders aside, read and hashed; the pages indexed too, but
 * for those still the very files the last build read (page-reads.ts), taken as it read them.
 */
function readRest(filter: (file: string) => boolean, pages?: PagesRead['pages'], files = ownFiles()): void {
  for (const file of files) {
    const path = join(dir, file);
    if (hashes.has(path) || !filter(file)) continue;
    if (!pages || !file.endsWith('.html')) {
      readAndHash(path, hashes);
      continue;
    }
    // stamped before it is read: a page written meanwhile has another stamp next time, and is read again
    const stat = statSync(path, { bigint: true });
    const stamp = lastingStamp(stat);
    let read = earlierReads.get(file);
    if (read?.stamp === stamp) hashes.set(path, { stamp: statStamp(stat), hash: read.hash });
    else {
      const indexed = indexPage(dir, path, readAndHash(path, hashes).toString('utf8'));
      read = { stamp, hash: hashes.get(path)!.hash, ids: [...indexed.ids], hrefs: indexed.links.map((l) => l.href) };
    }
    pages.push([path, read.ids, read.hrefs]);
    pagesRead.push([file, read]);
  }
}
let thenSums: ReturnType<typeof verifySiteThenSums> | null = null;
let onePagers: Promise<VerifyResult> | null = null;
let pagesBuilt = false;
let downloadsIn = false;
let pagesReadJson: string | undefined;
/** The pages read, as the reply gives them (page-reads.ts pageReadsJson): every one is read once the pages are built. */
const pagesReadText = () => (pagesReadJson ??= pageReadsJson(pagesRead));
/** Once both the pages and the downloads are in: the rest read, and every hash and shown value replayed. */
function checkContent(files?: string[]): void {
  // not the one-pagers, which may still be being written (they are read with the sums)
  readRest((file) => !ONE_PAGER.test(file), undefined, files);
  thenSums = verifySiteThenSums(dir, hashes, true, folders, verdicts());
  // the reply's list of pages read, made while this thread waits for the build to check the links
  // (some tens of milliseconds less once the site is complete)
  setImmediate(pagesReadText);
}
parentPort!.on('message', async (message: PagesBuilt | DownloadsIn | SearchIndexesIn | OnePagersIn | SitesComplete) => {
  try {
    if ('pagesBuilt' in message) {
      // the pages are built: each read, hashed and indexed for the link check
      const pages: PagesRead['pages'] = [];
      const files = ownFiles();
      readRest((file) => file.endsWith('.html'), pages, files);
      parentPort!.postMessage({ pages } satisfies PagesRead);
      pagesBuilt = true;
      // the downloads were all written before the pages were built: these files are every one yet
      if (downloadsIn) checkContent(files);
    } else if ('downloads' in message) {
      downloadsIn = true;
      if (pagesBuilt) checkContent();
      else {
        // written before the pages are built (a rebuild's are): read now, while Astro renders, with
        // what the checks read of each site's dictionaries and the verdicts of earlier builds
        readRest(() => true, undefined, message.files);
        for (const folder of folders) readDictionaries(join(dir, folder));
        keptVerdicts();
      }
    } else if ('searchIndexes' in message) {
      // their SHA-256s, for the sums, while the one-pagers are still drawn
      for (const folder of unread)
        for (const file of filesBelow(join(dir, folder))) readAndHash(join(dir, folder, file), hashes);
    } else if ('texts' in message) {
      onePagers = verifyPdfNumbers(dir, textReader(message.texts), folders, verdicts(onePagerVerdictsUsed));
      onePagers.catch(() => {}); // awaited once the site is complete
    } else {
      if (!thenSums || !onePagers) throw new Error('the site was complete before its downloads or one-pagers');
      // a bundle's files are listed in its own SHA256SUMS and not in the site's around it; each
      // site's files listed once, for its sums and then its check against them (nothing is written
      // in between but the sums)
      const listed = new Map(folders.map((folder) => [folder, siteFiles(join(dir, folder))]));
      // each file's stamp compared once, for its sum; the check against the sums, right after, takes it so
      const confirmed = new Set<string>();
      for (const folder of folders)
        writeFileSync(join(dir, folder, SITE_SUMS), siteSums(join(dir, folder), hashes, listed.get(folder), confirmed));
      const result = thenSums(listed, confirmed);
      parentPort!.postMessage({
        result,
        onePagers: await onePagers,
        verdicts: verdictsUsed,
        onePagerVerdicts: onePagerVerdictsUsed,
        pagesRead: pagesReadText(),
      } satisfies VerifyReply);
    }
  } catch (error) {
    fail(error);
  }
});
