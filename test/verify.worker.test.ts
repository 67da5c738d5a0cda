/**
 * The build's verify worker (src/publish/verify-worker.ts), driven as the build drives it. A
 * rebuild's downloads are written before its pages are built: the worker then reads them (and the
 * sites' dictionaries) at once, and the rest of the site with the pages. Whichever comes first, it
 * must find what `readback verify` finds of the same folder, and index the pages as links.ts does.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { indexPage } from '../src/io/links.ts';
import { filesBelow, partnerBundleFolders, verifySite, type VerifyResult } from '../src/io/verify.ts';
import { readPdf } from '../src/pdf/readings.ts';
import type { PagesRead, VerifyReply, VerifyWorkerData } from '../src/publish/verify-worker.ts';
import { copyBuiltSample } from './helpers/site.ts';

const WORKER = new URL('../src/publish/verify-worker.ts', import.meta.url);

/** The files a build's downloads step writes in a site: everything but its pages, search indexes, one-pagers and sums. */
const downloadFiles = (dist: string) =>
  filesBelow(dist).filter(
    (file) => /^(partners\/[^/]+\/)?(exports|tuples|dictionary|schemas)\//.test(file) && !file.includes('/pagefind/'),
  );

/** Every one-pager's text, by the SHA-256 of its bytes, as the build hands them over. */
async function onePagerTexts(dist: string): Promise<Map<string, string>> {
  const { createHash } = await import('node:crypto');
  const texts = new Map<string, string>();
  for (const file of filesBelow(dist).filter((f) => /(^|\/)readback\/[^/]+\.pdf$/.test(f))) {
    const bytes = new Uint8Array(readFileSync(join(dist, file)));
    texts.set(createHash('sha256').update(bytes).digest('hex'), (await readPdf(bytes)).text);
  }
  return texts;
}

/** One worker over the whole folder, told the downloads are in before or after the pages. */
async function drive(dist: string, downloadsFirst: boolean) {
  const folders = ['', ...partnerBundleFolders(dist)];
  const workerData: VerifyWorkerData = {
    dir: dist,
    folders,
    unread: folders.map((folder) => (folder ? `${folder}/pagefind` : 'pagefind')),
    others: [],
  };
  const worker = new Worker(WORKER, { workerData });
  try {
    let pages: PagesRead['pages'] | undefined;
    const reply = new Promise<Exclude<VerifyReply, { error: string }>>((resolve, reject) => {
      worker.on('message', (message: PagesRead | VerifyReply) => {
        if ('pages' in message) pages = message.pages;
        else if ('error' in message) reject(new Error(message.error));
        else resolve(message);
      });
      worker.once('error', reject);
    });
    const downloads = { downloads: true, files: downloadFiles(dist) };
    if (downloadsFirst) worker.postMessage(downloads);
    worker.postMessage({ pagesBuilt: true });
    if (!downloadsFirst) worker.postMessage(downloads);
    worker.postMessage({ searchIndexes: true });
    worker.postMessage({ texts: await onePagerTexts(dist) });
    worker.postMessage({ complete: true });
    const { result, onePagers } = await reply;
    return { result, onePagers, pages: pages! };
  } finally {
    await worker.terminate();
  }
}

const sorted = (result: VerifyResult) => ({
  checked: [...result.checked].sort(),
  problems: [...result.problems].sort((a, b) => (a.message < b.message ? -1 : 1)),
});

describe('the verify worker', () => {
  it('finds what verify finds, and indexes every page, whether the downloads come before the pages or after', async () => {
    const { dist } = copyBuiltSample();
    const early = await drive(dist, true);
    const late = await drive(dist, false);
    const expected = verifySite(dist);
    expect(expected.problems).toEqual([]);
    expect(expected.checked.length).toBeGreaterThan(50);
    for (const run of [early, late]) {
      expect(sorted(run.result)).toEqual(sorted(expected));
      expect(run.onePagers.problems).toEqual([]);
      expect(run.onePagers.checked.length).toBeGreaterThan(0);
    }
    expect(early.onePagers).toEqual(late.onePagers);
    // every page, indexed as links.ts indexes it from its text
    const html = filesBelow(dist).filter((file) => file.endsWith('.html'));
    expect(early.pages.map(([path]) => path).sort()).toEqual(html.map((file) => join(dist, file)).sort());
    for (const [path, ids, hrefs] of early.pages) {
      const indexed = indexPage(dist, path, readFileSync(path, 'utf8'));
      expect([ids, hrefs]).toEqual([[...indexed.ids], indexed.links.map((link) => link.href)]);
    }
    expect(late.pages).toEqual(early.pages);
  }, 120_000);

  it('reads a download read before the pages as it is: a changed export is a mismatch, as verify finds it', async () => {
    const { dist } = copyBuiltSample();
    const exports = join(dist, 'exports', readdirSync(join(dist, 'exports'))[0]!);
    const csv = join(
      exports,
      readdirSync(exports).find((file) => file.endsWith('_partner.csv'))!,
    );
    writeFileSync(csv, `${readFileSync(csv, 'utf8')}\n`);
    const expected = verifySite(dist);
    expect(expected.problems.length).toBeGreaterThan(0);
    const early = await drive(dist, true);
    // the export no longer has the SHA-256 its report entry holds (the sums are written by the
    // worker from the files as they are, so they match it: verify of the old folder says more)
    const name = csv.slice(exports.length + 1);
    expect(early.result.problems.map((p) => p.message)).toContainEqual(
      expect.stringMatching(new RegExp(`^tuple [^:]+: ${name.replace(/\./g, '\\.')}: expected`)),
    );
    for (const problem of early.result.problems) expect(expected.problems).toContainEqual(problem);
  }, 120_000);
});
