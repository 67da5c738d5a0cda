/**
 * A worker thread that verifies a staged site for the build (src/publish/publish.ts). It starts
 * once the pages and the downloads are written, while the build's thread still draws one-pagers:
 * first it reads every file there is (the search index's folders aside, still being written),
 * remembering each file's SHA-256, and indexes each page's anchors and links for the link check,
 * which it sends at once; then it replays every hash and shown value (src/io/verify.ts). Told the
 * one-pagers are in place, it checks the numbers each shows, from the text read when it was drawn;
 * told the site is complete, it writes each site's SHA256SUMS (reading only the files written or
 * changed since), checks every file against it and that every one-pager exists, and answers with
 * what verify found, as `readback verify` would.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { folderHolding } from '../core/partner-bundles.ts';
import { indexPage, type IndexedFile } from '../io/links.ts';
import {
  type FileHashes,
  filesBelow,
  readAndHash,
  SITE_SUMS,
  siteSums,
  verifyPdfNumbers,
  verifySiteThenSums,
  type VerifyResult,
} from '../io/verify.ts';
import { textReader } from '../pdf/readings.ts';

/** What the worker is given: the staging folder, and the folders it leaves unread (the search indexes'). */
export interface VerifyWorkerData {
  dir: string;
  unread: string[];
}

/**
 * What the build sends once the one-pagers are in place: each one's text as read when it was
 * drawn, by the SHA-256 of its bytes, for the check of the numbers it shows.
 */
export interface OnePagersIn {
  texts: Map<string, string>;
}

/** What the build sends once every file but the sums is written: the sites, bundles first. */
export interface SitesComplete {
  /** each site's folder in the staging folder, `''` for the internal site, which is listed last */
  folders: string[];
}

/** The pages read at the start, each indexed for links, by their path; sent before the reply. */
export interface PagesRead {
  pages: Map<string, IndexedFile>;
}

/** What verify found: the site's hashes, values and sums, and the one-pagers' numbers (when told of them). */
export type VerifyReply = { result: VerifyResult; onePagers: VerifyResult | null } | { error: string };

const { dir, unread } = workerData as VerifyWorkerData;
const fail = (error: unknown) =>
  parentPort!.postMessage({ error: String((error as Error).stack ?? error) } satisfies VerifyReply);
// the sums written here are then checked here: a file unchanged since is not read again
const hashes: FileHashes = new Map();
try {
  const skipped = new Set(unread);
  const pages = new Map<string, IndexedFile>();
  for (const file of filesBelow(dir)) {
    if (folderHolding(file, skipped)) continue;
    const path = join(dir, file);
    const bytes = readAndHash(path, hashes);
    if (file.endsWith('.html')) pages.set(path, indexPage(dir, path, bytes.toString('utf8')));
  }
  parentPort!.postMessage({ pages } satisfies PagesRead);
  const thenSums = verifySiteThenSums(dir, hashes, true);
  let onePagers: Promise<VerifyResult> | null = null;
  parentPort!.on('message', async (message: OnePagersIn | SitesComplete) => {
    try {
      if ('texts' in message) {
        onePagers = verifyPdfNumbers(dir, textReader(message.texts));
        onePagers.catch(() => {}); // awaited once the site is complete
        return;
      }
      // a bundle's files are listed in its own SHA256SUMS and not in the site's around it
      for (const folder of message.folders)
        writeFileSync(join(dir, folder, SITE_SUMS), siteSums(join(dir, folder), hashes));
      const result = thenSums();
      parentPort!.postMessage({ result, onePagers: await onePagers } satisfies VerifyReply);
    } catch (error) {
      fail(error);
    }
  });
} catch (error) {
  fail(error);
}
