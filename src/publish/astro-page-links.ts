/**
 * Astro's incremental build (README, "Rebuilds") keeps a copy of every page it renders in its
 * cache, and copies a kept page back into the output folder when a later build reuses it: 72 MB
 * written twice for the bench site, and some thousands of files more to create, which cost a full
 * build about a tenth of its time on the 2-core machine (docs/PERFORMANCE.md). Here both copies
 * become hard links: the cache's entry is the page just written, and a reused page is the cache's
 * entry. No build ever writes into a file that exists (a page is written once, into a staging
 * folder of its own; a published folder is replaced whole), so a link is as good as a copy.
 *
 * The kept pages sit side by side in one folder, each named by the SHA-256 of its path in the
 * output folder, not in a copy of the output folder's tree: a full build would otherwise make a
 * folder per page there too (15,000 for a program of 2,000 tuples), and this machine's kernel makes
 * folders slowly.
 *
 * Astro's cache is a class of its own, not part of its public interface: when it is not where and
 * what this expects (another Astro version), or a link cannot be made (another file system), Astro
 * copies as it does by itself. The rebuild test compares a rebuild with a clean build byte for byte.
 */
import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { folderHolding, pageIndexPath } from '../core/partner-bundles.ts';

/** What Astro's cache methods are given (astro/dist/core/build/incremental.js). */
interface Settings {
  config: { cacheDir: URL; outDir: URL };
}
type Write = (settings: Settings, outputFile: string, body: unknown) => Promise<void>;
type Restore = (settings: Settings, outputFile: string, destination: URL) => Promise<boolean>;
type Remove = (settings: Settings, outputFile: string) => Promise<void>;

/** Where a page of the output folder is kept: `<cacheDir>/pages/<SHA-256 of its path there>.html`. */
const keptAt = (settings: Settings, outputFile: string) =>
  join(
    fileURLToPath(settings.config.cacheDir),
    'pages',
    `${createHash('sha256').update(outputFile).digest('hex')}.html`,
  );

/**
 * `to` made a hard link to `from`, replacing what is there; false when the file system refuses.
 * One call to link in the common case: its folder is made (and a file there removed) only when
 * the link says it must be, as this machine's kernel makes folders slowly.
 */
function linked(from: string, to: string): boolean {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      linkSync(from, to);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      try {
        if (code === 'ENOENT' && existsSync(from)) mkdirSync(dirname(to), { recursive: true });
        else if (code === 'EEXIST') rmSync(to, { force: true });
        else return false;
      } catch {
        return false;
      }
    }
  }
  return false;
}

let kept: ReadonlySet<string> | undefined;

/**
 * The partner bundles the build keeps as published (`partners/<partner_id>`), as it hands them to
 * this process beside the site models' page keys (src/core/partner-bundles.ts, `pageIndexPath`).
 * Read when the first page is put in place: by then every model is written.
 */
function keptBundles(): ReadonlySet<string> {
  if (!kept) {
    const model = process.env.READBACK_SITE_MODEL;
    try {
      const index = model ? (JSON.parse(readFileSync(pageIndexPath(model), 'utf8')) as { kept?: unknown }) : {};
      kept = new Set(Array.isArray(index.kept) ? index.kept.filter((folder) => typeof folder === 'string') : []);
    } catch {
      kept = new Set();
    }
  }
  return kept;
}

/** Has Astro's cache link pages instead of copying them; true when it could. */
export async function linkKeptPages(): Promise<boolean> {
  try {
    const astro = dirname(createRequire(import.meta.url).resolve('astro/package.json'));
    const module = (await import(pathToFileURL(join(astro, 'dist', 'core', 'build', 'incremental.js')).href)) as {
      IncrementalBuildCache?: {
        prototype: { writeOutputFile?: Write; restoreOutputFile?: Restore; deleteOutputFile?: Remove };
      };
    };
    const cache = module.IncrementalBuildCache?.prototype;
    const write = cache?.writeOutputFile;
    const restore = cache?.restoreOutputFile;
    const remove = cache?.deleteOutputFile;
    if (!cache || typeof write !== 'function' || typeof restore !== 'function' || typeof remove !== 'function') {
      return false;
    }
    // kept: the page Astro has just written to the output folder, linked into the cache
    cache.writeOutputFile = async function (settings, outputFile, body) {
      const page = fileURLToPath(new URL(outputFile, settings.config.outDir));
      if (!linked(page, keptAt(settings, outputFile))) await write.call(this, settings, outputFile, body);
    };
    // reused: the kept page linked into the output folder; a page of a partner bundle the build
    // keeps as published is left where it is (kept-bundles.ts), and kept in the cache as reused
    cache.restoreOutputFile = async function (settings, outputFile, destination) {
      if (folderHolding(outputFile, keptBundles())) return true;
      if (linked(keptAt(settings, outputFile), fileURLToPath(destination))) return true;
      return restore.call(this, settings, outputFile, destination);
    };
    // a page no longer built: its kept copy removed, wherever it was kept
    cache.deleteOutputFile = async function (settings, outputFile) {
      rmSync(keptAt(settings, outputFile), { force: true });
      await remove.call(this, settings, outputFile);
    };
    return true;
  } catch {
    return false;
  }
}
