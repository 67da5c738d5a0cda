/**
 * Downloads kept by content (README, "Rebuilds"): every site publishes each tuple's partner export,
 * manifests and report entry, and the internal site each leadership tile export, and a rebuild
 * publishes nearly all of them again, the same bytes. The store keeps one file per content,
 * `.readback/cache/files/<SHA-256 of its bytes>`, and a build puts a download into the site it
 * stages as a hard link to it, as Astro puts a kept page in place. A link makes no new file: on
 * ext4 a rebuild making a thousand new files just after the replaced site was removed paid for
 * each one in the kernel (docs/PERFORMANCE.md, round twelve).
 *
 * An entry is used only while it is the very file the store recorded (its stamp: device, inode,
 * size and modification time, to the nanosecond): a file written into in place, whether through
 * the store or through a published site it is linked into, is not used again, and the download is
 * written as it always was. The store keeps only the entries the last build used or made.
 */
import { link, mkdir, rm, stat } from 'node:fs/promises';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SHA256_HEX } from '../core/ids.ts';
import { keepFile, lastingStamp, usedFile } from '../io/kept-files.ts';

/** In the workspace, beside the other caches (never published). */
export const FILE_STORE_FOLDER = '.readback/cache/files';

/** The record of the entries and their stamps, beside them. */
const RECORD = 'stamps.json';

export class FileStore {
  readonly #dir: string;
  readonly #recorded: Map<string, string>;
  /** the entries this build used or made, with their stamps */
  readonly #kept = new Map<string, string>();
  #made: Promise<unknown> | undefined;
  /** how many downloads were linked from the store, and how many written */
  readonly counts = { linked: 0, written: 0 };

  constructor(dir: string) {
    this.#dir = dir;
    let recorded: [string, string][] = [];
    try {
      const kept = JSON.parse(usedFile(join(dir, RECORD)) ?? '{}') as { entries?: unknown };
      if (Array.isArray(kept.entries))
        recorded = kept.entries.filter(
          (entry): entry is [string, string] =>
            Array.isArray(entry) && SHA256_HEX.test(String(entry[0])) && typeof entry[1] === 'string',
        );
    } catch {
      // none, or unreadable: every download is written
    }
    this.#recorded = new Map(recorded);
  }

  /**
   * Makes `path` hold the bytes whose SHA-256 is `sha256`: a link to the store's entry when it
   * holds them, else made by `make` (which writes those bytes there) and then kept in the store.
   */
  async place(sha256: string, path: string, make: () => Promise<unknown>): Promise<void> {
    const entry = join(this.#dir, sha256);
    const stamp = this.#recorded.get(sha256);
    if (stamp !== undefined) {
      try {
        // a file call of a few microseconds, made at once: as a promise it cost the build's thread
        // about 90 µs (a rebuild of the bench site checks 1,016)
        const now = statSync(entry, { bigint: true, throwIfNoEntry: false });
        if (now && lastingStamp(now) === stamp) {
          await link(entry, path);
          this.#kept.set(sha256, stamp);
          this.counts.linked++;
          return;
        }
      } catch {
        // gone, changed, or not linkable here (another file system): written below
      }
    }
    await make();
    this.counts.written++;
    if (!SHA256_HEX.test(sha256)) return;
    try {
      await (this.#made ??= mkdir(this.#dir, { recursive: true }));
      await rm(entry, { force: true });
      await link(path, entry);
      this.#kept.set(sha256, lastingStamp(await stat(entry, { bigint: true })));
    } catch {
      // not kept (another file system, or another build made it meanwhile): written again next time
    }
  }

  /** Records the entries this build used or made, and removes every other one. Best effort. */
  save(): void {
    keepFile(this.#dir, RECORD, JSON.stringify({ entries: [...this.#kept] }));
    try {
      for (const name of readdirSync(this.#dir))
        if (name !== RECORD && !this.#kept.has(name) && !name.startsWith(`${RECORD}.`))
          rmSync(join(this.#dir, name), { force: true });
    } catch {
      // nothing kept
    }
  }
}
