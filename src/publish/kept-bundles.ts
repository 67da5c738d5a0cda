/**
 * Partner bundles kept as published (README, "Rebuilds"). A bundle is a site of its own in a folder
 * of its own (`partners/<partner_id>/`), made from its own site model alone: when that model, the
 * tool, the page size, the site URL and the logo are those of the bundle the output folder holds,
 * and every file of that folder is still the file the build that published it left (device, inode,
 * size and modification time, to the nanosecond), a rebuild takes the folder as it is. Nothing of
 * it is rendered, written, indexed or checked again: the folder is moved from the published site
 * into the new one, with one rename, once the new one has passed every check.
 *
 * A bundle is the same bytes a clean build would write because everything it holds is made from
 * what its key covers: its pages, one-pagers and search index from its model (which holds the
 * SHA-256 of every export, manifest, report entry and dictionary version it publishes) with the
 * tool's code and libraries, and its logo from the logo's bytes. The rebuild test compares a rebuild
 * with a clean build byte for byte.
 */
import { createHash } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { existsSync, linkSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { SitePages } from '../core/model-text.ts';
import { folderHolding } from '../core/partner-bundles.ts';
import { filesUnder, keepFile, lastingStamp, lastingStampOf, usedFile } from '../io/kept-files.ts';

/** In the workspace, beside the other caches (never published): one file per output folder. */
export const KEPT_BUNDLES_FOLDER = '.readback/cache/bundles';

/** The record of the bundles the last build into `dist` published. */
export const bundleRecordsFile = (root: string, dist: string) =>
  join(root, KEPT_BUNDLES_FOLDER, `${createHash('sha256').update(dist).digest('hex').slice(0, 16)}.json`);

/** A bundle as a build published it. */
export interface BundleRecord {
  /** the SHA-256 of what the bundle is made of (`bundleKey`) */
  key: string;
  /** the SHA-256 of what its site model is made of (`bundleInputsKey`) */
  inputs: string;
  /** its pages' keys, as its model's text gave them (src/core/model-text.ts) */
  pageKeys: SitePages;
  /** the stamp of its model's file in `.readback/site/partners/`, as the build left it */
  model: string;
  /** every file of its folder, relative to it (`/` separated), with its stamp (`lastingStamp`) */
  files: [string, string][];
  /** its pages and files as the link check indexed them: url path (from the internal site's root) → anchor ids */
  pages: [string, string[]][];
}

/** What a bundle is made of, hashed: the tool, the page size, the site URL, its model and its logo's bytes. */
export function bundleKey(parts: {
  tool: string;
  size: string;
  siteUrl: string;
  /** the SHA-256 of the bundle's model (`SitePages.whole`, src/core/model-text.ts) */
  model: string;
  /** the SHA-256 of the logo file's bytes, or null without a logo */
  logo: string | null;
}): string {
  return createHash('sha256')
    .update([parts.tool, parts.size, parts.siteUrl, parts.model, parts.logo ?? 'no logo'].join('\0'))
    .digest('hex');
}

/**
 * What a bundle's site model is made of (the inputs of `buildPartnerSiteModel`), hashed: `frame`,
 * what every bundle's model shares (the tool, URLs, date, settings, FAQ, dictionaries, the report's
 * own fields), and the bundle and each of its tuples' content (which holds the SHA-256 of its
 * report entry's published bytes and of its exports and manifests). The same inputs build the same
 * model, so a bundle with the recorded inputs need not have its model built to be known unchanged.
 */
export function bundleInputsKey(frame: string, bundle: unknown, tuples: readonly unknown[]): string {
  const hash = createHash('sha256').update(frame).update('\0').update(JSON.stringify(bundle));
  for (const tuple of tuples) hash.update('\0').update(JSON.stringify(tuple));
  return hash.digest('hex');
}

const isRecord = (value: unknown): value is [string, BundleRecord] => {
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'string') return false;
  const record = value[1] as Partial<BundleRecord> | null;
  const pairs = (list: unknown, second: (item: unknown) => boolean) =>
    Array.isArray(list) &&
    list.every((item) => Array.isArray(item) && item.length === 2 && typeof item[0] === 'string' && second(item[1]));
  return (
    typeof record === 'object' &&
    record !== null &&
    typeof record.key === 'string' &&
    typeof record.inputs === 'string' &&
    typeof record.model === 'string' &&
    typeof record.pageKeys === 'object' &&
    record.pageKeys !== null &&
    typeof record.pageKeys.whole === 'string' &&
    pairs(record.files, (stamp) => typeof stamp === 'string') &&
    pairs(record.pages, (ids) => Array.isArray(ids) && ids.every((id) => typeof id === 'string'))
  );
};

/** The bundles the last build into this output folder published, by folder (none when unreadable). */
export function readBundleRecords(file: string): Map<string, BundleRecord> {
  try {
    const kept = JSON.parse(usedFile(file) ?? '{}') as { bundles?: unknown };
    return new Map(Array.isArray(kept.bundles) ? kept.bundles.filter(isRecord) : []);
  } catch {
    return new Map();
  }
}

