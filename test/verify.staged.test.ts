/**
 * The build verifies its staged site in a worker that starts before the one-pagers are in place
 * (src/publish/verify-worker.ts): it reads every file there is at once, remembering each SHA-256,
 * indexes the pages for the link check, and checks that each one-pager exists only with the sums.
 * These tests hold that early reading to what reading the finished site gives.
 */
import { cpSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEntities, indexPage, indexSite, type IndexedFile, urlPathOf } from '../src/io/links.ts';
import {
  type FileHashes,
  filesBelow,
  partnerBundleFolders,
  readAndHash,
  SITE_SUMS,
  siteSums,
  verifyPdfNumbers,
  verifySite,
  verifySiteThenSums,
  type Verdicts,
} from '../src/io/verify.ts';
import { readPdf } from '../src/pdf/readings.ts';
import { copyBuiltSample } from './helpers/site.ts';
import { REPO_ROOT, tempDir } from './helpers/workspace.ts';

const ARCHIVED = join(REPO_ROOT, 'test', 'fixtures', 'archive', 'minimal-0.1.0');

/** A copy of a published site, with one tuple's one-pager moved out of it. */
function siteWithoutOnePager() {
  const dir = tempDir('readback-staged-');
  cpSync(ARCHIVED, dir, { recursive: true });
  const tuple = readdirSync(join(dir, 'tuples'))[0]!;
  const pdf = join(dir, 'readback', `${tuple}.pdf`);
  const aside = join(dir, '..', `${tuple}-${process.pid}.pdf`);
  renameSync(pdf, aside);
  return { dir, tuple, putBack: () => renameSync(aside, pdf) };
}

/** What the worker does once the site is complete: each site's sums written, then the checks. */
function complete(dir: string, hashes: FileHashes, thenSums: ReturnType<typeof verifySiteThenSums>) {
  for (const folder of [...partnerBundleFolders(dir), ''])
    writeFileSync(join(dir, folder, SITE_SUMS), siteSums(join(dir, folder), hashes));
  return thenSums();
}

describe('verifying a site while its one-pagers are drawn', () => {
  it('checks each one-pager when the site is complete, not before', () => {
    const { dir, putBack } = siteWithoutOnePager();
    const hashes: FileHashes = new Map();
    const thenSums = verifySiteThenSums(dir, hashes, true);
    putBack();
    const result = complete(dir, hashes, thenSums);
    expect(result.problems).toEqual([]);
    // the same checks as verify of the finished site, the one-pagers' among them
    expect([...result.checked].sort()).toEqual([...verifySite(dir).checked].sort());
  });

  it('still refuses a one-pager missing when the site is complete', () => {
    const { dir, tuple } = siteWithoutOnePager();
    const hashes: FileHashes = new Map();
    const result = complete(dir, hashes, verifySiteThenSums(dir, hashes, true));
    expect(result.problems.map((p) => p.message)).toContain(
      `tuple ${tuple}: readback/${tuple}.pdf exists: expected true, found false`,
    );
  });

  it('reads again for its sum a file changed after it was read', () => {
    const dir = tempDir('readback-staged-');
    cpSync(ARCHIVED, dir, { recursive: true });
    const hashes: FileHashes = new Map();
    for (const file of filesBelow(dir)) readAndHash(join(dir, file), hashes);
    const page = join(dir, 'index.html');
    const html = readFileSync(page, 'utf8');
    // the same size, other bytes
    writeFileSync(page, html.replace('<html', '<HTML'));
    const fresh = siteSums(dir);
    expect(siteSums(dir, hashes)).toBe(fresh);
    expect(fresh).not.toBe(siteSums(ARCHIVED));
  });

  it('checks the files against the sums as the sums confirmed them, each file looked at once', () => {
    const dir = tempDir('readback-staged-');
    cpSync(ARCHIVED, dir, { recursive: true });
    const hashes: FileHashes = new Map();
    const thenSums = verifySiteThenSums(dir, hashes, true);
    const confirmed = new Set<string>();
    const listed = new Map([['', filesBelow(dir, new Set(partnerBundleFolders(dir)))]]);
    writeFileSync(join(dir, SITE_SUMS), siteSums(dir, hashes, listed.get(''), confirmed));
    // every file the sums list was compared with its stamp once, and remembered so
    const sums = readFileSync(join(dir, SITE_SUMS), 'utf8').trim().split('\n');
    expect(confirmed.size).toBe(sums.length);
    for (const line of sums) expect(confirmed.has(join(dir, line.slice(66)))).toBe(true);
    // a page changed after the sums (nothing of a build does so) is taken as the sums confirmed it:
    // the check does not look at it again; without what the sums confirmed, it does
    const page = join(dir, 'index.html');
    writeFileSync(page, readFileSync(page, 'utf8').replace('<html', '<HTML'));
    expect(thenSums(listed, confirmed).problems).toEqual([]);
    expect(thenSums(listed).problems.map((p) => p.message)).toEqual([
      expect.stringContaining(`index.html matches ${SITE_SUMS}`),
    ]);
  });

  it('indexes the pages it read as the link check would', async () => {
    const dir = tempDir('readback-staged-');
    cpSync(ARCHIVED, dir, { recursive: true });
    const known = new Map<string, IndexedFile>();
    for (const file of filesBelow(dir).filter((f) => f.endsWith('.html'))) {
      const path = join(dir, file);
      known.set(path, indexPage(dir, path, readFileSync(path, 'utf8')));
    }
    const links = async () => ['/annex/'];
    const fromScratch = await indexSite(dir, links);
    const withKnown = await indexSite(dir, links, { folders: [], until: Promise.resolve() }, known);
    expect(withKnown).toEqual(fromScratch);
    expect(fromScratch.links.length).toBeGreaterThan(100);
    // the pages still being read when the rest is indexed (the build: the PDFs meanwhile)
    let handOver: (pages: ReadonlyMap<string, IndexedFile>) => void = () => {};
    const later = indexSite(
      dir,
      links,
      { folders: [], until: Promise.resolve() },
      new Promise((done) => (handOver = done)),
    );
    handOver(known);
    expect(await later).toEqual(fromScratch);
    // and a page known from elsewhere is taken as known, not read again
    const [path, indexed] = [...known][0]!;
    const other = new Map(known).set(path, { ...indexed, links: [{ from: indexed.path, href: '/elsewhere/' }] });
    const taken = await indexSite(dir, links, { folders: [], until: Promise.resolve() }, other);
    expect(taken.links).toContainEqual({ from: indexed.path, href: '/elsewhere/' });
    const takenLater = await indexSite(dir, links, { folders: [], until: Promise.resolve() }, Promise.resolve(other));
    expect(takenLater.links).toContainEqual({ from: indexed.path, href: '/elsewhere/' });
  });
});

