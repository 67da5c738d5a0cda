/**
 * A worker thread that writes a build's search indexes with pagefind (src/publish/publish.ts):
 * one index per site, over the pages it is given, in order. In a thread of its own, the pages keep
 * flowing to pagefind's process while the build's thread checks the site; and the pagefind module
 * here, with its one backend process, is this build's alone.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { sha256Hex } from '../core/hash.ts';
import { type FoundPage, SearchIndexCache } from './search-cache.ts';
import { pagesRead, searched } from './search-pages.ts';

/** One site's index: where pagefind writes it, and the site's own pages, each with its url path. */
export interface SearchSite {
  /** the site's folder in the output folder (`''`: the internal site), which names what the cache records of its pages */
  name: string;
  outputPath: string;
  pages: { url: string; file: string }[];
}

/** What the worker is given: the sites, and where indexes are kept for later builds (none: not kept). */
export interface SearchWorkerData {
  sites: SearchSite[];
  /** the cache's folder, and the identity of the code that writes an index (this package's and pagefind's) */
  cache?: { folder: string; tool: string };
}

/** The worker's answer once every index is written: how many were reused from the cache; or what failed. */
export type SearchWorkerReply = { done: true; reused: number } | { kept: true } | { error: string };

/** Pages sent to pagefind before the answer to the first of them. */
const IN_FLIGHT = 32;

const { sites, cache: kept } = workerData as SearchWorkerData;
const cache = kept ? new SearchIndexCache(kept.folder) : null;
// loaded once an index is not in the cache
let loaded: typeof import('pagefind') | undefined;
let reused = 0;
/** indexes written by this worker, kept once every one is written (the build goes on meanwhile) */
const toKeep: [key: string, outputPath: string, site: string, pages: FoundPage[]][] = [];
try {
  for (const site of sites) {
    const pages = pagesRead(site.pages, cache && cache.pagesFound(site.name));
    const sent = searched(pages);
    // an index is what pagefind makes of these pages (their bytes), at these URLs, in this order
    const key = kept
      ? sent
          .reduce(
            (hash, [url, , , sha256]) => hash.update(`\0${url}\0${sha256}`),
            createHash('sha256').update(kept.tool),
          )
          .digest('hex')
      : null;
    if (key && cache!.restore(key, site.outputPath)) {
      reused++;
      cache!.recordPages(site.name, pages);
      continue;
    }
    const pagefind = (loaded ??= await import('pagefind'));
    const search = await pagefind.createIndex({});
    if (!search.index) throw new Error(`pagefind: ${search.errors.join('; ')}`);
    // pagefind's process takes its messages in the order sent, one at a time: a few pages are kept
    // on their way, so it never waits for the next one
    const files = new Map(site.pages.map(({ url, file }) => [url, file]));
    const onTheirWay: Promise<unknown>[] = [];
    // the index is kept under the key only if each page sent is the bytes the key was made of (a
    // page taken by its stamp as read before, and yet changed, would otherwise keep a wrong index)
    let asKeyed = true;
    for (const [url, , , sha256] of sent) {
      if (onTheirWay.length >= IN_FLIGHT) await onTheirWay.shift();
      const bytes = readFileSync(files.get(url)!);
      if (sha256Hex(bytes) !== sha256) asKeyed = false;
      onTheirWay.push(search.index.addHTMLFile({ url, content: bytes.toString('utf8') }));
    }
    await Promise.all(onTheirWay);
    await search.index.writeFiles({ outputPath: site.outputPath });
    await search.index.deleteIndex();
    if (key && asKeyed) toKeep.push([key, site.outputPath, site.name, pages]);
    else if (cache && !asKeyed) cache.recordPages(site.name, []); // the next build reads every page
  }
  parentPort!.postMessage({ done: true, reused } satisfies SearchWorkerReply);
  // kept while the build checks links and verifies the site: it waits for this before it publishes
  for (const [key, outputPath, site, pages] of toKeep) {
    cache!.keep(key, outputPath);
    cache!.recordPages(site, pages);
  }
  parentPort!.postMessage({ kept: true } satisfies SearchWorkerReply);
} catch (error) {
  parentPort!.postMessage({ error: String((error as Error).stack ?? error) } satisfies SearchWorkerReply);
} finally {
  await loaded?.close();
}
