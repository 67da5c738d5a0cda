/**
 * A worker thread that writes a build's search indexes with pagefind (src/publish/publish.ts):
 * one index per site, over the pages it is given, in order. In a thread of its own, the pages keep
 * flowing to pagefind's process while the build's thread checks the site; and the pagefind module
 * here, with its one backend process, is this build's alone.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { SearchIndexCache } from './search-cache.ts';
import { hasMarkedBody, SEARCH_BODY } from './search-pages.ts';

/** One site's index: where pagefind writes it, and the site's own pages, each with its url path. */
export interface SearchSite {
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

/**
 * The pages pagefind indexes, each with its HTML (search-pages.ts). The others are not sent:
 * pagefind would parse each and leave it out.
 */
function* searched(pages: SearchSite['pages']): Generator<{ url: string; content: string }> {
  // a page's HTML is kept only while it may be sent: when no page is marked, all are read again
  const marked: { url: string; content: string }[] = [];
  for (const page of pages) {
    // a page without the attribute's name in its bytes marks nothing: it is not decoded
    const bytes = readFileSync(page.file);
    if (!bytes.includes(SEARCH_BODY)) continue;
    const content = bytes.toString('utf8');
    if (hasMarkedBody(content)) marked.push({ url: page.url, content });
  }
  if (marked.length > 0) yield* marked;
  else for (const page of pages) yield { url: page.url, content: readFileSync(page.file, 'utf8') };
}

const { sites, cache: kept } = workerData as SearchWorkerData;
const cache = kept ? new SearchIndexCache(kept.folder) : null;
// loaded once an index is not in the cache
let loaded: typeof import('pagefind') | undefined;
let reused = 0;
/** indexes written by this worker, kept once every one is written (the build goes on meanwhile) */
const toKeep: [key: string, outputPath: string][] = [];
try {
  for (const site of sites) {
    const pages = [...searched(site.pages)];
    // an index is what pagefind makes of these pages, at these URLs, in this order
    const key = kept
      ? pages
          .reduce((hash, page) => hash.update(`\0${page.url}\0${page.content}`), createHash('sha256').update(kept.tool))
          .digest('hex')
      : null;
    if (key && cache!.restore(key, site.outputPath)) {
      reused++;
      continue;
    }
    const pagefind = (loaded ??= await import('pagefind'));
    const search = await pagefind.createIndex({});
    if (!search.index) throw new Error(`pagefind: ${search.errors.join('; ')}`);
    // pagefind's process takes its messages in the order sent, one at a time: a few pages are kept
    // on their way, so it never waits for the next one
    const sent: Promise<unknown>[] = [];
    for (const page of pages) {
      if (sent.length >= IN_FLIGHT) await sent.shift();
      sent.push(search.index.addHTMLFile(page));
    }
    await Promise.all(sent);
    await search.index.writeFiles({ outputPath: site.outputPath });
    await search.index.deleteIndex();
    if (key) toKeep.push([key, site.outputPath]);
  }
  parentPort!.postMessage({ done: true, reused } satisfies SearchWorkerReply);
  // kept while the build checks links and verifies the site: it waits for this before it publishes
  for (const [key, outputPath] of toKeep) cache!.keep(key, outputPath);
  parentPort!.postMessage({ kept: true } satisfies SearchWorkerReply);
} catch (error) {
  parentPort!.postMessage({ error: String((error as Error).stack ?? error) } satisfies SearchWorkerReply);
} finally {
  await loaded?.close();
}
