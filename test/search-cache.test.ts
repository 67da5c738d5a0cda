/** What the search worker reads of a site's pages, as recorded for the next build, and kept indexes checked by stamp (src/publish/search-cache.ts, search-pages.ts). */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastingStamp } from '../src/io/kept-files.ts';
import { SearchIndexCache } from '../src/publish/search-cache.ts';
import { pagesRead, searched } from '../src/publish/search-pages.ts';
import { tempDir } from './helpers/workspace.ts';

const KEY = 'a'.repeat(64);
const WHEN = 1_700_000_000;
const stampOf = (path: string) => lastingStamp(statSync(path, { bigint: true }));

describe('the pages a build read', () => {
  it('are read again only where the file is no longer the one read, and what was read of them is recorded per site', () => {
    const dir = tempDir();
    const cache = new SearchIndexCache(join(dir, 'cache'));
    const page = (name: string, html: string) => {
      writeFileSync(join(dir, name), html);
      utimesSync(join(dir, name), WHEN, WHEN);
      return { url: `/${name}/`, file: join(dir, name) };
    };
    const glossary = page('glossary', '<main data-pagefind-body>words</main>');
    const annex = page('annex', '<main>numbers, and the words data-pagefind-body in text</main>');
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    const first = pagesRead([glossary, annex], cache.pagesFound(''));
    expect(first).toEqual([
      [glossary.url, stampOf(glossary.file), true, sha('<main data-pagefind-body>words</main>')],
      [annex.url, stampOf(annex.file), false, sha(readFileSync(annex.file, 'utf8'))],
    ]);
    // only the marked page is sent; with none marked, every page
    expect(searched(first).map(([url]) => url)).toEqual([glossary.url]);
    expect(searched([first[1]!]).map(([url]) => url)).toEqual([annex.url]);
    cache.recordPages('', first);
    expect(cache.pagesFound('partners/acme').size).toBe(0); // each site has its own record
    expect(cache.pagesFound('').size).toBe(2);
    // a record of another shape is not used
    cache.recordPages('partners/acme', [[annex.url, first[1]![1], 'yes', 'x'] as never]);
    expect(cache.pagesFound('partners/acme').size).toBe(0);
    // the glossary page rewritten with bytes of the same length and its time set back: the same
    // stamp, so it is taken as read before (what a stamp is trusted for); the annex page is new
    writeFileSync(glossary.file, '<main data-pagefind-body>WORDS</main>');
    utimesSync(glossary.file, WHEN, WHEN);
    writeFileSync(annex.file, '<main data-pagefind-body>marked now</main>');
    const second = pagesRead([glossary, annex], cache.pagesFound(''));
    expect(second[0]).toEqual(first[0]);
    expect(second[1]).toEqual([
      annex.url,
      stampOf(annex.file),
      true,
      sha('<main data-pagefind-body>marked now</main>'),
    ]);
    // without a record (no cache), every page is read, and no stamp taken
    expect(pagesRead([glossary], null)).toEqual([
      [glossary.url, '', true, sha('<main data-pagefind-body>WORDS</main>')],
    ]);
  });
});

describe('a kept index', () => {
  function keptIndex() {
    const dir = tempDir();
    const cache = new SearchIndexCache(join(dir, 'cache'));
    const written = join(dir, 'site', 'pagefind');
    mkdirSync(join(written, 'fragment'), { recursive: true });
    writeFileSync(join(written, 'pagefind.js'), 'index');
    writeFileSync(join(written, 'fragment', 'en_1.pf_fragment'), 'fragment');
    // whole seconds, which a test can set again exactly
    for (const file of ['pagefind.js', 'fragment/en_1.pf_fragment']) utimesSync(join(written, file), WHEN, WHEN);
    cache.keep(KEY, written);
    const list = JSON.parse(readFileSync(join(dir, 'cache', `${KEY}.json`), 'utf8')) as string[][];
    return { dir, cache, list, entry: join(dir, 'cache', KEY) };
  }

  it('lists each file with its SHA-256 and its stamp, and is put in place while its files are the ones listed', () => {
    const { dir, cache, list, entry } = keptIndex();
    expect(list.map(([file, , stamp]) => [file, stamp])).toEqual([
      ['fragment/en_1.pf_fragment', stampOf(join(entry, 'fragment', 'en_1.pf_fragment'))],
      ['pagefind.js', stampOf(join(entry, 'pagefind.js'))],
    ]);
    expect(cache.restore(KEY, join(dir, 'next', 'pagefind'))).toBe(true);
    expect(readFileSync(join(dir, 'next', 'pagefind', 'fragment', 'en_1.pf_fragment'), 'utf8')).toBe('fragment');
  });

  it('does not read a file whose stamp is the one listed', () => {
    const { dir, cache, entry } = keptIndex();
    // bytes of the same length written in and the modification time set back: the stamp is the
    // one listed, so the file is taken as listed without being read (what a stamp is trusted for)
    const file = join(entry, 'pagefind.js');
    writeFileSync(file, 'INDEX');
    utimesSync(file, WHEN, WHEN);
    expect(cache.restore(KEY, join(dir, 'next', 'pagefind'))).toBe(true);
    expect(readFileSync(join(dir, 'next', 'pagefind', 'pagefind.js'), 'utf8')).toBe('INDEX');
  });

  it('reads a file whose stamp changed, and is not used when its bytes changed', () => {
    const { dir, cache, entry } = keptIndex();
    // the same bytes, touched: read again, and still the ones listed
    const file = join(entry, 'pagefind.js');
    utimesSync(file, new Date(2001, 0, 1), new Date(2001, 0, 1));
    expect(cache.restore(KEY, join(dir, 'next', 'pagefind'))).toBe(true);
    // other bytes: the entry is forgotten and nothing is put in place
    writeFileSync(file, 'other');
    expect(cache.restore(KEY, join(dir, 'again', 'pagefind'))).toBe(false);
    expect(cache.restore(KEY, join(dir, 'again', 'pagefind'))).toBe(false);
  });
});
