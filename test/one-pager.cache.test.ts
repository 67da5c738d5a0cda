import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEPT_BUNDLES_FOLDER } from '../src/publish/kept-bundles.ts';
import { ONE_PAGER_CACHE_FOLDER } from '../src/publish/one-pager-cache.ts';
import { buildSite } from './helpers/site.ts';
import { copyWorkspace, editCell, editExport, fileSums } from './helpers/workspace.ts';

const ACME = 'acme-2026-q2';

describe('one-pagers reused by content', () => {
  it('renders only what changed, and publishes what a clean build publishes, byte for byte', async () => {
    const root = copyWorkspace();
    const first = await buildSite(root);
    expect(first.status, first.stderr).toBe(0);
    const all = first.result.onePagers!.rendered;
    // three tuples, each in the internal site and its bundle: each drawn once, its bundle's copy
    // made from the internal one's bytes (src/pdf/rebase.ts)
    expect(first.result.onePagers).toEqual({ rendered: all, reused: 0, drawn: all / 2 });
    expect(all).toBeGreaterThanOrEqual(6);
    const before = fileSums(first.dist);

    // nothing changed: the internal site's one-pagers are reused, and the partner bundles are kept
    // whole (README, "Rebuilds"), their one-pagers as published
    const again = await buildSite(root);
    expect(again.result.rebuild!.bundles).toEqual({ built: 0, reused: 3 });
    expect(again.result.onePagers).toEqual({ rendered: 0, reused: all / 2, drawn: 0 });
    expect(fileSums(again.dist)).toEqual(before);
    // each one-pager reused is its cache entry's file, linked into the site: no new file is made for it
    const cache = join(root, ONE_PAGER_CACHE_FOLDER);
    const entries = new Set(
      readdirSync(cache)
        .filter((name) => name.endsWith('.pdf'))
        .map((name) => statSync(join(cache, name)).ino),
    );
    const published = readdirSync(join(again.dist, 'readback')).filter((name) => name.endsWith('.pdf'));
    expect(published).toHaveLength(all / 2);
    for (const name of published) expect(entries.has(statSync(join(again.dist, 'readback', name)).ino)).toBe(true);

    // acme's exports change (both sides agree): its two one-pagers are rendered, the rest reused
    for (const audience of ['leadership', 'partner'] as const)
      editExport(root, ACME, audience, (text) =>
        editCell(text, 1, 'm.orders.shipped', (old) => String(Number(old) + 10)),
      );
    const changed = await buildSite(root);
    expect(changed.status, changed.stderr).toBe(0);
    // of the internal site's and acme's partner's bundle (built again; the other two are kept)
    expect(changed.result.rebuild!.bundles).toEqual({ built: 1, reused: 2 });
    expect(changed.result.onePagers).toEqual({ rendered: 2, reused: all / 2 + 1 - 2, drawn: 1 });
    // the same workspace built with no cache at all
    const clean = copyWorkspace(root);
    rmSync(join(clean, '.readback'), { recursive: true, force: true });
    rmSync(join(clean, 'dist'), { recursive: true, force: true });
    const fresh = await buildSite(clean);
    expect(fresh.result.onePagers).toEqual({ rendered: all, reused: 0, drawn: all / 2 });
    expect(fileSums(changed.dist)).toEqual(fileSums(fresh.dist));
  }, 240_000);

  it('renders again a cached one-pager whose bytes are not the ones recorded', async () => {
    const root = copyWorkspace();
    const first = await buildSite(root);
    expect(first.status, first.stderr).toBe(0);
    const cache = join(root, ONE_PAGER_CACHE_FOLDER);
    const pdfs = readdirSync(cache).filter((name) => name.endsWith('.pdf'));
    expect(pdfs.length).toBe(first.result.onePagers!.rendered);
    const published = fileSums(first.dist);
    const tampered = join(cache, pdfs[0]!);
    writeFileSync(tampered, Buffer.concat([readFileSync(tampered), Buffer.from('%tampered\n')]));
    // the partner bundles built again rather than kept whole (their record gone), so that every
    // one-pager is asked of the cache, the tampered one whichever site's it is
    rmSync(join(root, KEPT_BUNDLES_FOLDER), { recursive: true });
    const again = await buildSite(root);
    expect(again.status, again.stderr).toBe(0);
    // drawn again when it is an internal one-pager; made from the internal one's bytes when a bundle's
    expect(again.result.onePagers).toMatchObject({ rendered: 1, reused: pdfs.length - 1 });
    expect(again.result.onePagers!.drawn).toBeLessThanOrEqual(1);
    expect(fileSums(again.dist)).toEqual(published);
  }, 240_000);
});