/** Keeps the bundles this build published, in place of the last build's. Best effort: a bundle not kept is built again. */
export function keepBundleRecords(file: string, records: Iterable<[string, BundleRecord]>): void {
  keepFile(dirname(file), basename(file), JSON.stringify({ bundles: [...records] }));
}

/** Every file below `dir`, relative to it (`/` separated), with its stamp, sorted by path. */
async function stampedFiles(dir: string): Promise<[string, string][]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) =>
      join(entry.parentPath, entry.name)
        .slice(dir.length + 1)
        .split('\\')
        .join('/'),
    )
    .sort();
  const stats = await Promise.all(files.map((file) => stat(join(dir, file), { bigint: true })));
  return files.map((file, i) => [file, lastingStamp(stats[i] as BigIntStats)]);
}

/** The same as `stampedFiles`, at once (for a folder the build has just written). */
export function stampedFilesNow(dir: string): [string, string][] {
  return filesUnder(dir)
    .sort()
    .map((file) => [file, fileStamp(join(dir, file))]);
}

/** A file's stamp across builds (`lastingStamp`), or '' when it is not there. */
export function fileStamp(path: string): string {
  try {
    return lastingStampOf(path);
  } catch {
    return '';
  }
}

/**
 * The bundle's model file the last build left at `from` linked at `to` (it stays where it is
 * until this build publishes), when it is still the file it left (`stamp`); false, and nothing
 * linked, when it is not.
 */
export function linkedModel(from: string, to: string, stamp: string): boolean {
  if (!stamp || fileStamp(from) !== stamp) return false;
  try {
    linkSync(from, to);
    return true;
  } catch {
    return false;
  }
}

/**
 * The recorded bundles whose folders in `dist` still hold exactly the files recorded, each the
 * same file (its stamp): read with asynchronous calls, while the build goes on.
 */
export async function untouchedBundles(
  dist: string,
  records: ReadonlyMap<string, BundleRecord>,
): Promise<Map<string, BundleRecord>> {
  const untouched = new Map<string, BundleRecord>();
  await Promise.all(
    [...records].map(async ([folder, record]) => {
      try {
        const now = await stampedFiles(join(dist, folder));
        const same =
          now.length === record.files.length &&
          now.every(([file, stamp], i) => record.files[i]![0] === file && record.files[i]![1] === stamp);
        if (same) untouched.set(folder, record);
      } catch {
        // gone, or unreadable: built again
      }
    }),
  );
  return untouched;
}

/**
 * Where a build notes the bundles it moves from the published site into its own before it
 * replaces the published site: a build stopped between the two is undone by the next
 * (`returnMovedBundles`).
 */
const movedNote = (staging: string) => join(staging, 'moved-bundles.json');

/** Moves the kept bundles' folders from the published site `dist` into the staged one `site`. */
export function moveKeptBundles(staging: string, site: string, dist: string, folders: readonly string[]): void {
  if (folders.length === 0) return;
  keepFile(staging, basename(movedNote(staging)), JSON.stringify({ site, dist, folders }));
  for (const folder of folders) renameSync(join(dist, folder), join(site, folder));
}

/**
 * The bundles a stopped build had moved out of the published site (`moveKeptBundles`), put back
 * where the published site now is: its output folder, or, when the build stopped after moving the
 * old site aside, that folder's `.previous`.
 */
export function returnMovedBundles(staging: string): void {
  let note: { site?: unknown; dist?: unknown; folders?: unknown };
  try {
    note = JSON.parse(readFileSync(movedNote(staging), 'utf8')) as typeof note;
  } catch {
    return;
  }
  const { site, dist, folders } = note;
  if (typeof site !== 'string' || typeof dist !== 'string' || !Array.isArray(folders)) return;
  const published = existsSync(dist) ? dist : `${dist}.previous`;
  for (const folder of folders) {
    if (typeof folder !== 'string' || !existsSync(join(site, folder)) || existsSync(join(published, folder))) continue;
    try {
      renameSync(join(site, folder), join(published, folder));
    } catch {
      // left where it is: the next build builds it again
    }
  }
  rmSync(movedNote(staging), { force: true });
}

/** The pages of a site's index (url path → anchor ids) in each of `folders`, as a record keeps them. */
export function pagesByBundle(
  pages: ReadonlyMap<string, ReadonlySet<string>>,
  folders: readonly string[],
): Map<string, [string, string[]][]> {
  const byFolder = new Map(folders.map((folder) => [folder, [] as [string, string[]][]]));
  const names = new Set(folders);
  for (const [path, ids] of pages) {
    const held = folderHolding(path, names);
    if (held) byFolder.get(held.folder)!.push([path, [...ids]]);
  }
  return byFolder;
}
