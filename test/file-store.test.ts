/**
 * Downloads kept by content (src/publish/file-store.ts): a download is put in place as a hard link
 * to the bytes an earlier build kept, only while the kept file is the very file recorded, and a
 * rebuild so made publishes what a clean build publishes.
 */
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { FILE_STORE_FOLDER, FileStore } from '../src/publish/file-store.ts';
import { buildSite } from './helpers/site.ts';
import { copyWorkspace, fileSums, sha256, tempDir } from './helpers/workspace.ts';

const ino = (path: string) => statSync(path).ino;

describe('downloads kept by content', () => {
  it('writes a download once, then links it; a kept file written into is not used again', async () => {
    const dir = tempDir();
    const storeDir = join(dir, 'store');
    const bytes = 'period_start,value\n2026-01-01T00:00:00Z,1\n';
    const key = sha256(bytes);
    const first = new FileStore(storeDir);
    let made = 0;
    const make =
      (path: string, text = bytes) =>
      () => (made++, writeFile(path, text));
    await first.place(key, join(dir, 'a.csv'), make(join(dir, 'a.csv')));
    expect(made).toBe(1);
    // kept as the file just written, without a copy
    expect(ino(join(storeDir, key))).toBe(ino(join(dir, 'a.csv')));
    first.save();

    const second = new FileStore(storeDir);
    await second.place(key, join(dir, 'b.csv'), make(join(dir, 'b.csv')));
    expect(made).toBe(1);
    expect(ino(join(dir, 'b.csv'))).toBe(ino(join(storeDir, key)));
    expect(readFileSync(join(dir, 'b.csv'), 'utf8')).toBe(bytes);
    expect(second.counts).toEqual({ linked: 1, written: 0 });
    second.save();

    // written into in place (through any of its links): its stamp moved, so it is written anew
    appendFileSync(join(dir, 'b.csv'), 'tampered\n');
    const third = new FileStore(storeDir);
    await third.place(key, join(dir, 'c.csv'), make(join(dir, 'c.csv')));
    expect(made).toBe(2);
    expect(readFileSync(join(dir, 'c.csv'), 'utf8')).toBe(bytes);
    expect(ino(join(dir, 'c.csv'))).not.toBe(ino(join(dir, 'b.csv')));
    expect(third.counts).toEqual({ linked: 0, written: 1 });
    // and the new file is what the store keeps now
    expect(ino(join(storeDir, key))).toBe(ino(join(dir, 'c.csv')));
  });

  it('keeps only what the last build used or made', async () => {
    const dir = tempDir();
    const storeDir = join(dir, 'store');
    const texts = ['one\n', 'two\n'];
    const first = new FileStore(storeDir);
    for (const [i, text] of texts.entries())
      await first.place(sha256(text), join(dir, `${i}`), () => writeFile(join(dir, `${i}`), text));
    first.save();
    expect(readdirSync(storeDir).sort()).toEqual([...texts.map((t) => sha256(t)), 'stamps.json'].sort());
    const second = new FileStore(storeDir);
    await second.place(sha256('two\n'), join(dir, 'again'), () => writeFile(join(dir, 'again'), 'two\n'));
    second.save();
    expect(readdirSync(storeDir).sort()).toEqual([sha256('two\n'), 'stamps.json'].sort());
    // a record that cannot be read keeps nothing and links nothing
    writeFileSync(join(storeDir, 'stamps.json'), '{not json');
    const third = new FileStore(storeDir);
    let made = 0;
    await third.place(sha256('two\n'), join(dir, 'last'), () => (made++, writeFile(join(dir, 'last'), 'two\n')));
    expect(made).toBe(1);
  });

  it("links a rebuild's unchanged downloads and publishes what a clean build publishes, a tampered one written anew", async () => {
    const root = copyWorkspace();
    const first = await buildSite(root);
    expect(first.status, first.stderr).toBe(0);
    const written = first.result.rebuild!.downloads!.written;
    expect(first.result.rebuild!.downloads).toEqual({ written, reused: 0 });
    expect(written).toBeGreaterThanOrEqual(12);

    // an unchanged rebuild: every download of the internal site linked, none written
    const again = await buildSite(root);
    expect(again.status, again.stderr).toBe(0);
    expect(again.result.rebuild!.downloads!.written).toBe(0);
    expect(again.result.rebuild!.downloads!.reused).toBeGreaterThanOrEqual(12);
    const store = join(root, FILE_STORE_FOLDER);
    const exportsDir = join(again.dist, 'exports');
    const tuple = readdirSync(exportsDir)[0]!;
    for (const name of readdirSync(join(exportsDir, tuple))) {
      const path = join(exportsDir, tuple, name);
      expect(existsSync(join(store, sha256(readFileSync(path)))), name).toBe(true);
      expect(ino(path), name).toBe(ino(join(store, sha256(readFileSync(path)))));
    }

    // a published download written into in place: the next build writes it anew, with the right bytes
    const partnerCsv = readdirSync(join(exportsDir, tuple)).find((name) => name.endsWith('_partner.csv'))!;
    const published = fileSums(again.dist);
    appendFileSync(join(exportsDir, tuple, partnerCsv), 'tampered\n');
    const third = await buildSite(root);
    expect(third.status, third.stderr).toBe(0);
    expect(third.result.rebuild!.downloads!.written).toBeGreaterThanOrEqual(1);
    expect(fileSums(third.dist)).toEqual(published);

    // and all of it is what a clean build publishes
    const clean = copyWorkspace(root);
    rmSync(join(clean, '.readback'), { recursive: true, force: true });
    rmSync(join(clean, 'dist'), { recursive: true, force: true });
    const fresh = await buildSite(clean);
    expect(fileSums(third.dist)).toEqual(fileSums(fresh.dist));
  }, 240_000);
});
