/**
 * The build as one call: dictionary check → reconcile → site model → Astro pages and PDFs →
 * downloads → search index → link and anchor check → verify → publish. Everything is built in a
 * staging folder and swapped into the output folder only at the end, so a build that finds any
 * problem leaves the previously published site untouched. Every refusal is a coded problem from
 * the one table (src/core/problems.ts); nothing is printed here.
 *
 * Builds never share a file: one build at a time per output folder (its lock, build-lock.ts), a
 * staging folder of its own under `.readback/staging/<build>/`, and a working folder of its own
 * for Astro's compiled pages (pages.ts). Both folders are removed when the build ends, whatever
 * the outcome, and the lock is released.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { copyFile, link, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { isDeepStrictEqual } from 'node:util';
import { DEFAULT_SITE_URL } from '../../astro.config.mjs';
import type { DiffReport } from '../core/diff.ts';
import { checkDictionary } from '../core/governance.ts';
import { schemaFiles } from '../core/json-schemas.ts';
import { tupleTilesCsv } from '../core/leadership.ts';
import { problem, type Problem, type SourceLocation } from '../core/problems.ts';
import { SETTINGS_FILE } from '../core/settings.ts';
import { readSettings } from '../io/settings.ts';
import { reconcileSummary } from '../core/report-format.ts';
import type { ReconcileReport } from '../core/schemas.ts';
import {
  folderHolding,
  PARTNERS_FOLDER,
  pageIndexPath,
  partnerModelPath,
  partnerSiteUrlProblems,
} from '../core/partner-bundles.ts';
import { batched, siteModelText, type ModelLayout, type SitePages } from '../core/model-text.ts';
import { buildPartnerSiteModel, buildSiteModel, tuplePageOnBase, type SiteModel } from '../core/site-model.ts';
import { replayCommand, reportJson, writeReconcileArtifacts, type WrittenArtifacts } from '../io/artifacts.ts';
import { readHistoryIntegrity } from '../io/dictionary-history.ts';
import {
  anchorList,
  brokenLinks,
  type IndexedFile,
  indexedFile,
  indexSite,
  splitIndex,
  urlPathOf,
} from '../io/links.ts';
import { DICTIONARY_CACHE_FOLDER, DictionaryCache } from '../io/dictionary-cache.ts';
import { keepRendered, MARKDOWN_CACHE_FILE, recallRendered } from '../io/markdown-cache.ts';
import { RECONCILE_CACHE_FILE, ReconcileCache } from '../io/reconcile-cache.ts';
import { reconcileWorkspace } from '../io/reconcile-workspace.ts';
import { readSiteContent, tupleReportBytes } from '../io/site-inputs.ts';
import { merged, SITE_SUMS, type VerifyResult } from '../io/verify.ts';
import { CURRENT_DICTIONARY, loadDictionaryCatalog, workspaceProblems } from '../io/workspace.ts';
import type { PageSize } from '../pdf/one-pager.ts';
import type { OnePagerJob } from '../pdf/pool.ts';
import { PdfReadings } from '../pdf/readings.ts';
import type { OnePagerOverflowError } from '../pdf/render.ts';
import { siblingModule } from '../io/sibling-module.ts';
import { astroWorkFolder } from './astro-project.ts';
import { acquireBuildLock, thisBuild, type LockAttempt } from './build-lock.ts';
import type { PdfReading } from '../pdf/readings.ts';
import {
  identityWith,
  ONE_PAGER_CACHE_FOLDER as ONE_PAGER_CACHE,
  OnePagerCache,
  toolIdentity,
} from './one-pager-cache.ts';
import { FileStore, FILE_STORE_FOLDER } from './file-store.ts';
import { currenciesOf } from '../core/dictionary.ts';
import { WordsCache, WORDS_CACHE_FILE } from '../io/words-cache.ts';
import {
  bundleInputsKey,
  bundleKey,
  bundleRecordsFile,
  fileStamp,
  keepBundleRecords,
  linkedModel,
  moveKeptBundles,
  pagesByBundle,
  readBundleRecords,
  returnMovedBundles,
  stampedFilesNow,
  untouchedBundles,
  type BundleRecord,
} from './kept-bundles.ts';
import { makePageFolders } from './page-folders.ts';
import type { PagesProcess } from './pages.ts';
import { removeInBackground, SKELETON_FOLDER } from './remove-later.ts';
import { SEARCH_CACHE_FOLDER, SearchIndexCache } from './search-cache.ts';
import { keepVerdicts, VERDICT_CACHE_FILE, type VerdictsUsed } from './verdict-cache.ts';
import { keepPageReads, PAGE_READS_FILE } from './page-reads.ts';
import { keepPublishedTuples, mergeRefreshed, PUBLISHED_REPORT, readPublishedReport } from './refresh.ts';
import type { SearchWorkerData, SearchWorkerReply } from './search-worker.ts';
import type {
  DownloadsIn,
  OnePagersIn,
  PagesBuilt,
  PagesRead,
  SearchIndexesIn,
  SitesComplete,
  VerifyReply,
  VerifyShard,
  VerifyWorkerData,
} from './verify-worker.ts';

/** Where Readback's own Astro project (src/pages, astro.config.mjs) is. */
const PACKAGE_ROOT = resolve(import.meta.dirname, '..', '..');
/**
 * Where Astro keeps the pages it rendered for the next build of the same output folder (pages.ts):
 * one folder per output folder, as only one build at a time publishes to each (build-lock.ts)
 */
const pageCacheFolder = (root: string, dist: string) =>
  join(root, '.readback', 'cache', 'pages', createHash('sha256').update(dist).digest('hex').slice(0, 16));

export interface PublishOptions {
  /** the workspace: dictionary/ and content/ */
  root: string;
  /** the published folder (default: `<root>/dist`) */
  out?: string;
  /** the origin links are built on (default: the one in astro.config.mjs) */
  siteUrl?: string;
  /** where each partner bundle is deployed: a URL holding `{partner_id}` (default: `<siteUrl>/partners/<partner_id>`) */
  partnerSiteUrl?: string;
  /** today's UTC date, YYYY-MM-DD: removals are judged against it */
  today: string;
  pageSize?: PageSize;
  /** accept that anchors the previous build published disappear */
  allowAnchorRemoval?: boolean;
  /** the replay command written into failure artifacts and tickets (default: `--root` as given) */
  replayFor?: (tupleId: string) => string;
  /**
   * refresh only these tuples in the published site (`readback build --tuple`): every other tuple
   * stays as published, byte for byte
   */
  refreshTuples?: readonly string[];
  /** how far a long step is, for a progress line: reconciling tuples, rendering one-pagers */
  onProgress?: (step: string, done: number, total: number, item: string) => void;
  /** lines for people as the build goes: the reconcile summary, where artifacts were written */
  log?: (line: string) => void;
  /** how long each step took, in seconds (the benchmark reads these) */
  onPhase?: (step: string, seconds: number) => void;
  /**
   * the pages' process, started by the caller before it loaded the build (pages.ts forkPages): the
   * build tells it what to build, or leaves it for the caller to stop when it is refused first.
   * Without it the build starts one when it gets there
   */
  pagesProcess?: PagesProcess;
}

export interface Published {
  dist: string;
  tuples: number;
  metrics: number;
  links: number;
  hashes: number;
}

export interface PublishResult {
  /** every problem that stopped the build, in the order found; empty when it published */
  problems: Problem[];
  /**
   * what this build made and what it reused from an earlier build by content (README,
   * "Rebuilds"): pages rendered and reused, search indexes written and reused
   */
  rebuild?: {
    tuples?: { reconciled: number; reused: number };
    /** partner bundles built, and kept as published (unchanged, moved into the new site whole) */
    bundles?: { built: number; reused: number };
    pages?: { rendered: number; reused: number };
    searchIndexes?: { written: number; reused: number };
    /** each site's content checks of each tuple: run, and told as an earlier build passed them on the same files */
    verified?: { checked: number; reused: number };
    /** the numbers each site's one-pager of each tuple shows, checked: likewise */
    onePagerChecks?: { checked: number; reused: number };
    /** the downloads of the sites built (exports, manifests, report entries, tile exports): written, and linked from the bytes an earlier build kept */
    downloads?: { written: number; reused: number };
  };
  /**
   * one-pagers made by this build, reused from an earlier one, and (of those made) drawn by the
   * renderer: a bundle's copy of a one-pager is usually made from the internal one's bytes
   */
  onePagers?: { rendered: number; reused: number; drawn: number };
  published: Published | null;
  /** the reconcile report, once reconcile ran */
  report: ReconcileReport | null;
  /** the report, failure artifacts and tickets reconcile wrote (paths relative to the root) */
  artifacts: WrittenArtifacts | null;
  /** the dictionary check, when it ran */
  dictionaryCheck: DiffReport | null;
}

