/**
 * The published site's link graph: every page, its anchors, and every link in pages and PDFs
 * (docs/reference/site.md: links resolve, anchors are stable).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import { folderHolding } from '../core/partner-bundles.ts';
import { problem, type Problem } from '../core/problems.ts';

export interface SiteIndex {
  /** url path → anchor ids on it (files that are not HTML have none) */
  pages: Map<string, Set<string>>;
  /** every link found: where it is and where it points */
  links: { from: string; href: string }[];
}

/** Every file below `dir`, as `join(dir, …)` writes its path, in the order the folders list them (see verify.ts `walk`). */
function walk(dir: string): string[] {
  const files: string[] = [];
  const visit = (folder: string, top: boolean) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      // below the first level the folder's path is joined already: what join adds is a separator
      const path = top ? join(folder, entry.name) : `${folder}${sep}${entry.name}`;
      if (entry.isDirectory()) visit(path, false);
      else files.push(path);
    }
  };
  visit(dir, true);
  return files;
}

/**
 * An attribute's or element's text as a browser reads it: the character references a page writes
 * (numeric, `&quot;`, `&lt;`, `&gt;`, `&amp;`, this last one last) decoded. Most hold none: a page
 * of the bench site holds some 44,000 attribute values, each of which went through every
 * replacement.
 */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(parseInt(code, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export function urlPathOf(dist: string, file: string): string {
  const rel = relativeBelow(dist, file).split(sep).join('/');
  if (rel === 'index.html') return '/';
  return rel.endsWith('/index.html') ? `/${rel.slice(0, -'index.html'.length)}` : `/${rel}`;
}

/**
 * `relative(dir, file)` for a file whose path is `dir`'s (absolute, normalized), a separator and a
 * path below it with nothing to resolve (as `walk` writes them): cut, not resolved (the link check
 * takes the path of each of a site's thousands of files). Any other path as `relative` gives it.
 */
function relativeBelow(dir: string, file: string): string {
  if (dir !== checkedDir) {
    checkedDir = dir;
    dirIsPlain = isAbsolute(dir) && normalize(dir) === dir && !dir.endsWith(sep);
  }
  const below = file.slice(dir.length + 1);
  if (dirIsPlain && file[dir.length] === sep && file.startsWith(dir) && below !== '' && !UNRESOLVED.test(below))
    return below;
  return relative(dir, file);
}
let checkedDir: string | undefined;
let dirIsPlain = false;
/** A path with an empty, `.` or `..` part (or a separator at either end), which `relative` resolves. */
const UNRESOLVED = sep === '/' ? /(^|\/)\.{0,2}(\/|$)/ : /(^|[\\/])\.{0,2}([\\/]|$)/;

/** What one file of a site holds: its url path, the anchor ids in it and the links it holds. */
export interface IndexedFile {
  path: string;
  ids: Set<string>;
  links: SiteIndex['links'];
}

/** The file at url path `path`, with the anchor ids in it and the links it holds, in order. */
export function indexedFile(path: string, ids: Iterable<string>, hrefs: readonly string[]): IndexedFile {
  return { path, ids: new Set(ids), links: hrefs.map((href) => ({ from: path, href })) };
}

/** An HTML page of the site in `dist`, at `file`, indexed from its text. */
export function indexPage(dist: string, file: string, html: string): IndexedFile {
  const ids = [...html.matchAll(/\sid="([^"]*)"/g)].map((match) => decodeEntities(match[1]!));
  const hrefs = [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((match) => decodeEntities(match[1]!));
  return indexedFile(urlPathOf(dist, file), ids, hrefs);
}

/** One file of a site: its url path, the anchor ids in it and the links it holds. */
async function indexFile(
  dist: string,
  file: string,
  pdfLinks: (bytes: Uint8Array) => Promise<string[]>,
): Promise<IndexedFile> {
  if (file.endsWith('.html')) return indexPage(dist, file, readFileSync(file, 'utf8'));
  const path = urlPathOf(dist, file);
  const links: SiteIndex['links'] = [];
  if (file.endsWith('.pdf')) for (const href of await pdfLinks(readFileSync(file))) links.push({ from: path, href });
  return { path, ids: new Set(), links };
}

/**
 * The index of every file in `dist`. With `later`, the files below its folders (relative to
 * `dist`) are listed and indexed only once `until` has settled, so the rest is read while something
 * else still writes there (the search index); nothing may be written outside those folders
 * meanwhile, as the rest is listed once, at the start.
 * `known` holds files already indexed (by their path), unchanged since: pages another thread read
 * (src/publish/verify-worker.ts). While it is still a promise, the other files are indexed (the
 * PDFs' links, the listing), and the pages are left for it.
 */
export async function indexSite(
  dist: string,
  pdfLinks: (bytes: Uint8Array) => Promise<string[]>,
  later?: { folders: readonly string[]; until: Promise<unknown> },
  known?: ReadonlyMap<string, IndexedFile> | Promise<ReadonlyMap<string, IndexedFile>>,
): Promise<SiteIndex> {
  const deferred = new Set(later?.folders ?? []);
  const pending = known instanceof Promise ? known : null;
  const read = new Map<string, IndexedFile>(pending ? [] : (known as ReadonlyMap<string, IndexedFile> | undefined));
  let files = walk(dist);
  if (later) {
    // the folder is listed once: then only the deferred folders are listed again, once written
    files = files.filter((file) => !folderHolding(relativeBelow(dist, file).split(sep).join('/'), deferred)).sort();
    for (const file of files)
      if (!read.has(file) && !(pending && file.endsWith('.html')))
        read.set(file, await indexFile(dist, file, pdfLinks));
  }
  if (pending) for (const [file, indexed] of await pending) read.set(file, indexed);
  if (later) {
    await later.until;
    for (const folder of deferred) if (existsSync(join(dist, folder))) files.push(...walk(join(dist, folder)));
  }
  const pages = new Map<string, Set<string>>();
  const links: SiteIndex['links'] = [];
  for (const file of files.sort()) {
    const indexed = read.get(file) ?? (await indexFile(dist, file, pdfLinks));
    pages.set(indexed.path, indexed.ids);
    for (const link of indexed.links) links.push(link);
  }
  return { pages, links };
}

/**
 * A site's index split among the sites inside it (its partner bundles, at folders such as
 * `partners/acme`), in one pass over its pages and links: each inner site's own index, its paths
 * taken from its folder (docs/reference/site.md), and the outer site's, which holds every page
 * (the inner sites are deployed inside it) and the links of its own pages only.
 */
export function splitIndex(
  index: SiteIndex,
  folders: readonly string[],
): { outer: SiteIndex; inner: Map<string, SiteIndex> } {
  const inner = new Map<string, SiteIndex>(folders.map((folder) => [folder, { pages: new Map(), links: [] }]));
  const names = new Set(folders);
  /** the inner site a path is in, and the path from its folder; null for the outer site's own */
  const placed = (path: string): [SiteIndex, string] | null => {
    const held = folderHolding(path, names);
    return held ? [inner.get(held.folder)!, held.rest] : null;
  };
  const outer: SiteIndex = { pages: index.pages, links: [] };
  for (const [path, ids] of index.pages) {
    const at = placed(path);
    if (at) at[0].pages.set(at[1], ids);
  }
  for (const link of index.links) {
    const at = placed(link.from);
    if (at) at[0].links.push({ ...link, from: at[1] });
    else outer.links.push(link);
  }
  return { outer, inner };
}

/**
 * Every link is to the site itself (relative, root-relative or absolute on `siteUrl`), and reaches
 * a page and, if it names one, an anchor. Content never links readers elsewhere. A site served
 * below a path (a partner bundle at `https://host/partners/acme`) has its files at that path: a
 * link must stay below it.
 */
export function brokenLinks(index: SiteIndex, siteUrl: string): Problem[] {
  const broken: Problem[] = [];
  const base = new URL(`${siteUrl.replace(/\/+$/, '')}/`);
  const basePath = decodeURIComponent(base.pathname);
  // a page's links are resolved against its own URL, made once per page
  const pageUrls = new Map<string, URL>();
  const pageUrl = (from: string) => pageUrls.get(from) ?? pageUrls.set(from, new URL(from.slice(1), base)).get(from)!;
  /** why a link is broken, or null when it is not */
  const whyBroken = (from: string, href: string): string | null => {
    let url: URL;
    try {
      url = new URL(href, pageUrl(from));
    } catch {
      return 'not a valid URL';
    }
    if (url.protocol === 'mailto:') return null;
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      return `links use only http(s), mailto or relative paths, not ${url.protocol}`;
    const fullPath = decodeURIComponent(url.pathname);
    if (url.origin !== base.origin || !fullPath.startsWith(basePath))
      return `links go only to the configured site (${base.href}) or are relative`;
    const path = `/${fullPath.slice(basePath.length)}`;
    const ids = index.pages.get(path) ?? index.pages.get(path.endsWith('/') ? path : `${path}/`);
    if (!ids) return `no page ${path}`;
    const anchor = decodeURIComponent(url.hash.slice(1));
    return anchor && !ids.has(anchor) ? `${path} has no anchor #${anchor}` : null;
  };
  // the same link from pages of one folder resolves alike (but one to a part of its own page), and
  // a link written from the root or with a scheme alike from every page: each is resolved once (a
  // site of 2,500 pages holds some hundreds of thousands of links, most of them the same few thousand)
  const verdicts = new Map<string, string | null>();
  for (const { from, href } of index.links) {
    const fromAnywhere = (href.startsWith('/') && !href.startsWith('//')) || /^[a-z][a-z0-9+.-]*:/i.test(href);
    // a link to a part of its own page (`#id`, `?q`, or empty) resolves from that page alone
    const ownPage = href === '' || href.startsWith('#') || href.startsWith('?');
    const key = fromAnywhere ? href : `${ownPage ? from : from.slice(0, from.lastIndexOf('/') + 1)}\0${href}`;
    let why = verdicts.get(key);
    if (why === undefined) verdicts.set(key, (why = whyBroken(from, href)));
    if (why !== null)
      broken.push(problem('BROKEN_LINK', `${href}: ${why}`, { file: from }, undefined, { actual: href }));
  }
  return broken;
}

/** Every `page#anchor` published, sorted: the list a later build must keep. */
export function anchorList(index: SiteIndex): string[] {
  const list: string[] = [];
  for (const [path, ids] of index.pages) for (const id of ids) list.push(`${path}#${id}`);
  return list.sort();
}