describe('verifying a site in parts, as a build that splits the work between two workers', () => {
  it('gives what one check of the whole folder gives, a mismatch in a bundle included, in the same order', async () => {
    const { dist } = copyBuiltSample();
    const bundles = partnerBundleFolders(dist);
    expect(bundles.length).toBeGreaterThan(1);
    // a value changed in one bundle's published report entry, its sums left as they were
    const entry = join(dist, bundles[1]!, 'tuples', readdirSync(join(dist, bundles[1]!, 'tuples'))[0]!, 'report.json');
    writeFileSync(entry, readFileSync(entry, 'utf8').replace(/"status": *"green"/, '"status": "red"'));
    const whole = verifySiteThenSums(dist)();
    expect(whole.problems.length).toBeGreaterThan(0);
    const parts = [[''], bundles].map((folders) => verifySiteThenSums(dist, undefined, false, folders)());
    expect({
      checked: parts.flatMap((part) => part.checked),
      problems: parts.flatMap((part) => part.problems),
    }).toEqual(whole);
    // the one-pagers' numbers, in parts too
    const reader = async (bytes: Uint8Array) => (await readPdf(bytes)).text;
    const pdfWhole = await verifyPdfNumbers(dist, reader);
    const pdfParts = await Promise.all([[''], bundles].map((folders) => verifyPdfNumbers(dist, reader, folders)));
    expect(pdfWhole.checked.length).toBeGreaterThan(0);
    expect({
      checked: pdfParts.flatMap((part) => part.checked),
      problems: pdfParts.flatMap((part) => part.problems),
    }).toEqual(pdfWhole);
  }, 60_000);
});

describe('a published manifest', () => {
  it('without its sha256 is a mismatch, not a tuple left unchecked', () => {
    const { dist } = copyBuiltSample();
    const folder = join(dist, 'exports', 'acme-2026-q2');
    const name = readdirSync(folder).find((file) => file.endsWith('_leadership.manifest.json'))!;
    const manifest = JSON.parse(readFileSync(join(folder, name), 'utf8')) as Record<string, unknown>;
    delete manifest.sha256;
    writeFileSync(join(folder, name), `${JSON.stringify(manifest, null, 2)}\n`);
    const { problems } = verifySite(dist);
    expect(problems.map((p) => [p.code, p.file])).toContainEqual(['VERIFY_MISMATCH', `exports/acme-2026-q2/${name}`]);
    expect(problems.some((p) => p.message.includes(`${name} has no sha256`))).toBe(true);
  });
});

