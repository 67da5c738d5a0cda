import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RECONCILE_CACHE_FILE } from '../src/io/reconcile-cache.ts';
import { PAGE_READS_FILE, type PageRead } from '../src/publish/page-reads.ts';
import { SKELETON_FOLDER } from '../src/publish/remove-later.ts';
import { SEARCH_CACHE_FOLDER } from '../src/publish/search-cache.ts';
import { buildSite } from './helpers/site.ts';
import { copyWorkspace, editCell, editExport, fileSums } from './helpers/workspace.ts';

const ACME = 'acme-2026-q2';
const INITECH = 'initech-2026-06';

/** Every folder below `dir`, relative to it, sorted: an empty one shows here and in no list of files. */
function foldersBelow(dir: string, below = ''): string[] {
  return readdirSync(join(dir, below), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const rel = below ? `${below}/${entry.name}` : entry.name;
      return [rel, ...foldersBelow(dir, rel)];
    })
    .sort();
}

/** The partner bundles' folders of a published site (`partners/<partner_id>`), sorted. */
const bundlesOf = (dist: string) =>
  readdirSync(join(dist, 'partners'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `partners/${entry.name}`)
    .sort();

/** How many pages (HTML files) a site publishes below `folder` (all of them by default). */
const pagesIn = (dist: string, folder = '') =>
  [...fileSums(dist).keys()].filter((file) => file.startsWith(folder) && file.endsWith('.html')).length;

/** Each file's inode: a file kept as published keeps its own. */
const inodes = (dist: string) =>
  new Map([...fileSums(dist).keys()].map((file) => [file, statSync(join(dist, file)).ino]));

/**
 * The folders of the site the last build replaced, once the process removing its files has left
 * them for the next build (src/publish/remove-later.ts): waited for, so a test takes that path.
 */
async function skeletonKept(root: string): Promise<string> {
  const skeleton = join(root, SKELETON_FOLDER);
  for (let waited = 0; !existsSync(skeleton); waited += 50) {
    expect(waited).toBeLessThan(20_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return skeleton;
}

/** The workspace as it is now, built with nothing kept from an earlier build. */
async function cleanBuildOf(root: string) {
  const clean = copyWorkspace(root);
  const settings = join(root, 'readback.config.yaml');
  if (existsSync(settings)) copyFileSync(settings, join(clean, 'readback.config.yaml'));
  rmSync(join(clean, '.readback'), { recursive: true, force: true });
  rmSync(join(clean, 'dist'), { recursive: true, force: true });
  const fresh = await buildSite(clean);
  expect(fresh.status, fresh.stderr).toBe(0);
  expect(fresh.result.rebuild?.pages?.reused).toBe(0);
  expect(fresh.result.rebuild?.searchIndexes?.reused).toBe(0);
  expect(fresh.result.rebuild?.tuples?.reused).toBe(0);
  expect(fresh.result.rebuild?.bundles?.reused).toBe(0);
  return fresh;
}

describe('reconciled tuples, pages and search indexes reused by content', () => {
  it('renders only the pages whose inputs changed, and publishes what a clean build publishes', async () => {
    const root = copyWorkspace();
    const first = await buildSite(root);
    expect(first.status, first.stderr).toBe(0);
    const pages = first.result.rebuild!.pages!;
    const indexes = first.result.rebuild!.searchIndexes!;
    // the sample: the internal site and three bundles, each with an index
    expect(pages).toMatchObject({ reused: 0 });
    expect(pages.rendered).toBeGreaterThan(50);
    expect(indexes).toEqual({ written: 4, reused: 0 });
    // the pages Astro keeps for the next build are hard links to the pages written, not copies
    // (src/publish/astro-page-links.ts): another Astro whose cache is not what it expects fails here
    expect(statSync(join(first.dist, 'annex', ACME, 'index.html')).nlink).toBeGreaterThanOrEqual(2);
    const before = fileSums(first.dist);
    const bundles = bundlesOf(first.dist);
    expect(bundles).toHaveLength(3);
    expect(first.result.rebuild!.bundles).toEqual({ built: 3, reused: 0 });
    const internalPages = bundles.reduce((n, bundle) => n - pagesIn(first.dist, `${bundle}/`), pagesIn(first.dist));
    const firstFiles = inodes(first.dist);
    // each bundle's site model, as the build leaves it for tools that read it
    const models = join(root, '.readback', 'site', 'partners');
    const modelFiles = () => new Map(readdirSync(models).map((name) => [name, statSync(join(models, name)).ino]));
    const firstModels = modelFiles();
    expect(firstModels.size).toBe(3);

    // nothing changed: the three partner bundles are kept as published, their very files moved
    // into the new site; of the internal site every page with a key is reused (the three pages
    // without one are rendered: the leadership and partner lists and the dictionary diff's index),
    // its search index too
    const again = await buildSite(root);
    expect(again.status, again.stderr).toBe(0);
    expect(again.result.rebuild!.bundles).toEqual({ built: 0, reused: 3 });
    expect(again.result.rebuild!.pages).toEqual({ rendered: 3, reused: internalPages - 3 });
    expect(again.result.rebuild!.searchIndexes).toEqual({ written: 0, reused: 1 });
    expect(again.result.rebuild!.tuples).toEqual({ reconciled: 0, reused: 3 });
    // every site's checks of every tuple passed on these very files: told as passed, not run again
    const checks = first.result.rebuild!.verified!;
    expect(checks).toEqual({ checked: 6, reused: 0 }); // three tuples internally, each in its partner's bundle
    expect(again.result.rebuild!.verified).toEqual({ checked: 0, reused: 3 });
    // and so were the numbers each one-pager shows: its bytes and its tuple's files are the same
    expect(first.result.rebuild!.onePagerChecks).toEqual({ checked: 6, reused: 0 });
    expect(again.result.rebuild!.onePagerChecks).toEqual({ checked: 0, reused: 3 });
    expect(fileSums(again.dist)).toEqual(before);
    const againFiles = inodes(again.dist);
    for (const [file, inode] of againFiles)
      if (bundles.some((bundle) => file.startsWith(`${bundle}/`)))
        expect([file, inode]).toEqual([file, firstFiles.get(file)]);
    // made of the same inputs, the kept bundles' models were not built again: the files are the same
    expect(modelFiles()).toEqual(firstModels);

    // the folders of the site it replaced, emptied in the background, wait for the next build
    // (src/publish/remove-later.ts): that build takes them as they are
    const skeleton = await skeletonKept(root);
    const acmeFolder = statSync(join(skeleton, 'annex', ACME)).ino;
    expect(existsSync(join(skeleton, 'annex', ACME, 'index.html'))).toBe(false);

    // acme's exports change (both sides agree): its pages and the lists that show its values are
    // rendered again, in the internal site and in its partner's bundle; the glossary is not
    for (const side of ['leadership', 'partner'] as const)
      editExport(root, ACME, side, (text) => editCell(text, 1, 'm.orders.shipped', (old) => String(Number(old) + 10)));
    const changed = await buildSite(root);
    expect(changed.status, changed.stderr).toBe(0);
    expect(statSync(join(changed.dist, 'annex', ACME)).ino).toBe(acmeFolder);
    const rerendered = changed.result.rebuild!.pages!.rendered;
    // annex, readback and leadership page internally, annex and readback in the bundle, the two
    // sites' indexes, and the three pages without a key: the bundle's other pages are reused,
    // though the last build kept the bundle whole and put none of them in place
    expect(rerendered).toBe(10);
    // acme's partner's bundle is built again, the other two kept
    expect(changed.result.rebuild!.bundles).toEqual({ built: 1, reused: 2 });
    expect(changed.result.rebuild!.searchIndexes).toEqual({ written: 0, reused: 2 });
    // only acme is reconciled again: nothing the other two read has changed
    expect(changed.result.rebuild!.tuples).toEqual({ reconciled: 1, reused: 2 });
    // acme is checked again, in the internal site and in its bundle
    expect(changed.result.rebuild!.verified).toEqual({ checked: 2, reused: 2 });
    const acmeBundle = bundles.filter((bundle) => existsSync(join(changed.dist, bundle, 'annex', ACME)));
    expect(acmeBundle).toHaveLength(1);
    const acmeModel = `${acmeBundle[0]!.slice('partners/'.length)}.json`;
    for (const [name, inode] of modelFiles()) expect(inode === firstModels.get(name)).toBe(name !== acmeModel);
    const changedFiles = inodes(changed.dist);
    for (const bundle of bundles) {
      const own = [...changedFiles].filter(([file]) => file.startsWith(`${bundle}/`));
      const same = own.filter(([file, inode]) => againFiles.get(file) === inode).length;
      // a kept bundle is the very files published; a built one's are written anew (but the pages
      // reused from the page cache, which are the kept pages linked into place)
      if (bundle === acmeBundle[0]) expect(same).toBeLessThan(own.length - 10);
      else expect([bundle, same]).toEqual([bundle, own.length]);
    }
    const fresh = await cleanBuildOf(root);
    expect(fileSums(changed.dist)).toEqual(fileSums(fresh.dist));
    expect(fileSums(changed.dist)).not.toEqual(before);
    expect(foldersBelow(changed.dist)).toEqual(foldersBelow(fresh.dist));
  }, 300_000);

  it('renders every page again when what every page shows changes, and writes the search indexes again', async () => {
    const root = copyWorkspace();
    const first = await buildSite(root);
    expect(first.status, first.stderr).toBe(0);
    const total = first.result.rebuild!.pages!.rendered;
    // the program's name (readback.config.yaml) is in every page's header, the indexed ones too
    writeFileSync(join(root, 'readback.config.yaml'), 'title: Partner KPI program\n');
    const changed = await buildSite(root);
    expect(changed.status, changed.stderr).toBe(0);
    expect(changed.result.rebuild!.pages).toEqual({ rendered: total, reused: 0 });
    expect(changed.result.rebuild!.searchIndexes).toEqual({ written: 4, reused: 0 });
    expect(changed.result.rebuild!.bundles).toEqual({ built: 3, reused: 0 });
    const fresh = await cleanBuildOf(root);
    expect(fileSums(changed.dist)).toEqual(fileSums(fresh.dist));
  }, 300_000);

  it('keeps each keyed page once, side by side, and drops the kept pages of a tuple no longer built', async () => {
    const root = copyWorkspace();
    const first = await buildSite(root);
    expect(first.status, first.stderr).toBe(0);
    // one folder of kept pages per output folder, its pages side by side (astro-page-links.ts)
    const [cache] = readdirSync(join(root, '.readback', 'cache', 'pages'));
    const keptFolder = join(root, '.readback', 'cache', 'pages', cache!, 'pages');
    const kept = () => readdirSync(keptFolder);
    expect(kept().every((name) => /^[0-9a-f]{64}\.html$/.test(name))).toBe(true);
    // nothing changed: every kept page is reused, and only the pages Astro renders without a key
    // (those with no getStaticPaths) are rendered again
    const same = await buildSite(root);
    expect(same.status, same.stderr).toBe(0);
    const unkeyed = same.result.rebuild!.pages!.rendered;
    expect(unkeyed).toBeLessThan(5);
    // (the bundles' pages too: kept as published, they are neither rendered nor put in place, but
    // stay in the cache for the build that changes them)
    expect(same.result.rebuild!.bundles).toEqual({ built: 0, reused: 3 });
    expect(kept()).toHaveLength(pagesIn(same.dist) - unkeyed);
    expect(kept()).toHaveLength(first.result.rebuild!.pages!.rendered - unkeyed);
    const before = kept().length;
    // the folders of the site it replaced (initech's among them, empty) are there for the next build
    await skeletonKept(root);
    expect(existsSync(join(root, SKELETON_FOLDER, 'tuples', INITECH))).toBe(true);
    rmSync(join(root, 'content', 'tuples', INITECH), { recursive: true });
    const fewer = await buildSite(root, { READBACK_ALLOW_ANCHOR_REMOVAL: '1' });
    expect(fewer.status, fewer.stderr).toBe(0);
    expect(kept().length).toBeLessThan(before);
    expect(kept()).toHaveLength(pagesIn(fewer.dist) - unkeyed);
    const fresh = await cleanBuildOf(root);
    expect(fileSums(fewer.dist)).toEqual(fileSums(fresh.dist));
    // the folders made ahead for the last build's pages (page-folders.ts): initech's are gone again
    expect(foldersBelow(fewer.dist)).toEqual(foldersBelow(fresh.dist));
    expect(foldersBelow(fewer.dist).some((folder) => folder.includes(INITECH))).toBe(false);
  }, 300_000);

  it('writes again a kept search index whose files are not the ones recorded', async () => {
    const root = copyWorkspace();
    const first = await buildSite(root);
    expect(first.status, first.stderr).toBe(0);
    const cache = join(root, SEARCH_CACHE_FOLDER);
    // each kept index's list of files (beside them, each site's pages as found: pages-<hash>.json)
    const lists = readdirSync(cache).filter((name) => /^[0-9a-f]{64}\.json$/.test(name));
    expect(lists).toHaveLength(4);
    expect(readdirSync(cache).filter((name) => /^pages-[0-9a-f]{64}\.json$/.test(name))).toHaveLength(4);
    // one file of one kept index changed in place (its published copy is the same file, linked)
    const key = lists[0]!.replace(/\.json$/, '');
    const [file] = JSON.parse(readFileSync(join(cache, lists[0]!), 'utf8')) as [string, string][];
    const tampered = join(cache, key, file![0]);
    writeFileSync(tampered, Buffer.concat([readFileSync(tampered), Buffer.from('tampered')]));
    const again = await buildSite(root);
    expect(again.status, again.stderr).toBe(0);
    // written again, whether the internal site's or a bundle's (whose published file changed in
    // place, so the bundle is built again rather than kept); the other sites built reuse theirs
    const built = 1 + again.result.rebuild!.bundles!.built;
    expect(again.result.rebuild!.bundles!.built).toBeLessThanOrEqual(1);
    expect(again.result.rebuild!.searchIndexes).toEqual({ written: 1, reused: built - 1 });
    const fresh = await cleanBuildOf(root);
    expect(fileSums(again.dist)).toEqual(fileSums(fresh.dist));
  }, 300_000);
});

describe('partner bundles kept as published', () => {
  it('builds again a bundle whose published files are not the ones recorded, and moves none before the build passes', async () => {
    const root = copyWorkspace();
    const first = await buildSite(root);
    expect(first.status, first.stderr).toBe(0);
    const [edited, added, untouched] = bundlesOf(first.dist);
    // one bundle's file changed in place, a file added to another: each is built again, and what
    // is published is what a clean build publishes (the stray file gone, the file as it should be)
    const exports = join(first.dist, edited!, 'schemas');
    const schema = join(exports, readdirSync(exports)[0]!);
    writeFileSync(schema, `${readFileSync(schema, 'utf8')} `);
    writeFileSync(join(first.dist, added!, 'stray.txt'), 'not published by a build\n');
    const again = await buildSite(root);
    expect(again.status, again.stderr).toBe(0);
    expect(again.result.rebuild!.bundles).toEqual({ built: 2, reused: 1 });
    expect(existsSync(join(again.dist, untouched!, 'index.html'))).toBe(true);
    const fresh = await cleanBuildOf(root);
    expect(fileSums(again.dist)).toEqual(fileSums(fresh.dist));

    // a build refused late, with every bundle found unchanged: a kept page of the internal site
    // changed in place (its published copy is the same file) shows a value the report does not
    // hold. Nothing is moved: the published site keeps every bundle, byte for byte
    const published = fileSums(again.dist);
    const page = join(again.dist, 'annex', ACME, 'index.html');
    const html = readFileSync(page, 'utf8');
    const value = /(<[a-z]+ [^>]*data-field="partner"[^>]*>)([^<]+)</.exec(html)!;
    writeFileSync(page, html.replace(value[0], `${value[1]}9${value[2]}<`));
    const tampered = fileSums(again.dist);
    const refused = await buildSite(root);
    expect(refused.result.problems.map((p) => p.code)).toContain('VERIFY_MISMATCH');
    expect(fileSums(again.dist)).toEqual(tampered);
    // and the models of the bundles it found unchanged are still where the last build left them
    expect(readdirSync(join(root, '.readback', 'site', 'partners')).sort()).toEqual(
      bundlesOf(again.dist).map((bundle) => `${bundle.slice('partners/'.length)}.json`),
    );
    writeFileSync(page, html);
    // and the next build keeps them still
    const kept = await buildSite(root);
    expect(kept.status, kept.stderr).toBe(0);
    expect(kept.result.rebuild!.bundles).toEqual({ built: 0, reused: 3 });
    expect(fileSums(kept.dist)).toEqual(published);
  }, 300_000);
});

describe('partner bundles kept as published, without the kept pages', () => {
  it('keeps a bundle whose pages Astro renders again, and publishes none of them twice', async () => {
    const root = copyWorkspace();
    const first = await buildSite(root);
    expect(first.status, first.stderr).toBe(0);
    const published = fileSums(first.dist);
    const folders = foldersBelow(first.dist);
    // the pages' cache gone: Astro renders every page, the kept bundles' too, which the build
    // then leaves out of its own site, as the bundles move in whole
    rmSync(join(root, '.readback', 'cache', 'pages'), { recursive: true });
    const again = await buildSite(root);
    expect(again.status, again.stderr).toBe(0);
    expect(again.result.rebuild!.bundles).toEqual({ built: 0, reused: 3 });
    expect(again.result.rebuild!.pages!.rendered).toBe(first.result.rebuild!.pages!.rendered);
    expect(fileSums(again.dist)).toEqual(published);
    expect(foldersBelow(again.dist)).toEqual(folders);
  }, 300_000);
});

describe("a tuple's checks reused by content", () => {
  it('checks again a tuple whose page is not the one that passed, and refuses it when it shows a wrong value', async () => {
    const root = copyWorkspace();
    const first = await buildSite(root);
    expect(first.status, first.stderr).toBe(0);
    // a kept page changed in place: Astro reuses it (its key is its inputs', not its bytes), and its
    // published copy is the same file. It shows a partner value the report does not hold
    const page = join(first.dist, 'annex', ACME, 'index.html');
    const html = readFileSync(page, 'utf8');
    const value = /(<[a-z]+ [^>]*data-field="partner"[^>]*>)([^<]+)</.exec(html)!;
    writeFileSync(page, html.replace(value[0], `${value[1]}9${value[2]}<`));
    rmSync(join(root, '.readback', 'reconcile'), { recursive: true, force: true });
    const again = await buildSite(root);
    expect(again.status).toBe(1);
    // its reconcile was green: the report artifact is written though the build is refused later
    expect(again.result.report?.status).toBe('green');
    expect(again.result.artifacts?.report).toBeTruthy();
    expect(JSON.parse(readFileSync(join(root, again.result.artifacts!.report), 'utf8')).status).toBe('green');
    const wrong = again.result.problems.filter((p) => p.code === 'VERIFY_MISMATCH');
    expect(wrong.map((p) => p.file)).toContain(`annex/${ACME}/index.html`);
    // nothing was published, and the verdicts of the other tuples were not what let it through
    expect(readFileSync(page, 'utf8')).not.toBe(html);
    expect(again.result.published).toBeNull();
  }, 300_000);

  it("checks each site's index in full, the entries of tuples that passed before read as JSON alone", async () => {
    const root = copyWorkspace();
    const first = await buildSite(root);
    expect(first.status, first.stderr).toBe(0);
    // the kept index (a hard link to the published one) changed in place: it shows a metric count
    // acme's report entry does not hold, while every file of acme's own is as it passed
    const index = join(first.dist, 'index.html');
    const html = readFileSync(index, 'utf8');
    const count = new RegExp(`(data-tuple-id="${ACME}" data-field="metric_count">)(\\d+)<`).exec(html)!;
    writeFileSync(index, html.replace(count[0], `${count[1]}${Number(count[2]) + 1}<`));
    const again = await buildSite(root);
    expect(again.status).toBe(1);
    const wrong = again.result.problems.filter((p) => p.code === 'VERIFY_MISMATCH');
    expect(wrong.map((p) => p.file)).toContain('index.html');
    expect(wrong.some((p) => p.actual === String(Number(count[2]) + 1) && p.expected === count[2])).toBe(true);
  }, 300_000);
});

describe('pages read by the verify workers, kept by their file', () => {
  it('takes a page that is still the file the last build read as it read it, and reads one written since', async () => {
    const root = copyWorkspace();
    const first = await buildSite(root);
    expect(first.status, first.stderr).toBe(0);
    const readsFile = join(root, PAGE_READS_FILE);
    const kept = JSON.parse(readFileSync(readsFile, 'utf8')) as { tool: string; pages: [string, PageRead][] };
    // every page published was read
    const html = [...fileSums(first.dist).keys()].filter((file) => file.endsWith('.html'));
    expect(kept.pages.map(([file]) => file).sort()).toEqual(html.sort());
    // what was read of a page the next build reuses (the glossary), altered: a link to no page
    const glossary = kept.pages.find(([file]) => file === 'glossary/index.html')![1];
    glossary.hrefs.push('/no-such-page/');
    writeFileSync(readsFile, JSON.stringify(kept));
    // the page is the same file, so the link check goes by what was read of it
    const again = await buildSite(root);
    expect(again.status).toBe(1);
    const broken = again.result.problems.filter((p) => p.code === 'BROKEN_LINK');
    expect(broken.map((p) => [p.file, p.actual])).toEqual([['/glossary/', '/no-such-page/']]);
    expect(again.result.published).toBeNull();
    // written since (its published copy is the kept file, linked): read again, and the site publishes
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(first.dist, 'glossary', 'index.html'), later, later);
    const third = await buildSite(root);
    expect(third.status, third.stderr).toBe(0);
    expect(third.result.rebuild?.pages?.reused).toBeGreaterThan(0);
  }, 300_000);

  it('reads every page when the kept readings are not what a build wrote', async () => {
    const root = copyWorkspace();
    expect((await buildSite(root)).status).toBe(0);
    writeFileSync(join(root, PAGE_READS_FILE), '{"tool": 1, "pages": [["index.html", {"stamp": 2}]]}');
    const again = await buildSite(root);
    expect(again.status, again.stderr).toBe(0);
    const kept = JSON.parse(readFileSync(join(root, PAGE_READS_FILE), 'utf8')) as { pages: [string, PageRead][] };
    expect(kept.pages.length).toBeGreaterThan(10);
    expect(kept.pages.every(([, read]) => /^[0-9a-f]{64}$/.test(read.hash))).toBe(true);
  }, 300_000);
});

describe('reconciled tuples reused by content', () => {
  it('reconciles again a tuple whose readback text changed, and never keeps a red one', async () => {
    const root = copyWorkspace();
    const first = await buildSite(root);
    expect(first.status, first.stderr).toBe(0);
    // the readback text is read by reconcile (its problems) though it is no export
    const readback = join(root, 'content', 'tuples', ACME, 'readback.md');
    writeFileSync(readback, `${readFileSync(readback, 'utf8')}\nOne more sentence.\n`);
    const changed = await buildSite(root);
    expect(changed.status, changed.stderr).toBe(0);
    expect(changed.result.rebuild!.tuples).toEqual({ reconciled: 1, reused: 2 });
    // one export disagrees with the other: red, reconciled each time, never kept
    editExport(root, ACME, 'partner', (text) =>
      editCell(text, 1, 'm.orders.shipped', (old) => String(Number(old) + 1000)),
    );
    for (const _ of [1, 2]) {
      const red = await buildSite(root);
      expect(red.status).not.toBe(0);
      expect(red.result.rebuild!.tuples).toEqual({ reconciled: 1, reused: 2 });
      expect(red.result.report!.tuples.find((t) => t.tuple_id === ACME)!.status).toBe('red');
    }
  }, 300_000);

  it('keeps them one line per tuple, and removes the single file an earlier version kept them in', async () => {
    const root = copyWorkspace();
    const earlier = join(root, '.readback', 'cache', 'reconciled.json');
    mkdirSync(dirname(earlier), { recursive: true });
    writeFileSync(earlier, '{}');
    const built = await buildSite(root);
    expect(built.status, built.stderr).toBe(0);
    expect(existsSync(earlier)).toBe(false);
    const lines = readFileSync(join(root, RECONCILE_CACHE_FILE), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/^[0-9a-f]{64} \d+ \{/);
  }, 300_000);

  it('keeps the green tuples of a build it refuses', async () => {
    const root = copyWorkspace();
    const partner = join(root, 'content', 'tuples', ACME, 'partner.csv');
    const manifest = join(root, 'content', 'tuples', ACME, 'partner.manifest.json');
    const [csv, sums] = [readFileSync(partner), readFileSync(manifest)];
    editExport(root, ACME, 'partner', (text) =>
      editCell(text, 1, 'm.orders.shipped', (old) => String(Number(old) + 1000)),
    );
    const red = await buildSite(root);
    expect(red.status).not.toBe(0);
    expect(red.result.rebuild!.tuples).toEqual({ reconciled: 3, reused: 0 });
    // the export as it was: acme reconciles again, the two green tuples of the refused build are reused
    writeFileSync(partner, csv);
    writeFileSync(manifest, sums);
    const green = await buildSite(root);
    expect(green.status, green.stderr).toBe(0);
    expect(green.result.rebuild!.tuples).toEqual({ reconciled: 1, reused: 2 });
  }, 300_000);
});
