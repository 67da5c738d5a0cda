/**
 * The folders of a rebuild's pages, made ahead from the pages the last build wrote
 * (src/publish/page-folders.ts): the internal site's first, the bundles' once the build knows which
 * it keeps whole; and, once the pages are written, those this build left empty removed again.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePageFolders } from '../src/publish/page-folders.ts';
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