describe("one-pagers' numbers checked in an earlier build", () => {
  /** Verdicts kept across checks as a build's cache keeps them; each check gets its own, as each build does. */
  function keptVerdicts() {
    const kept = new Map<string, number>();
    return (): Verdicts => ({
      tool: 'this test',
      hashes: new Map(),
      known: (key) => kept.get(key),
      reused: () => {},
      passed: (key, checks) => kept.set(key, checks),
    });
  }
  /** A PDF text reader that counts the one-pagers it reads. */
  function countingReader() {
    const read = { count: 0 };
    const reader = async (bytes: Uint8Array) => {
      read.count++;
      return (await readPdf(bytes)).text;
    };
    return { read, reader };
  }

  it('are told as passed, unread, while their bytes and their tuple files are the same; a changed entry is checked again', async () => {
    const { dist } = copyBuiltSample();
    const verdicts = keptVerdicts();
    const first = countingReader();
    const fresh = await verifyPdfNumbers(dist, first.reader, undefined, verdicts());
    expect(fresh.problems).toEqual([]);
    expect(first.read.count).toBeGreaterThan(1);
    const again = countingReader();
    const reused = await verifyPdfNumbers(dist, again.reader, undefined, verdicts());
    expect(again.read.count).toBe(0);
    expect(reused.problems).toEqual([]);
    expect(reused.checked).toHaveLength(fresh.checked.length);
    expect(reused.checked.every((line) => line.endsWith('passed in an earlier build, on the same bytes'))).toBe(true);

    // one tuple's entry now holds another revision hash than its one-pager cites
    const tuple = readdirSync(join(dist, 'tuples'))[0]!;
    const entry = join(dist, 'tuples', tuple, 'report.json');
    const text = readFileSync(entry, 'utf8');
    const hash = /"tuple_revision_hash": *"sha256:([0-9a-f]{64})"/.exec(text)![1]!;
    writeFileSync(
      entry,
      text.replace(
        hash,
        hash.replace(/^./, (c) => (c === '0' ? '1' : '0')),
      ),
    );
    const changed = countingReader();
    const withVerdicts = await verifyPdfNumbers(dist, changed.reader, undefined, verdicts());
    expect(changed.read.count).toBe(1); // that tuple's one-pager alone
    const afresh = await verifyPdfNumbers(dist, countingReader().reader);
    expect(afresh.problems.length).toBeGreaterThan(0);
    expect(withVerdicts.problems).toEqual(afresh.problems);
  }, 60_000);

  it('are checked again when the one-pager is another file of other bytes', async () => {
    const { dist } = copyBuiltSample();
    const verdicts = keptVerdicts();
    await verifyPdfNumbers(dist, countingReader().reader, undefined, verdicts());
    const tuple = readdirSync(join(dist, 'tuples'))[0]!;
    const pdf = join(dist, 'readback', `${tuple}.pdf`);
    writeFileSync(pdf, Buffer.concat([readFileSync(pdf), Buffer.from('\n')]));
    const again = countingReader();
    const result = await verifyPdfNumbers(dist, again.reader, undefined, verdicts());
    expect(again.read.count).toBe(1);
    expect(result.problems).toEqual([]);
    expect(
      result.checked.filter((line) => line.startsWith(`readback/${tuple}.pdf`) && !line.includes('earlier build'))
        .length,
    ).toBeGreaterThan(0);
  }, 60_000);
});

describe("a page's attribute values, as the link check and verify read them", () => {
  it('have their character references decoded once, `&amp;` last', () => {
    expect(decodeEntities('/annex/a/?q=1&amp;r=2#m.x')).toBe('/annex/a/?q=1&r=2#m.x');
    // a value that writes an entity's own text: decoded once, not twice
    expect(decodeEntities('&amp;quot;')).toBe('&quot;');
    expect(decodeEntities('it&#39;s &#x27;x&#x27; &lt;b&gt; &quot;q&quot;')).toBe(`it's 'x' <b> "q"`);
    const plain = 'period-20260406T000000Z';
    expect(decodeEntities(plain)).toBe(plain);
  });

  it('are indexed alike from a page that writes them as references', () => {
    const page = indexPage('/site', '/site/a/index.html', '<p id="x&amp;y"><a href="/b/?q=1&amp;r=&#50;">b</a></p>');
    expect([...page.ids]).toEqual(['x&y']);
    expect(page.links).toEqual([{ from: '/a/', href: '/b/?q=1&r=2' }]);
  });
});

describe("a file's URL path in its site", () => {
  /** As path.relative resolves it. */
  const byRelative = (dist: string, file: string) => {
    const rel = relative(dist, file).split(sep).join('/');
    if (rel === 'index.html') return '/';
    return rel.endsWith('/index.html') ? `/${rel.slice(0, -'index.html'.length)}` : `/${rel}`;
  };

  it('is what resolving the path gives, for plain paths below the site and any other', () => {
    expect(urlPathOf('/s/dist', '/s/dist/annex/a/index.html')).toBe('/annex/a/');
    expect(urlPathOf('/s/dist', '/s/dist/index.html')).toBe('/');
    const part = fc.constantFrom('a', 'b', 'index.html', '.', '..', '', '.x', 'x.', '...');
    const path = fc.array(part, { minLength: 0, maxLength: 4 }).map((parts) => parts.join('/'));
    const dist = fc.constantFrom('/s/dist', '/s/dist/', '/s/./dist', '/s', 's/dist', '/');
    fc.assert(
      fc.property(dist, path, fc.boolean(), (root, below, joined) => {
        const file = joined ? join(root, below) : `${root}/${below}`;
        return urlPathOf(root, file) === byRelative(root, file);
      }),
    );
  });
});