/** The site's routes sit at the root of its origin, so the site URL is exactly an http(s) origin. */
export function siteUrlProblems(
  siteUrl: string,
  source: { name: string; at: SourceLocation } = { name: 'READBACK_SITE_URL', at: {} },
): Problem[] {
  let url: URL | null = null;
  try {
    url = new URL(siteUrl);
  } catch {}
  // exactly an origin: no path, and no bare `?` or `#` left over either
  if (url && /^https?:$/.test(url.protocol) && url.origin === siteUrl) return [];
  return [
    problem(
      'SITE_URL_NOT_ORIGIN',
      `${source.name} must be an http(s) origin such as https://kpi.example.org (no path, query or fragment), not "${siteUrl}"`,
      source.at,
      undefined,
      { actual: siteUrl, expected: 'an http(s) origin' },
    ),
  ];
}

/** Anchors the previous build published that this one drops, except those of metrics removed after their sunset. */
export function removedAnchors(
  previous: readonly string[],
  now: readonly string[],
  retired: ReadonlySet<string | null>,
): Problem[] {
  const kept = new Set(now);
  return previous
    .filter((anchor) => !kept.has(anchor) && !retired.has(anchor.slice(anchor.indexOf('#') + 1)))
    .map((anchor) =>
      problem(
        'ANCHOR_REMOVED',
        `anchor disappeared: ${anchor} (set READBACK_ALLOW_ANCHOR_REMOVAL=1 to accept)`,
        { file: 'anchors.json' },
        undefined,
        { actual: anchor },
      ),
    );
}

/** A site one build publishes: the internal one (folder "") or a partner bundle (`partners/<partner_id>`). */
interface PublishedSite {
  folder: string;
  model: SiteModel;
}

const bundleFolders = (sites: readonly PublishedSite[]) => new Set(sites.map((site) => site.folder).filter(Boolean));

