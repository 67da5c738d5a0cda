/**
 * The folders of a rebuild's pages, made ahead from the pages the last build wrote
 * (src/publish/page-folders.ts): the internal site's first, the bundles' once the build knows which
 * it keeps whole; and, once the pages are written, those this build left empty removed again. The
 * folders of the site the last build replaced, emptied of its files in the background
 * (src/publish/remove-later.ts), are taken first.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePageFolders } from '../src/publish/page-folders.ts';
import { removeInBackground, SKELETON_FOLDER, TRASH_FOLDER } from '../src/publish/remove-later.ts';
import { tempDir } from './helpers/workspace.ts';

/** A page cache whose Astro manifest lists pages at these output files. */
function cacheListing(outputFiles: string[]): string {
  const cache = tempDir();
  const paths = Object.fromEntries(outputFiles.map((outputFile, n) => [`/p${n}`, { outputFile }]));
  writeFileSync(join(cache, 'incremental-build.json'), JSON.stringify({ routes: { '/[x]': { paths } } }));
  return cache;
}

describe('the folders of the last build pages', () => {
  const pages = [
    'index.html',
    'annex/a/index.html',
    'annex/b/index.html',
    'glossary/diff/1.0.0/index.html',
    'partners/index.html',
    'partners/acme/annex/a/index.html',
    'partners/initech/annex/b/index.html',
  ];

  it('are made, parents first, the internal site apart from the bundles, a kept bundle not at all', async () => {
    const cache = cacheListing(pages);
    const out = tempDir();
    const internal = makePageFolders(cache, out, new Set(['partners']));
    await internal.settled();
    for (const folder of ['annex/a', 'annex/b', 'glossary/diff/1.0.0'])
      expect(existsSync(join(out, folder))).toBe(true);
    expect(existsSync(join(out, 'partners'))).toBe(false);
    const bundles = makePageFolders(cache, out, new Set(['partners/initech']), 'partners');
    await bundles.settled();
    expect(existsSync(join(out, 'partners/acme/annex/a'))).toBe(true);
    expect(existsSync(join(out, 'partners/initech'))).toBe(false);
  });

  it('made for a page this build no longer writes, are removed again with their emptied parents', async () => {
    const cache = cacheListing(pages);
    const out = tempDir();
    mkdirSync(join(out, 'glossary'), { recursive: true });
    writeFileSync(join(out, 'glossary', 'index.html'), ''); // a page written there: its folder stays
    const made = makePageFolders(cache, out, new Set(['partners']));
    await made.settled();
    // this build's pages, as Astro lists them once it has written them: no annex/b, no diff page
    writeFileSync(
      join(cache, 'incremental-build.json'),
      JSON.stringify({ routes: { '/[x]': { paths: { '/a': { outputFile: 'annex/a/index.html' } } } } }),
    );
    await made.tidy();
    expect(existsSync(join(out, 'annex/a'))).toBe(true);
    expect(existsSync(join(out, 'annex/b'))).toBe(false);
    expect(existsSync(join(out, 'glossary/diff'))).toBe(false);
    expect(existsSync(join(out, 'glossary/index.html'))).toBe(true);
  });
});

/** Every folder below `dir` (relative, sorted) and every file, apart. */
function tree(dir: string, below = ''): { folders: string[]; files: string[] } {
  const out = { folders: [] as string[], files: [] as string[] };
  for (const entry of readdirSync(join(dir, below), { withFileTypes: true })) {
    const rel = below ? `${below}/${entry.name}` : entry.name;
    if (!entry.isDirectory()) out.files.push(rel);
    else {
      const inner = tree(dir, rel);
      out.folders.push(rel, ...inner.folders);
      out.files.push(...inner.files);
    }
  }
  return { folders: out.folders.sort(), files: out.files.sort() };
}

/** A skeleton as the removing process leaves one: these folders, no file (unless `file` names one). */
function skeletonOf(folders: string[], file?: string): string {
  const skeleton = join(tempDir(), 'skeleton');
  for (const folder of folders) mkdirSync(join(skeleton, folder), { recursive: true });
  if (file) writeFileSync(join(skeleton, file), 'left behind');
  return skeleton;
}

/** The staging site's folder, made as a build makes it (`mkdir`, not a temporary folder's 0700). */
function siteFolder(): string {
  const out = join(tempDir(), 'site');
  mkdirSync(out);
  return out;
}

