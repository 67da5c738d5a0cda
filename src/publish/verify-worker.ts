/**
 * A worker thread that verifies a staged site for the build (src/publish/publish.ts). It starts
 * once the pages and the downloads are written, while the build's thread still draws one-pagers:
 * first it reads every file there is (the search index's folders aside, still being written),
 * remembering each file's SHA-256, and indexes each page's anchors and links for the link check,
 * which it sends at once; then it replays every hash and shown value (src/io/verify.ts). Told the
 * site is complete, it writes each site's SHA256SUMS (reading only the files written or changed
 * since), checks every file against it and that every one-pager exists, and answers with what
 * verify found, as `readback verify` would.
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
  verifySiteThenSums,
  type VerifyResult,
} from '../io/verify.ts';

/** What the worker is given: the staging folder, and the folders it leaves unread (the search indexes'). */
export interface VerifyWorkerData {
  dir: string;
  unread: string[];
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

export type VerifyReply = { result: VerifyResult } | { error: string };

const { dir, unread } = workerData as VerifyWorkerData;
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
  parentPort!.once('message', ({ folders }: SitesComplete) => {
    try {
      // a bundle's files are listed in its own SHA256SUMS and not in the site's around it
      for (const folder of folders) writeFileSync(join(dir, folder, SITE_SUMS), siteSums(join(dir, folder), hashes));
      parentPort!.postMessage({ result: thenSums() } satisfies VerifyReply);
    } catch (error) {
      parentPort!.postMessage({ error: String((error as Error).stack ?? error) } satisfies VerifyReply);
    }
  });
} catch (error) {
  parentPort!.postMessage({ error: String((error as Error).stack ?? error) } satisfies VerifyReply);
}