/** A site's HTML files, without those of the partner bundles inside it. */
function ownPages(dir: string, sites: readonly PublishedSite[], below = ''): string[] {
  const bundles = bundleFolders(sites);
  return readdirSync(join(dir, below), { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => {
      const rel = below ? `${below}/${entry.name}` : entry.name;
      if (entry.isDirectory()) return bundles.has(rel) ? [] : ownPages(dir, sites, rel);
      return entry.name.endsWith('.html') ? [join(dir, rel)] : [];
    });
}

/**
 * The one-pagers to draw, a partner bundle's copy of a tuple's one-pager attached to the internal
 * site's as a copy when its page there is the same but for the base URL of its links: it is then
 * made from the internal one's bytes (src/pdf/render.ts) instead of drawn again.
 */
function withCopies<Job extends OnePagerJob & { site: string }>(jobs: readonly Job[]): Job[] {
  const internal = new Map(jobs.filter((job) => job.site === '').map((job) => [job.tuple.tuple_id, job]));
  const copies = new Map<Job, Job[]>();
  const alone: Job[] = [];
  for (const job of jobs) {
    const first = job.site === '' ? undefined : internal.get(job.tuple.tuple_id);
    if (first && isDeepStrictEqual(tuplePageOnBase(first.tuple, first.siteUrl, job.siteUrl), job.tuple))
      copies.set(first, [...(copies.get(first) ?? []), job]);
    else alone.push(job);
  }
  return alone.map((job) => (copies.has(job) ? { ...job, copies: copies.get(job)! } : job));
}

/** What the verify workers do for the build (see startVerifying). */
interface Verifying {
  /** the pages are built: each worker reads those of its sites, leaving their search indexes for later */
  pagesIn: () => void;
  pages: Promise<ReadonlyMap<string, IndexedFile>>;
  /** the downloads are written: these files (relative to the staging folder), and maybe others */
  downloadsIn: (files: readonly string[]) => void;
  searchIndexesIn: () => void;
  onePagersIn: (texts: Map<string, string>) => void;
  complete: () => Promise<{
    result: VerifyResult;
    onePagers: VerifyResult;
    verdicts: VerdictsUsed[];
    onePagerVerdicts: VerdictsUsed[];
    /** each worker's pages read, as page-reads.ts pageReadsJson writes them */
    pagesRead: string[];
  }>;
  stop: () => Promise<void>;
}

/** One worker's answer: what verify found, and the verdicts it used and made and the pages it read, for the next build. */
type Verified = Exclude<VerifyReply, { error: string }>;

/** One verify worker (verify-worker.ts), given its shard with `pagesIn`. */
function verifyWorker(
  staging: string,
  kept: Pick<VerifyWorkerData, 'verdicts' | 'pageReads' | 'currencies'>,
  shard: VerifyShard,
): Omit<Verifying, 'complete'> & { complete: () => Promise<Verified> } {
  const worker = new Worker(siblingModule('verify-worker', import.meta.url), {
    workerData: { dir: staging, ...kept, ...shard } satisfies VerifyWorkerData,
  });
  let pagesRead: (pages: ReadonlyMap<string, IndexedFile>) => void;
  let replied: (result: Verified) => void;
  let failed: (error: Error) => void;
  const pages = new Promise<ReadonlyMap<string, IndexedFile>>((resolve) => (pagesRead = resolve));
  const reply = new Promise<Verified>((resolve, reject) => {
    replied = resolve;
    failed = reject;
  });
  // a worker that fails before it has read the pages: the link check waits for its reply instead
  const pagesOrFailure = Promise.race([pages, reply.then(() => new Map<string, IndexedFile>())]);
  worker.on('message', (message: PagesRead | VerifyReply) => {
    if ('pages' in message)
      pagesRead(
        new Map(message.pages.map(([path, ids, hrefs]) => [path, indexedFile(urlPathOf(staging, path), ids, hrefs)])),
      );
    else if ('error' in message) failed(new Error(message.error));
    else replied(message);
  });
  worker.once('error', (error) => failed(error));
  worker.once('exit', (code) => failed(new Error(`the verify worker stopped (exit code ${code})`)));
  reply.catch(() => {}); // awaited by complete; a build refused before it need not hear it
  pagesOrFailure.catch(() => {});
  return {
    pagesIn: () => worker.postMessage({ pagesBuilt: true } satisfies PagesBuilt),
    pages: pagesOrFailure,
    downloadsIn: (files) => worker.postMessage({ downloads: true, files: [...files] } satisfies DownloadsIn),
    searchIndexesIn: () => worker.postMessage({ searchIndexes: true } satisfies SearchIndexesIn),
    onePagersIn: (texts) => worker.postMessage({ texts } satisfies OnePagersIn),
    complete: () => {
      worker.postMessage({ complete: true } satisfies SitesComplete);
      return reply;
    },
    stop: async () => {
      await worker.terminate();
    },
  };
}

/** A site's search index folder, relative to the staging folder (`''` the internal site). */
const searchFolderOf = (folder: string) => (folder ? `${folder}/pagefind` : 'pagefind');

/**
 * The staged site verified in worker threads (verify-worker.ts), loaded while the pages render
 * (once the site model is written) or once they are built. With `split`, for a build whose thread
 * is then free (it has few one-pagers left to draw), a second worker takes the partner bundles:
 * each bundle is a site of its own, with its own sums, so the two share no file. Told the pages
 * are built (`pagesIn`), each reads those of its sites, remembering their SHA-256s, and indexes
 * them for the link check (`pages`). Told the downloads are written (`downloadsIn`), each reads
 * those of its sites: at once when they come first (a rebuild's do, while Astro renders), the rest
 * of its files with the pages; once it has both, it replays every hash and shown value. Then
 * `searchIndexesIn` once the search indexes are written, whose files they leave until then;
 * `onePagersIn` once the one-pagers are in place, with the text each was read to have, whose
 * numbers they then check; `complete` once every file but the sums is written, which writes each
 * site's SHA256SUMS and checks every file. What they find is told in the order one check of the
 * whole folder tells it: the internal site's, then each bundle's.
 */
function startVerifying(
  staging: string,
  kept: Pick<VerifyWorkerData, 'verdicts' | 'pageReads' | 'currencies'>,
  sites: readonly PublishedSite[],
  split: boolean,
): Verifying {
  const bundles = sites.map((site) => site.folder).filter(Boolean);
  const plan: VerifyShard[] =
    split && bundles.length > 0
      ? [
          { folders: [''], unread: [searchFolderOf('')], others: bundles },
          { folders: bundles, unread: bundles.map(searchFolderOf), others: [] },
        ]
      : [{ folders: ['', ...bundles], unread: ['', ...bundles].map(searchFolderOf), others: [] }];
  const shards = plan.map((shard) => verifyWorker(staging, kept, shard));
  const all = <T>(ask: (shard: (typeof shards)[number]) => Promise<T>) => Promise.all(shards.map(ask));
  // a file of the staging folder is a worker's when it lies in one of its sites and none of the others'
  const holders = plan.map(({ folders, others }) => {
    const mine = new Set(folders);
    const theirs = new Set(others);
    return (file: string) =>
      (mine.has('') || folderHolding(file, mine) !== undefined) && folderHolding(file, theirs) === undefined;
  });
  const pages = all((shard) => shard.pages).then((read) => new Map(read.flatMap((shard) => [...shard])));
  pages.catch(noop); // awaited by the link check; a build refused before it need not hear it
  return {
    pagesIn: () => shards.forEach((shard) => shard.pagesIn()),
    pages,
    downloadsIn: (files) => shards.forEach((shard, n) => shard.downloadsIn(files.filter(holders[n]!))),
    searchIndexesIn: () => shards.forEach((shard) => shard.searchIndexesIn()),
    onePagersIn: (texts) => shards.forEach((shard) => shard.onePagersIn(texts)),
    complete: async () => {
      const replies = await all((shard) => shard.complete());
      return {
        result: merged(replies.map((reply) => reply.result)),
        onePagers: merged(replies.map((reply) => reply.onePagers)),
        verdicts: replies.map((reply) => reply.verdicts),
        onePagerVerdicts: replies.map((reply) => reply.onePagerVerdicts),
        pagesRead: replies.map((reply) => reply.pagesRead),
      };
    },
    stop: async () => {
      await all((shard) => shard.stop());
    },
  };
}

const noop = () => {};

/** The checks the verify workers ran and passed, and those an earlier build had passed on the same files. */
const checks = (used: readonly VerdictsUsed[]) => ({
  checked: used.reduce((n, v) => n + v.passed.length, 0),
  reused: used.reduce((n, v) => n + v.found.length, 0),
});

/**
 * Moves the staged site to the output folder: a rename, or, when the output folder is on another
 * file system than the workspace (where the site is staged), a copy beside it first, renamed into
 * place once whole.
 */
function moveInto(staging: string, dist: string): void {
  try {
    renameSync(staging, dist);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    const incoming = `${dist}.incoming`;
    rmSync(incoming, { recursive: true, force: true });
    cpSync(staging, incoming, { recursive: true });
    renameSync(incoming, dist);
  }
}

/**
 * Files written with asynchronous calls (libuv's threads) while this thread goes on: `written`
 * once every one written so far is, or the first failure; `settled` once every one has ended,
 * for a build that stops (it writes into the staging folder, which goes).
 */
function filesWritten() {
  const writes: Promise<void>[] = [];
  const track = (written: Promise<void>) => {
    written.catch(noop); // awaited by `written` or `settled`
    writes.push(written);
  };
  return {
    write: (path: string, data: string | Uint8Array | Iterable<string>) => track(writeFile(path, data)),
    /**
     * `data` at `path` as a hard link to `from`, a file of the build's caches that holds those
     * bytes and is never changed in place, or written when it cannot be linked (another file
     * system). A link makes no new inode: a rebuild that wrote 1,400 new files and removed the
     * replaced site's made the kernel pass over the freed inodes for each new one (docs/PERFORMANCE.md)
     */
    link: (from: string, path: string, data: Uint8Array) => track(link(from, path).catch(() => writeFile(path, data))),
    written: () => Promise.all(writes).then(noop),
    settled: () => Promise.allSettled(writes).then(noop),
  };
}

/**
 * The search indexes, written in a worker thread (search-worker.ts): `written` settles once every
 * one is written, with how many were reused from the cache; `kept` once those written are kept in
 * the cache too (the build publishes only then: they are linked from the staging folder).
 */
function writeSearchIndexes(data: SearchWorkerData): { written: Promise<number>; kept: Promise<void> } {
  const worker = new Worker(siblingModule('search-worker', import.meta.url), { workerData: data });
  let written: (reused: number) => void;
  let kept: () => void;
  let failed: (error: Error) => void;
  const writing = new Promise<number>((resolve, reject) => {
    written = resolve;
    failed = reject;
  });
  const keeping = new Promise<void>((resolve) => (kept = resolve));
  worker.on('message', (message: SearchWorkerReply) => {
    if ('error' in message) failed(new Error(message.error));
    else if ('kept' in message) kept();
    else written(message.reused);
  });
  worker.on('error', (error) => failed(error));
  // a worker gone before it has kept what it wrote: the build need not wait for the cache
  worker.on('exit', (code) => {
    failed(new Error(`the search index worker stopped (exit code ${code})`));
    kept();
  });
  return { written: writing, kept: keeping };
}

/** The folders one build writes before it publishes, none shared with another build. */
interface BuildFolders {
  /** `<root>/.readback/staging/<build>/`: everything below is this build's alone */
  staging: string;
  /** the site as it is built, swapped into the output folder at the end */
  site: string;
  /** the site model the pages and PDFs render */
  model: string;
  /** Astro's working folder (see pages.ts and astro-project.ts) */
  astro: string;
}

function buildFolders(root: string, build: string): BuildFolders {
  const staging = join(root, '.readback', 'staging', build);
  return {
    staging,
    site: join(staging, 'dist'),
    model: join(staging, 'model.json'),
    astro: astroWorkFolder(PACKAGE_ROOT, root, build),
  };
}

/** The refusal of a build whose output folder another build holds. */
export function buildInProgress(dist: string, refused: Extract<LockAttempt, { acquired: false }>): Problem {
  const holder = refused.holder;
  const who = holder
    ? `process ${holder.pid} on ${holder.host}, since ${holder.since} (${holder.command})`
    : 'a build that is just starting (its lock file is being written)';
  return problem(
    'BUILD_IN_PROGRESS',
    `another build is publishing to ${dist}: ${who}. Nothing was done; build again once it has finished (if no build is running, delete ${refused.path}).`,
    {},
    undefined,
    holder ? { actual: `pid ${holder.pid} on ${holder.host} since ${holder.since}` } : {},
  );
}

/**
 * Publishing replaces the output folder as a whole, so it must be one a build may replace: not
 * the workspace or a folder holding it, not inside its inputs or `.readback/`, not a file, and,
 * when it already holds files, a site Readback published (its `SHA256SUMS` and `anchors.json`).
 */
export function outputFolderProblems(root: string, dist: string): Problem[] {
  const refused = (why: string) => [
    problem('OUTPUT_FOLDER_REFUSED', `the output folder ${dist} ${why}; nothing was written`, {}, undefined, {
      actual: dist,
    }),
  ];
  const within = (folder: string, path: string) => {
    const rel = relative(folder, path);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  };
  if (within(dist, root)) return refused('is the workspace or holds it: publishing would move the workspace away');
  for (const inputs of ['dictionary', 'content', '.readback'])
    if (within(join(root, inputs), dist)) return refused(`lies inside the workspace's ${inputs}/ folder`);
  if (!existsSync(dist)) return [];
  if (!statSync(dist).isDirectory()) return refused('is a file, not a folder');
  const entries = readdirSync(dist);
  const published = entries.includes(SITE_SUMS) && entries.includes('anchors.json');
  if (entries.length > 0 && !published)
    return refused(
      'holds files that are not a site Readback published (no SHA256SUMS and anchors.json): choose a new or empty folder',
    );
  return [];
}

export async function publish(options: PublishOptions): Promise<PublishResult> {
  const root = resolve(options.root);
  const dist = resolve(options.out ?? join(root, 'dist'));
  const log = options.log ?? (() => {});
  const result: PublishResult = {
    problems: [],
    published: null,
    report: null,
    artifacts: null,
    dictionaryCheck: null,
    rebuild: {},
  };

  // an output folder that would replace the workspace or someone's files is refused before anything
  const unsafe = outputFolderProblems(root, dist);
  if (unsafe.length > 0) return { ...result, problems: unsafe };

  // one build at a time per output folder: a second one is refused before it touches anything
  const build = `${Date.now().toString(36)}-${process.pid}-${randomBytes(4).toString('hex')}`;
  mkdirSync(dirname(dist), { recursive: true });
  const lock = acquireBuildLock(dist, thisBuild(build));
  if (!lock.acquired) return { ...result, problems: [buildInProgress(dist, lock)] };
  const folders = buildFolders(root, build);
  if (lock.recovered) {
    const holder = lock.recovered.holder;
    log(
      `recovered a stale build lock: ${lock.path} was held by ${holder ? `process ${holder.pid} on ${holder.host} since ${holder.since}` : 'an unreadable lock file'}, which no longer runs`,
    );
    // what that build left behind, if it built from this workspace
    if (holder && /^[\w-]+$/.test(holder.build)) {
      const abandoned = buildFolders(root, holder.build);
      // the bundles it had moved out of the published site, if it stopped as it published
      returnMovedBundles(abandoned.staging);
      for (const folder of [abandoned.staging, abandoned.astro]) rmSync(folder, { recursive: true, force: true });
    }
  }
  // what a build started and must stop however it ends (its pages' process, its verify worker)
  const stops: (() => Promise<void>)[] = [];
  try {
    return await buildAndPublish(options, root, dist, folders, result, stops);
  } finally {
    for (const stop of stops) await stop();
    rmSync(folders.staging, { recursive: true, force: true });
    rmSync(folders.astro, { recursive: true, force: true });
    lock.release();
  }
}

/** A turn of this thread's event loop: the events waiting (a message from a process or thread) are handled. */
const eventsTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function buildAndPublish(
  options: PublishOptions,
  root: string,
  dist: string,
  folders: BuildFolders,
  result: PublishResult,
  stops: (() => Promise<void>)[],
): Promise<PublishResult> {
  const log = options.log ?? (() => {});
  const refuse = (problems: readonly Problem[]) => ({ ...result, problems: [...problems] });
  let phaseStarted = performance.now();
  const phase = (step: string) => {
    options.onPhase?.(step, (performance.now() - phaseStarted) / 1000);
    phaseStarted = performance.now();
  };
  /**
   * Work under way that a later step awaits (it may fail before then without being unhandled). A
   * build that stops first waits for it to end, `ended` when it ends apart from the work's own
   * promise: it writes into the staging folder, which goes when the build ends.
   */
  const underWay = <T>(work: Promise<T>, ended: Promise<unknown> = work): Promise<T> => {
    work.catch(noop);
    stops.push(() => ended.then(noop, noop));
    return work;
  };

  // a build killed between the two renames of the publish step left the old site at dist.previous
  if (!existsSync(dist) && existsSync(`${dist}.previous`)) renameSync(`${dist}.previous`, dist);

  // the program's settings (readback.config.yaml); READBACK_SITE_URL and READBACK_PARTNER_SITE_URL override theirs
  const settingsRead = readSettings(root);
  if (settingsRead.problems.length > 0) return refuse(settingsRead.problems);
  const settings = settingsRead.settings;
  const siteUrl = (options.siteUrl || settings.site_url || DEFAULT_SITE_URL).replace(/\/+$/, '');
  const partnerTemplate = options.partnerSiteUrl || settings.partner_site_url || undefined;
  const fromSettings = (key: 'site_url' | 'partner_site_url', overridden: string | undefined) =>
    overridden ? undefined : { name: `${key} in ${SETTINGS_FILE}`, at: settingsRead.at(key) };
  const urlProblems = [
    ...siteUrlProblems(siteUrl, fromSettings('site_url', options.siteUrl)),
    ...(partnerTemplate
      ? partnerSiteUrlProblems(partnerTemplate, fromSettings('partner_site_url', options.partnerSiteUrl))
      : []),
  ];
  if (urlProblems.length > 0) return refuse(urlProblems);

  // a folder that is no workspace is said to be one, before anything is read or written
  const missing = workspaceProblems(root);
  if (missing.length > 0) return refuse(missing);
  if (siteUrl === DEFAULT_SITE_URL)
    log(
      `note: the site URL is the example ${DEFAULT_SITE_URL}, so the one-pagers' links point there; set site_url in ${SETTINGS_FILE} (or READBACK_SITE_URL) to where dist/ is deployed`,
    );

  // 4. the pages start first, in a process of their own: Astro loads and compiles them while this
  //    thread checks the dictionary, reconciles and builds the site model, and renders them once
  //    the model is written (src/publish/pages.ts). A build refused before then stops it
  for (const folder of [folders.site, folders.astro]) mkdirSync(folder, { recursive: true });
  // loaded when a build gets this far, so every other command stays quick
  const { startPages, modelReadyPath } = await import('./pages.ts');
  // the folders of the internal site's pages the last build wrote, made now by a thread of their own
  // (page-folders.ts), in the folders of the site the last build replaced where it left them
  // (remove-later.ts): made once the models were written, they were not all there when Astro put
  // its kept pages in place, and it made most of them itself. The bundles' come later, once the
  // build knows which bundles it keeps whole (their pages are not put in place)
  const internalPageFolders = makePageFolders(
    pageCacheFolder(root, dist),
    folders.site,
    new Set([PARTNERS_FOLDER]),
    undefined,
    // (not on Windows, where a folder is not renamed onto another)
    process.platform === 'win32' ? undefined : join(root, SKELETON_FOLDER),
  );
  stops.push(internalPageFolders.settled); // a build that stops waits for them before removing its staging folder
  const pages = startPages(
    {
      // told once the folders are in place (the skeleton is put there whole, so nothing may be
      // written into the site's folder before: a file made in it as it is replaced would be lost)
      after: internalPageFolders.settled(),
      root: PACKAGE_ROOT,
      outDir: folders.site,
      site: siteUrl,
      modelPath: folders.model,
      workDir: folders.astro,
      pageCache: { folder: pageCacheFolder(root, dist) },
    },
    options.pagesProcess,
  );
  stops.push(pages.abandon);
  // the pages' process is told what to build when this thread hears that it listens (pages.ts),
  // which needs a turn of this thread's events: the dictionary check, reconcile and the site models
  // below give none, and Astro, loaded meanwhile, waited for them (about 0.3-0.9 s of a rebuild)
  await eventsTurn();
  // the code that renders: part of the key of everything a build keeps for the next (pages,
  // one-pagers, search indexes), worked out while Astro starts (the pages get theirs with the models)
  const tool = toolIdentity(PACKAGE_ROOT);
  const pagesTool = identityWith(tool, PACKAGE_ROOT, ['astro']);
  // the content checks earlier builds passed, by the files they read (verify-worker.ts)
  // (with the versions of the libraries they run: an upgrade of one in the lockfile alone checks again)
  const verdictCache = {
    file: join(root, VERDICT_CACHE_FILE),
    tool: identityWith(tool, PACKAGE_ROOT, ['canonicalize', 'zod', 'yaml']),
  };
  // and what they read of each page, by the page's file (page-reads.ts)
  // (and the currencies of the dictionary texts this build publishes, once it has read them)
  const kept: Pick<VerifyWorkerData, 'verdicts' | 'currencies'> & {
    pageReads: NonNullable<VerifyWorkerData['pageReads']>;
  } = {
    verdicts: verdictCache,
    pageReads: { file: join(root, PAGE_READS_FILE), tool },
  };
  // the partner bundles the last build into this output folder published, those whose files are
  // still the ones it left read meanwhile: kept as they are when they would be built the same
  // (kept-bundles.ts). Not with --tuple, nor when the output folder is on another file system than
  // the staging folder (the kept bundles are moved from one into the other)
  const bundleRecords = bundleRecordsFile(root, dist);
  const keepable =
    !options.refreshTuples?.length && existsSync(dist) && statSync(dist).dev === statSync(folders.site).dev
      ? untouchedBundles(dist, readBundleRecords(bundleRecords))
      : Promise.resolve(new Map<string, BundleRecord>());

  // 1. dictionary check: a forbidden or unexplained change stops the build
  // dictionary texts an earlier build read are read from their JSON (the YAML reader is the slow part)
  const dictionaryCache = new DictionaryCache(
    join(root, DICTIONARY_CACHE_FOLDER),
    identityWith(tool, PACKAGE_ROOT, ['yaml', 'zod', 'canonicalize']),
  );
  // the markdown an earlier build rendered (definitions, readbacks), for the site model
  const markdownCache = join(root, MARKDOWN_CACHE_FILE);
  const markdownTool = identityWith(tool, PACKAGE_ROOT, [
    'remark',
    'remark-rehype',
    'rehype-sanitize',
    'rehype-stringify',
  ]);
  recallRendered(markdownCache, markdownTool);
  const catalog = loadDictionaryCatalog(root, dictionaryCache);
  if (catalog.problems.length > 0 || !catalog.current) return refuse(catalog.problems);
  const current = catalog.current;
  kept.currencies = [...catalog.history, current].map((loaded) => [loaded.sha256, currenciesOf(loaded.dictionary)]);
  const check = checkDictionary(current, catalog.history, readHistoryIntegrity(root), options.today);
  result.dictionaryCheck = check;
  if (!check.ok) {
    return refuse(
      check.findings
        .filter((f) => f.violation)
        .map((f) =>
          problem(
            'DICTIONARY_CHECK_FAILED',
            `${f.rule} ${f.message}`,
            { file: CURRENT_DICTIONARY, line: f.metric_id ? (current.metricLines.get(f.metric_id) ?? 1) : 1 },
            f.metric_id ?? undefined,
          ),
        ),
    );
  }
  phase('pages started, dictionary check');
  // (and once more, for a pages' process slower to start than the dictionary check)
  await eventsTurn();

  // 2. reconcile: every tuple green, or nothing is published
  //    (with --tuple: the named tuples, and every other one as the published site has it)
  const refreshed = options.refreshTuples?.length ? new Set(options.refreshTuples) : null;
  const published = refreshed ? readPublishedReport(dist) : null;
  if (published && !published.report) return refuse(published.problems);
  // tuples reconciled green by an earlier build, reused when nothing they read has changed
  const reconcileCache = new ReconcileCache(
    join(root, RECONCILE_CACHE_FILE),
    identityWith(tool, PACKAGE_ROOT, ['csv-parse', 'yaml', 'zod', 'canonicalize']),
    root,
    catalog,
  );
  const fresh = await reconcileWorkspace({
    root,
    catalog,
    cache: reconcileCache,
    tupleIds: options.refreshTuples,
    onProgress: (done, total, item) => options.onProgress?.('reconciling', done, total, item),
  });
  result.report = fresh;
  const { asked, reused } = reconcileCache.counts;
  result.rebuild = { ...result.rebuild!, tuples: { reconciled: asked - reused, reused } };
  // the report's JSON, written as the reconcile artifact and, unless --tuple merges it with the
  // published one, published as it is
  let freshJson: string | undefined;
  const reportText = () => (freshJson ??= reportJson(fresh));
  // the reconcile artifacts, and the tuples reconciled green kept for the next build: whether or
  // not this build publishes (the green tuples of a refused build are as reconciled). A green
  // reconcile's are written once the site models are handed to the pages (the pages' process
  // waits for those, not for these), or, by a build that ends before, as it ends
  let reconciledKept: WrittenArtifacts | undefined;
  const keepReconciled = (): WrittenArtifacts => {
    if (reconciledKept) return reconciledKept;
    reconcileCache.save();
    reconciledKept = writeReconcileArtifacts(
      root,
      fresh,
      (tuple) => (options.replayFor ?? ((id) => replayCommand(root, id)))(tuple.tuple_id),
      reportText(),
    );
    return (result.artifacts = reconciledKept);
  };
  stops.push(async () => void keepReconciled());
  log(reconcileSummary(fresh));
  const report = refreshed && published?.report ? mergeRefreshed(published.report, fresh, refreshed) : fresh;
  if (fresh.status !== 'green') {
    const artifacts = keepReconciled();
    log(`report: ${join(root, artifacts.report)}`);
    for (const failure of artifacts.failures) log(`failure artifact: ${join(root, failure)}`);
    for (const ticket of artifacts.tickets) {
      const nobody = artifacts.unaddressed.get(ticket);
      log(`owner ticket: ${join(root, ticket)}${nobody ? ` (addressed to nobody: ${nobody})` : ''}`);
    }
    return refuse([...fresh.problems, ...fresh.tuples.flatMap((t) => t.problems)]);
  }
  phase('reconcile');
  // (and once more: the pages' process is told only once the site's folders are in place too)
  await eventsTurn();

  // 3. the site model: the one object every page and PDF renders
  // (each tuple's words read as an earlier build read the same texts)
  const words = new WordsCache(join(root, WORDS_CACHE_FILE), identityWith(tool, PACKAGE_ROOT, ['yaml', 'zod']));
  let inputs: ReturnType<typeof readSiteContent>;
  try {
    inputs = readSiteContent(root, report, words);
  } catch (error) {
    // with --tuple, the kept tuples' pages are read from the workspace as they are now, unchecked
    if (!refreshed) throw error;
    return refuse([
      problem(
        'NOT_A_SITE',
        `the workspace files of a tuple kept as published cannot be read (${(error as Error).message.split('\n')[0]}): restore them, name that tuple with --tuple too, or build the whole workspace`,
        {},
      ),
    ]);
  }
  if (inputs.problems.length > 0) return refuse(inputs.problems);
  const modelInputs = {
    siteUrl,
    report,
    history: catalog.history,
    current,
    today: options.today,
    content: inputs.content,
    faqMarkdown: inputs.faqMarkdown,
    partnerSiteUrl: partnerTemplate,
    settings,
  };
  const model = buildSiteModel(modelInputs);
  // without indentation: the pages' process parses it, and a program's model runs to tens of
  // megabytes. The models are written with asynchronous file calls: the kernel's copying of them
  // into files (about a third of a second of system time for the bench's 32 MB) runs on libuv's
  // threads while this thread builds the bundles' models
  const modelFiles = filesWritten();
  stops.push(modelFiles.settled);
  // with each site's pages' keys, taken from the very texts written (src/core/model-text.ts)
  // and where each model's per-tuple parts lie in its file, for the pages to read only those they render
  const pageIndex: { site: string | null; pages: SitePages; layout?: ModelLayout }[] = [];
  const writeModel = (path: string, siteModel: SiteModel) => {
    const text = siteModelText(siteModel);
    text.chunks.push('\n');
    modelFiles.write(path, batched(text.chunks));
    return text;
  };
  const internalText = writeModel(folders.model, model);
  pageIndex.push({ site: null, pages: internalText.pages, layout: internalText.layout });
  // docs/reference/site.md: each partner's bundle renders a model of its own tuples alone, on its
  // own base URL. A bundle the published site holds as this build would make it is kept as it is:
  // nothing is made of it (its pages, listed as kept, are neither rendered nor put in place)
  const sites: PublishedSite[] = [{ folder: '', model }];
  const size = options.pageSize ?? 'LETTER';
  const untouched = await keepable;
  const bundleTool = identityWith(tool, PACKAGE_ROOT, ['astro', 'pagefind', 'canonicalize', 'zod', 'yaml']);
  const logo = model.look.logo
    ? createHash('sha256')
        .update(readFileSync(join(root, model.look.logo.source)))
        .digest('hex')
    : null;
  const lastModel = join(root, '.readback', 'site', 'model.json');
  // each bundle's record for the next build, as far as it is known before the bundle is published
  const bundleKeys = new Map<string, Pick<BundleRecord, 'key' | 'inputs' | 'pageKeys'>>();
  const keptBundles = new Map<string, BundleRecord>();
  // what every bundle's model is made of besides its own tuples (kept-bundles.ts, bundleInputsKey)
  const frameInputs = JSON.stringify([
    bundleTool,
    markdownTool,
    size,
    siteUrl,
    partnerTemplate ?? null,
    options.today,
    settings,
    inputs.faqMarkdown,
    [report.schema, report.status, report.dictionary_version],
    [...catalog.history, current].map((loaded) => [loaded.file, loaded.sha256]),
    logo,
  ]);
  for (const bundle of model.partners) {
    const folder = `${PARTNERS_FOLDER}/${bundle.partner_id}`;
    const path = partnerModelPath(folders.model, bundle.partner_id);
    mkdirSync(dirname(path), { recursive: true });
    const inputsKey = bundleInputsKey(
      frameInputs,
      bundle,
      bundle.tuples.map((id) => inputs.content.get(id) ?? null),
    );
    const asPublished = untouched.get(folder);
    // made of the inputs the published bundle was made of, its model the file then written: kept
    // without its model being built (the model's file is linked along, for tools that read it)
    if (
      asPublished?.inputs === inputsKey &&
      linkedModel(partnerModelPath(lastModel, bundle.partner_id), path, asPublished.model)
    ) {
      keptBundles.set(folder, asPublished);
      bundleKeys.set(folder, asPublished);
      pageIndex.push({ site: folder, pages: asPublished.pageKeys });
      continue;
    }
    const bundleModel = buildPartnerSiteModel(modelInputs, bundle);
    const { pages, layout } = writeModel(path, bundleModel);
    const key = bundleKey({ tool: bundleTool, size, siteUrl, model: pages.whole, logo });
    bundleKeys.set(folder, { key, inputs: inputsKey, pageKeys: pages });
    pageIndex.push({ site: folder, pages, layout });
    if (asPublished?.key === key) {
      keptBundles.set(folder, asPublished);
      continue;
    }
    sites.push({ folder, model: bundleModel });
  }
  if (model.partners.length > 0)
    result.rebuild = { ...result.rebuild!, bundles: { built: sites.length - 1, reused: keptBundles.size } };
  modelFiles.write(
    pageIndexPath(folders.model),
    JSON.stringify({ sites: pageIndex, kept: [...keptBundles.keys()], tool: pagesTool }),
  );
  await modelFiles.written();
  // every model is written: the pages' process may read them now
  writeFileSync(modelReadyPath(folders.model), '');
  phase('site model');
  const staging = folders.site;
  // (the internal site's folders in place before anything is written there: see `after` above)
  await internalPageFolders.settled();
  // and those of the partner bundles the build does not keep whole
  const bundlePageFolders = makePageFolders(
    pageCacheFolder(root, dist),
    staging,
    new Set(keptBundles.keys()),
    PARTNERS_FOLDER,
  );
  stops.push(bundlePageFolders.settled);

  // 6. downloads, written while the pages are built and the one-pagers drawn, in every site: the
  //    partner export and both manifests byte for byte, each tuple's report entry (and, internal
  //    only, its leadership tile export), the canonical JSON of every dictionary version it
  //    publishes (its SHA-256 is dictionary_sha256; a bundle's is the internal file, byte for
  //    byte), and the JSON Schemas. Astro leaves what is in the staging folder (pages.ts), so they
  //    go straight in. They are written with Node's asynchronous file calls, whose work runs on
  //    libuv's threads, not this one, which draws one-pagers meanwhile. A build that stops before
  //    they are written waits for them
  const schemas = schemaFiles();
  // the leadership tile exports (internal site only), written from the report as their pages were
  const tileExports = new Map(
    model.leadership.map((page) => {
      const tuple = model.tuples.find((t) => t.tuple_id === page.tuple_id)!;
      const csv = tupleTilesCsv(report, tuple.report, tuple.sentinel);
      return [page.tuple_id, { name: page.tile_export.name, csv, sha256: page.tile_export.sha256 }];
    }),
  );
  // each download put in place as a link to the same bytes an earlier build kept, or written and kept
  const store = new FileStore(join(root, FILE_STORE_FOLDER));
  // the files written, relative to the staging folder: the verify workers read them once they are
  const downloadFiles: string[] = [];
  const listed = <T>(path: string, writing: Promise<T>) => {
    downloadFiles.push(relative(staging, path));
    return writing;
  };
  const downloads = underWay(
    Promise.all(
      sites.flatMap((site) => {
        const dir = join(staging, site.folder);
        // the program's logo (readback.config.yaml), at every site's root
        const logo = site.model.look.logo;
        const tuples = site.model.tuples.map(async (tuple) => {
          const exports = join(dir, 'exports', tuple.tuple_id);
          const entry = join(dir, 'tuples', tuple.tuple_id);
          await Promise.all([mkdir(exports, { recursive: true }), mkdir(entry, { recursive: true })]);
          const tiles = site.folder === '' ? tileExports.get(tuple.tuple_id) : undefined;
          await Promise.all([
            ...[tuple.downloads.partner_csv, tuple.downloads.leadership_manifest, tuple.downloads.partner_manifest].map(
              (file) => {
                const path = join(exports, file.name);
                return listed(
                  path,
                  store.place(file.sha256, path, () => copyFile(join(root, file.source), path)),
                );
              },
            ),
            listed(
              join(entry, 'report.json'),
              store.place(tuple.downloads.report.sha256, join(entry, 'report.json'), () =>
                writeFile(join(entry, 'report.json'), tupleReportBytes(tuple.report)),
              ),
            ),
            ...(tiles
              ? [
                  listed(
                    join(exports, tiles.name),
                    store.place(tiles.sha256, join(exports, tiles.name), () =>
                      writeFile(join(exports, tiles.name), tiles.csv),
                    ),
                  ),
                ]
              : []),
          ]);
        });
        const dictionaries = mkdir(join(dir, 'dictionary'), { recursive: true }).then(() =>
          Promise.all(
            site.model.versions.map((version) =>
              listed(
                join(dir, 'dictionary', `${version.version}.json`),
                writeFile(
                  join(dir, 'dictionary', `${version.version}.json`),
                  catalog.byVersion.get(version.version)!.canonical,
                ),
              ),
            ),
          ),
        );
        // the JSON Schemas of the artifacts, public definitions: every site, each bundle too
        const schemaFolder = mkdir(join(dir, 'schemas'), { recursive: true }).then(() =>
          Promise.all(
            [...schemas].map(([name, text]) =>
              listed(join(dir, 'schemas', name), writeFile(join(dir, 'schemas', name), text)),
            ),
          ),
        );
        return [
          ...(site.folder === '' && !refreshed ? [writeFile(join(dir, PUBLISHED_REPORT), reportText())] : []),
          // a bundle's folder is made here when its pages have not made it yet
          ...(logo
            ? [mkdir(dir, { recursive: true }).then(() => copyFile(join(root, logo.source), join(dir, logo.href)))]
            : []),
          ...tuples,
          dictionaries,
          schemaFolder,
        ];
      }),
    ).then(() => downloadFiles),
  );

  // 4–5. pages into the staging folder and, at the same time, the executive one-pagers (both
  //      render the one site model), written into it as each is drawn
  const overflows: OnePagerOverflowError[] = [];
  // every site's one-pagers, each linking to its own annexes: a bundle's PDF is rendered on its base URL
  const jobs: (OnePagerJob & { site: string; file: string })[] = sites.flatMap((site) =>
    site.model.tuples.map((tuple) => ({
      tuple,
      siteUrl: site.model.site_url,
      site: site.folder,
      file: join(site.folder, 'readback', `${tuple.tuple_id}.pdf`),
    })),
  );
  for (const folder of new Set(jobs.map((job) => dirname(join(staging, job.file)))))
    mkdirSync(folder, { recursive: true });
  let rendered = 0;
  // what each PDF's render thread read back from it, by the SHA-256 of its bytes, for the link
  // check and verify below (a file changed since has other bytes and is read again)
  const readings = new PdfReadings();
  // one-pagers an earlier build rendered from the same page, URL, size and tool are reused as they are
  const cache = new OnePagerCache(join(root, ONE_PAGER_CACHE), tool);
  // a one-pager is made of its tuple's page, keyed by the SHA-256 of that page's JSON text, taken
  // as the site model's text was written (src/core/model-text.ts), not made again
  const pageHashes = new Map(
    pageIndex.flatMap(({ site, pages }) => pages.tuples.map(([id, hash]) => [`${site ?? ''}\0${id}`, hash])),
  );
  const keys = new Map(
    jobs.map((job) => [
      job.file,
      cache.key({ tuple: pageHashes.get(`${job.site}\0${job.tuple.tuple_id}`)!, siteUrl: job.siteUrl, size }),
    ]),
  );
  const uncached: typeof jobs = [];
  const toCache: [key: string, pdf: Uint8Array, reading: PdfReading][] = [];
  // written on libuv's threads, as the downloads are; the one-pagers move in once all are
  const pdfFiles = filesWritten();
  // a build that stops waits for the one-pagers' files written, those of the cache now and (once
  // the one-pagers below have stopped) those drawn
  stops.push(pdfFiles.settled);
  for (const job of jobs) {
    const cached = cache.get(keys.get(job.file)!);
    if (!cached) {
      uncached.push(job);
      continue;
    }
    pdfFiles.link(cache.fileOf(keys.get(job.file)!), join(staging, job.file), cached.pdf);
    readings.remember(cached.pdf, cached.reading);
    options.onProgress?.('one-pagers (and pages)', ++rendered, jobs.length, job.file);
  }
  result.onePagers = { rendered: uncached.length, reused: jobs.length - uncached.length, drawn: 0 };
  const toRender = withCopies(uncached);
  // a rebuild draws few one-pagers, if any: this thread is then free while the site is verified,
  // and the verify work may be split between two workers (startVerifying)
  const fewToDraw = toRender.length * 10 <= jobs.length;
  // a second worker (about half a second of a core to start) for the bundles only when they are a
  // sizable part of the work: a rebuild that keeps all but a few whole checks those few alongside
  const bundleTuples = sites.slice(1).reduce((n, site) => n + site.model.tuples.length, 0);
  const splitVerify = fewToDraw && bundleTuples * 4 >= sites[0]!.model.tuples.length;
  // then the verify worker starts loading now, while the pages render, to be ready when they are
  // built; a build that draws its one-pagers meanwhile starts it once the pages are built, so that
  // it does not hold its memory the whole time (with --tuple it starts once the kept tuples are put back)
  let verifyEarly = !refreshed && fewToDraw ? startVerifying(staging, kept, sites, splitVerify) : null;
  if (verifyEarly) {
    stops.push(verifyEarly.stop);
    // a rebuild's downloads are written long before its pages: they are read meanwhile
    downloads.then(verifyEarly.downloadsIn, noop);
  }
  // the reconcile's artifacts and cache (keepReconciled), once the verify workers are on their way
  keepReconciled();
  // the PDF renderer loads now
  const { renderOnePagers } = await import('../pdf/pool.ts');
  const pdfs = underWay(
    renderOnePagers(
      toRender,
      size,
      (job, pdf, reading, drawn) => {
        if (drawn) result.onePagers!.drawn++;
        pdfFiles.write(join(staging, job.file), pdf);
        readings.remember(pdf, reading);
        // kept for later builds only once this one has verified what it publishes
        toCache.push([keys.get((job as (typeof jobs)[number]).file)!, pdf, reading]);
        options.onProgress?.('one-pagers (and pages)', ++rendered, jobs.length, job.file);
      },
      (overflow) => overflows.push(overflow),
      undefined,
      // when the pages are built their core is free: the one-pagers still waiting take it as well
      // (and if they fail, the one-pagers stop: nothing will be published). Not on two cores: there
      // the search index's two processes and the downloads take that core as soon as the pages are
      // built, and a render thread (about a second of loading before its first one-pager) beside
      // them made the build slower, not faster (docs/PERFORMANCE.md)
      { threads: availableParallelism() > 2 ? 1 : 0, when: pages.done },
    ),
  );
  stops.push(pdfFiles.settled);
  const { rendered: pagesRendered } = await pages.done;
  await Promise.all([internalPageFolders.tidy(), bundlePageFolders.tidy()]);
  // the pages of a kept bundle Astro had to render after all (it no longer had them): the bundle
  // is kept as published, and nothing of it may be in the staging folder when it moves in
  for (const folder of keptBundles.keys()) rmSync(join(staging, folder), { recursive: true, force: true });
  phase('astro pages (PDFs rendering beside them)');
  if (!refreshed && !verifyEarly) {
    verifyEarly = startVerifying(staging, kept, sites, splitVerify);
    stops.push(verifyEarly.stop);
    downloads.then(verifyEarly.downloadsIn, noop);
  }

  // 7. offline search over the glossary (no external service), one index per site over its own
  //    pages (the internal site's leaves out the bundles inside it: they have their own), written
  //    by a worker thread as soon as the pages are final: pagefind's process indexes them while
  //    the one-pagers finish, the downloads are written and this thread checks the site. With
  //    --tuple the kept tuples' pages are put back after the downloads, so it starts then. A build
  //    that stops before it ends waits for it (it writes into the staging folder, which goes)
  //    Two workers, each with a pagefind process of its own, share the sites: the internal site's
  //    index is as much work as all the bundles' together (each bundle a small index, but one
  //    more set of files to write)
  const searchCache = { folder: join(root, SEARCH_CACHE_FOLDER), tool: identityWith(tool, PACKAGE_ROOT, ['pagefind']) };
  let searchKept: Promise<unknown> = Promise.resolve();
  const startSearchIndex = () => {
    const searchSites = sites.map((site) => {
      const dir = join(staging, site.folder);
      return {
        name: site.folder,
        outputPath: join(dir, 'pagefind'),
        pages: ownPages(dir, sites).map((file) => ({ url: urlPathOf(dir, file), file })),
      };
    });
    const groups = [searchSites.slice(0, 1), searchSites.slice(1)].filter((group) => group.length > 0);
    const runs = groups.map((group) => writeSearchIndexes({ sites: group, cache: searchCache }));
    const kept = Promise.all(runs.map((run) => run.kept));
    // a build that stops waits for both workers: one failing does not stop the other writing
    const written = Promise.all(runs.map((run) => run.written)).then((reused) => {
      const count = reused.reduce((a, b) => a + b, 0);
      result.rebuild = { ...result.rebuild!, searchIndexes: { written: sites.length - count, reused: count } };
    });
    searchKept = underWay(kept);
    return underWay(written, Promise.allSettled(runs.map((run) => run.written)));
  };
  const searchIndex = refreshed ? null : startSearchIndex();
  // the folders of the last site (page-folders.ts) this build leaves empty go before the verify
  // worker checks the site (it takes every tuples/<id>/ folder for a published tuple): once the
  // downloads are written, but those the one-pagers and the search index are still written in
  const prunedBeforeVerify = async () => {
    await downloads.then(noop, noop);
    await internalPageFolders.prune([searchFolderOf(''), 'readback']);
  };
  // the search indexes' folders, which the verify worker and the link check read once they are written
  const searchFolders = sites.map((site) => searchFolderOf(site.folder));
  // the verify worker, loaded meanwhile, reads the pages now; the downloads once they are written
  // and the search indexes' files once those are, while this thread still draws one-pagers (with
  // --tuple, once the kept tuples are put back, below)
  if (verifyEarly) {
    await prunedBeforeVerify();
    verifyEarly.pagesIn();
    searchIndex?.then(verifyEarly.searchIndexesIn, noop);
  }

  await pdfs;
  await downloads;
  if (overflows.length > 0) {
    // a readback too long for one page: nothing is published, and nothing is cut silently
    const once = new Map(overflows.map((overflow) => [overflow.tupleId, overflow]));
    return refuse(
      [...once.values()].map((overflow) =>
        problem(
          'READBACK_OVERFLOW',
          overflow.message,
          { file: `content/tuples/${overflow.tupleId}/readback.md` },
          undefined,
          { actual: `${overflow.pages} pages`, expected: '1 page' },
        ),
      ),
    );
  }
  await pdfFiles.written();
  phase('pdfs (the rest of their time, the downloads written beside them)');

  // the whole report the internal site was built from, so a later --tuple build can keep the rest
  // (the reconcile's own JSON, written with the downloads, unless --tuple merged it)
  if (refreshed) {
    writeFileSync(join(staging, PUBLISHED_REPORT), reportJson(report));
    const moved = keepPublishedTuples(
      dist,
      staging,
      sites.map((site) => ({ folder: site.folder, tuples: site.model.tuples.map((t) => t.tuple_id) })),
      refreshed,
    );
    if (moved.length > 0) return refuse(moved);
  }
  const search = searchIndex ?? startSearchIndex();
  phase('the report (and, with --tuple, the kept tuples)');

  // 8–9. while pagefind (a process of its own) writes the search indexes: the auditor's replay of
  //    every hash and shown value from the staged files alone (each bundle as the site it is alone;
  //    nothing it reads is written after this), the PDFs' numbers, and every page and PDF read for
  //    its links; the search index's files are read for links once they are written. Each PDF's
  //    links and text are those its render thread read from the same bytes
  const pdfLinks = async (bytes: Uint8Array) => (await readings.read(bytes)).links;
  const verifying = verifyEarly ?? startVerifying(staging, kept, sites, splitVerify);
  if (!verifyEarly) {
    stops.push(verifying.stop);
    await prunedBeforeVerify();
    verifying.pagesIn();
    verifying.downloadsIn(await downloads);
  }
  // the numbers each one-pager shows, checked by the worker from its text as read when it was
  // rendered (when its bytes are still the ones read then) while this thread checks the links
  verifying.onePagersIn(readings.texts());
  // the pages as the verify worker read them (unchanged since: nothing writes them after the
  // pages' build); the rest (the PDFs' links) is indexed here meanwhile
  const index = await indexSite(staging, pdfLinks, { folders: searchFolders, until: search }, verifying.pages);
  const pagesRead = await verifying.pages;
  // the kept bundles' pages, as the build that published them indexed them: the internal site's
  // links may reach them, and its anchor list holds theirs
  for (const record of keptBundles.values())
    for (const [path, ids] of record.pages) index.pages.set(path, new Set(ids));
  result.rebuild = { ...result.rebuild!, pages: { rendered: pagesRendered, reused: pagesRead.size - pagesRendered } };
  phase('search index, and beside it the site verified and read for links');
  const split = splitIndex(index, [...bundleFolders(sites)]);
  // what a site's links are checked against: a bundle alone; the internal site with the bundles' pages as targets only
  const siteIndex = (site: PublishedSite) => (site.folder ? split.inner.get(site.folder)! : split.outer);
  const broken = sites.flatMap((site) => brokenLinks(siteIndex(site), site.model.site_url));
  if (broken.length > 0) return refuse(broken);
  for (const site of sites.slice(1)) {
    const own = anchorList(siteIndex(site));
    writeFileSync(join(staging, site.folder, 'anchors.json'), `${JSON.stringify(own, null, 1)}\n`);
  }
  // the internal list holds every anchor of the folder, the bundles' too
  const anchors = anchorList(index);
  const previousAnchors = join(dist, 'anchors.json');
  if (existsSync(previousAnchors) && !options.allowAnchorRemoval) {
    const retired = new Set(
      model.diffs.flatMap((d) =>
        d.findings.filter((f) => f.rule === 'METRIC_REMOVED_AFTER_SUNSET').map((f) => f.metric_id),
      ),
    );
    const lost = removedAnchors(JSON.parse(readFileSync(previousAnchors, 'utf8')) as string[], anchors, retired);
    if (lost.length > 0) return refuse(lost);
  }
  writeFileSync(join(staging, 'anchors.json'), `${JSON.stringify(anchors, null, 1)}\n`);
  phase('links and anchors');

  // 9. a sum for every file, each bundle with its own list, and every file checked against it;
  //    what verify found above is reported here, after the links, as a whole
  const {
    result: verified,
    onePagers: pdfNumbers,
    verdicts,
    onePagerVerdicts,
    pagesRead: pageReads,
  } = await verifying.complete();
  const unverified = [...verified.problems, ...pdfNumbers.problems];
  if (unverified.length > 0) return refuse(unverified);
  // what the verify workers read of each page, for the next build: written while this step goes on
  const pageReadsKept = keepPageReads(kept.pageReads.file, kept.pageReads.tool, pageReads);
  phase('verify (every file against SHA256SUMS, and what was found beside the search index)');

  // the search indexes kept for the next build are links into the staging folder: made before it moves
  await searchKept;
  // every file is written, checked and kept: the rest of the folders taken from the last site that hold none go
  await internalPageFolders.prune();
  // 10. publish: the old site is replaced only once the new one is complete
  const previous = `${dist}.previous`;
  rmSync(previous, { recursive: true, force: true });
  // the kept bundles move from the old site into the new one first (noted, so that a build stopped
  // meanwhile has them put back by the next)
  moveKeptBundles(folders.staging, staging, dist, [...keptBundles.keys()]);
  if (existsSync(dist)) renameSync(dist, previous);
  moveInto(staging, dist);
  // the old site is removed by a process of its own, which the build does not wait for
  // (its folders kept for the next build, but the partner bundles': a bundle kept whole moves in with its own)
  removeInBackground(root, previous, basename(folders.staging), [PARTNERS_FOLDER]);
  // the model of the site last published from this workspace, for tools that read it (replaced whole)
  mkdirSync(dirname(lastModel), { recursive: true });
  renameSync(folders.model, lastModel);
  // and its bundles' models, where the pages look for them beside it (src/site/data.ts)
  const lastBundles = dirname(partnerModelPath(lastModel, 'any'));
  rmSync(lastBundles, { recursive: true, force: true });
  if (model.partners.length > 0) renameSync(dirname(partnerModelPath(folders.model, 'any')), lastBundles);
  // every bundle as published, for the next build to keep: its files as they are in place now
  const bundlePages = pagesByBundle(index.pages, [...bundleKeys.keys()]);
  keepBundleRecords(
    bundleRecords,
    [...bundleKeys].map(([folder, known]): [string, BundleRecord] => [
      folder,
      {
        ...(keptBundles.get(folder) ?? { files: stampedFilesNow(join(dist, folder)), pages: bundlePages.get(folder)! }),
        ...known,
        model: fileStamp(partnerModelPath(lastModel, folder.slice(PARTNERS_FOLDER.length + 1))),
      },
    ]),
  );
  for (const [key, pdf, reading] of toCache) cache.put(key, pdf, reading);
  cache.prune();
  store.save();
  new SearchIndexCache(searchCache.folder).prune();
  dictionaryCache.prune();
  keepRendered(markdownCache, markdownTool);
  words.save();
  keepVerdicts(verdictCache.file, [...verdicts, ...onePagerVerdicts]);
  await pageReadsKept;
  result.rebuild = {
    ...result.rebuild!,
    verified: checks(verdicts),
    onePagerChecks: checks(onePagerVerdicts),
    downloads: { written: store.counts.written, reused: store.counts.linked },
  };
  phase('publish (the old site replaced, the one-pagers kept for the next build)');
  result.published = {
    dist,
    tuples: model.tuples.length,
    metrics: model.glossary.length,
    links: index.links.length,
    hashes: verified.checked.length + pdfNumbers.checked.length,
  };
  return result;
}