describe('the folders of the site the last build replaced', () => {
  const pages = ['index.html', 'annex/a/index.html', 'annex/b/index.html', 'glossary/diff/1.0.0/index.html'];

  it('are taken as the output folder, the missing made, and those this build leaves empty removed at the end', async () => {
    const cache = cacheListing(pages);
    const out = siteFolder();
    const skeleton = skeletonOf(['annex/a', 'annex/b', 'annex/old', 'tuples/t1', 'readback']);
    const made = makePageFolders(cache, out, new Set(['partners']), undefined, skeleton);
    await made.settled();
    expect(existsSync(skeleton)).toBe(false);
    expect(tree(out).folders).toEqual([
      'annex',
      'annex/a',
      'annex/b',
      'annex/old',
      'glossary',
      'glossary/diff',
      'glossary/diff/1.0.0',
      'readback',
      'tuples',
      'tuples/t1',
    ]);
    // this build writes a page in annex/a (annex/b's is gone), a download in tuples/t1, nothing in readback
    writeFileSync(join(out, 'annex/a/index.html'), '');
    writeFileSync(join(out, 'tuples/t1/report.json'), '{}');
    writeFileSync(
      join(cache, 'incremental-build.json'),
      JSON.stringify({ routes: { '/[x]': { paths: { '/a': { outputFile: 'annex/a/index.html' } } } } }),
    );
    await made.tidy();
    await made.prune();
    expect(tree(out)).toEqual({
      folders: ['annex', 'annex/a', 'tuples', 'tuples/t1'],
      files: ['annex/a/index.html', 'tuples/t1/report.json'],
    });
  });

  it('are not used when a file is among them: the folders are made as without them, and nothing of it is published', async () => {
    const cache = cacheListing(pages);
    const out = siteFolder();
    const skeleton = skeletonOf(['annex/a', 'tuples/t1'], 'tuples/t1/stale.json');
    const made = makePageFolders(cache, out, new Set(['partners']), undefined, skeleton);
    await made.settled();
    expect(existsSync(skeleton)).toBe(false);
    expect(tree(out)).toEqual({
      folders: ['annex', 'annex/a', 'annex/b', 'glossary', 'glossary/diff', 'glossary/diff/1.0.0'],
      files: [],
    });
  });

  it('are not used when the output folder holds anything already', async () => {
    const cache = cacheListing(pages);
    const out = siteFolder();
    writeFileSync(join(out, 'written.txt'), 'first');
    const skeleton = skeletonOf(['annex/a', 'tuples/t1']);
    const made = makePageFolders(cache, out, new Set(['partners']), undefined, skeleton);
    await made.settled();
    expect(tree(out).files).toEqual(['written.txt']);
    expect(existsSync(join(out, 'tuples'))).toBe(false);
    expect(existsSync(join(out, 'annex/b'))).toBe(true);
  });
});

describe('the site a build replaced, removed in the background', () => {
  /** Waits (up to 20 s) until `done` holds, for the removing process. */
  async function until(done: () => boolean): Promise<void> {
    for (let waited = 0; !done(); waited += 50) {
      if (waited > 20_000) throw new Error('the removing process did not finish');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it("leaves its folders as the next build's skeleton, without its files and its partner bundles", async () => {
    const root = tempDir();
    const old = join(root, 'dist');
    for (const file of ['index.html', 'annex/a/index.html', 'tuples/t1/report.json', 'partners/acme/index.html']) {
      mkdirSync(dirname(join(old, file)), { recursive: true });
      writeFileSync(join(old, file), file);
    }
    removeInBackground(root, old, 'b1', ['partners']);
    expect(existsSync(old)).toBe(false);
    const skeleton = join(root, SKELETON_FOLDER);
    await until(() => existsSync(skeleton));
    expect(tree(skeleton)).toEqual({ folders: ['annex', 'annex/a', 'tuples', 'tuples/t1'], files: [] });
    expect(readdirSync(join(root, TRASH_FOLDER))).toEqual([]);
  });

  it('removes what an earlier removal left in the trash, a folder it had claimed among it', async () => {
    const root = tempDir();
    const left = join(root, TRASH_FOLDER, 'b0.removing-99999');
    mkdirSync(join(left, 'annex'), { recursive: true });
    writeFileSync(join(left, 'annex', 'index.html'), 'page');
    const old = join(root, 'dist');
    mkdirSync(join(old, 'annex/a'), { recursive: true });
    writeFileSync(join(old, 'annex/a/index.html'), 'page');
    removeInBackground(root, old, 'b1');
    await until(() => existsSync(join(root, SKELETON_FOLDER)) && readdirSync(join(root, TRASH_FOLDER)).length === 0);
    expect(tree(join(root, SKELETON_FOLDER))).toEqual({ folders: ['annex', 'annex/a'], files: [] });
  });

  it('removes it whole when a skeleton is kept already', async () => {
    const root = tempDir();
    const skeleton = join(root, SKELETON_FOLDER);
    mkdirSync(join(skeleton, 'earlier'), { recursive: true });
    const old = join(root, 'dist');
    mkdirSync(join(old, 'annex/a'), { recursive: true });
    writeFileSync(join(old, 'annex/a/index.html'), 'page');
    removeInBackground(root, old, 'b2');
    await until(() => readdirSync(join(root, TRASH_FOLDER)).length === 0);
    expect(tree(skeleton)).toEqual({ folders: ['earlier'], files: [] });
  });
});

describe('the folders of the site the last build replaced, set apart', () => {
  it('are not used when one of them is not as a folder made now is (its permissions changed)', async () => {
    const cache = cacheListing(['index.html', 'annex/a/index.html']);
    const out = siteFolder();
    const skeleton = skeletonOf(['annex/a', 'tuples/t1']);
    chmodSync(join(skeleton, 'tuples'), 0o700);
    const made = makePageFolders(cache, out, new Set(['partners']), undefined, skeleton);
    await made.settled();
    expect(existsSync(skeleton)).toBe(false);
    // made as without it: no tuples/ folder (a clean build has none yet), and annex/a made now
    expect(tree(out).folders).toEqual(['annex', 'annex/a']);
    expect(statSync(join(out, 'annex')).mode).toBe(statSync(out).mode);
  });
});
