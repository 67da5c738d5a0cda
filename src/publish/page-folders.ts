/**
 * The folders of a rebuild's pages, made while the pages' process reads the site models. Astro
 * puts each page it reuses into place by making its folder and linking the kept page there
 * (astro-page-links.ts); for the bench site's 2,505 pages the folders were about a third of a
 * second of that process's time, on the rebuild's critical path, while the build's own thread
 * waited. They are now made first, from the pages the last build into the same output folder
 * wrote (Astro's manifest in the page cache), and any made that this build left empty are removed
 * afterwards, so what is published is what a clean build publishes. A thread of their own makes
 * them, one at a time: on libuv's four threads the build's reads and writes queued behind 2,400
 * of them, and the four spun on the kernel's lock of each parent folder (docs/PERFORMANCE.md).
 */
import { readFileSync, rmdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { folderHolding } from '../core/partner-bundles.ts';

/** Astro's record of the pages its incremental build wrote (astro/dist/core/build/incremental.js). */
const MANIFEST = 'incremental-build.json';

interface Manifest {
  routes?: Record<string, { paths?: Record<string, { outputFile?: unknown }> }>;
}

/** The folders (relative to the output folder) of the pages Astro's manifest in `cacheFolder` lists. */
function pageFolders(cacheFolder: string): Set<string> {
  try {
    const manifest = JSON.parse(readFileSync(join(cacheFolder, MANIFEST), 'utf8')) as Manifest;
    const folders = new Set<string>();
    for (const route of Object.values(manifest.routes ?? {}))
      for (const path of Object.values(route.paths ?? {}))
        if (typeof path.outputFile === 'string') folders.add(dirname(path.outputFile));
    return folders;
  } catch {
    return new Set(); // no earlier build, or not readable: Astro makes every folder itself
  }
}

/**
 * Makes the folders, in `outDir`, of the pages the last build listed in `cacheFolder`; `tidy`,
 * once this build's pages are written, removes those it made that no page of this build is in.
 */
export function makePageFolders(
  cacheFolder: string,
  outDir: string,
  /** folders (relative to `outDir`) whose pages are not put in place: the partner bundles the build keeps */
  except: ReadonlySet<string> = new Set(),
  /** a folder (relative to `outDir`) the pages' folders are made in alone: none, every folder */
  only?: string,
  /**
   * the folders of the site the last build replaced, emptied of its files (remove-later.ts): taken
   * as `outDir` (still empty) when it holds nothing but folders, before the rest are made
   */
  skeleton?: string,
): { settled: () => Promise<void>; tidy: () => Promise<void>; prune: (sparing?: readonly string[]) => Promise<void> } {
  const within = only === undefined ? undefined : new Set([only]);
  const inside = (folder: string) => {
    if (folderHolding(`${folder}/`, except)) return null;
    if (within && !folderHolding(`${folder}/`, within)) return null;
    const path = resolve(outDir, folder);
    const rel = relative(outDir, path);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? path : null;
  };
  const earlier = [...pageFolders(cacheFolder)].flatMap((folder) => inside(folder) ?? []);
  // each folder made with one call, its parent first: level by level from the output folder (a
  // recursive make of each, all at once, tried each first, failed for want of its parent, and
  // made the parent again: about four calls a folder)
  const levels = new Map<number, string[]>();
  const listed = new Set<string>();
  for (const path of earlier)
    for (let folder = path; relative(outDir, folder) !== '' && !listed.has(folder); folder = dirname(folder)) {
      listed.add(folder);
      const depth = relative(outDir, folder).split(sep).length;
      (levels.get(depth) ?? levels.set(depth, []).get(depth)!).push(folder);
    }
  const ordered = [...levels.keys()].sort((a, b) => a - b).flatMap((depth) => levels.get(depth)!);
  const made = ordered.length === 0 && !skeleton ? Promise.resolve([]) : madeApart(ordered, outDir, skeleton);
  /** the folders of this build's pages and those above them, once known (`tidy`): none of them is empty */
  let holding: Set<string> | undefined;
  return {
    settled: () => made.then(() => {}),
    tidy: async () => {
      await made;
      const now = new Set([...pageFolders(cacheFolder)].flatMap((folder) => inside(folder) ?? []));
      holding = new Set();
      for (const path of now)
        for (let folder = path; relative(outDir, folder) !== '' && !holding.has(folder); folder = dirname(folder))
          holding.add(folder);
      for (const path of earlier) {
        // the folder and those above it that are left empty (rmdir refuses a folder that is not)
        for (let folder = path; !now.has(folder) && relative(outDir, folder) !== ''; folder = dirname(folder)) {
          try {
            rmdirSync(folder);
          } catch {
            break;
          }
        }
      }
    },
    // the skeleton's folders this build left empty, deepest first (but those that hold its pages),
    // so that what it publishes is what a clean build publishes: once no file will be written in
    // them, before verify reads the site (it takes a tuples/<id>/ folder for a published tuple), the
    // `sparing` folders' (relative to `outDir`, written later) aside; then, once every file is, the rest
    prune: async (sparing: readonly string[] = []) => {
      const given = await made;
      const spared = (folder: string) => {
        const rel = relative(outDir, folder).split(sep).join('/');
        return sparing.some((s) => rel === s || rel.startsWith(`${s}/`));
      };
      for (const folder of given.sort((x, y) => y.length - x.length)) {
        if (holding?.has(folder) || spared(folder)) continue;
        try {
          rmdirSync(folder);
        } catch {
          // not empty: this build wrote there
        }
      }
    },
  };
}

/**
 * Makes `folders` (each listed after its parent) with synchronous calls in a thread of its own;
 * first, with a `skeleton`, takes it as `outDir`. The answer: the folders the skeleton gave.
 */
function madeApart(folders: string[], outDir: string, skeleton?: string): Promise<string[]> {
  let worker: Worker;
  try {
    worker = new Worker(
      `const { lstatSync, mkdirSync, readdirSync, renameSync, rmSync } = require('node:fs');
     const { join } = require('node:path');
     const { parentPort, workerData } = require('node:worker_threads');
     const { folders, outDir, skeleton } = workerData;
     const given = new Set();
     if (skeleton) {
       // claimed first (no other build takes it then), then looked through: folders alone, each
       // with the mode, owner and group a folder made now has (the output folder, just made), or it
       // is not used: a folder's permissions set in an earlier site are not carried into this one
       const taken = outDir + '.skeleton';
       const fresh = lstatSync(outDir);
       const asMade = (path) => {
         const made = lstatSync(path);
         if (!made.isDirectory() || made.mode !== fresh.mode || made.uid !== fresh.uid || made.gid !== fresh.gid)
           throw new Error('not a folder as made now: ' + path);
       };
       const found = [];
       const walk = (dir, rel) => {
         for (const entry of readdirSync(dir, { withFileTypes: true })) {
           asMade(join(dir, entry.name));
           found.push(join(outDir, rel, entry.name));
           walk(join(dir, entry.name), join(rel, entry.name));
         }
       };
       try {
         renameSync(skeleton, taken);
         asMade(taken);
         walk(taken, '');
         // in place of the output folder, while it is still empty (else this fails: nothing is lost)
         renameSync(taken, outDir);
         for (const folder of found) given.add(folder);
       } catch {
         try { rmSync(taken, { recursive: true, force: true }); } catch {}
       }
     }
     // one that exists is left as it is; one that cannot be made, Astro makes as it puts its page there
     for (const folder of folders) { if (!given.has(folder)) try { mkdirSync(folder); } catch {} }
     parentPort.postMessage([...given]);`,
      { eval: true, workerData: { folders, outDir, skeleton } },
    );
  } catch {
    return Promise.resolve([]); // no thread to be had: Astro makes each folder as it puts its page there
  }
  return new Promise<string[]>((resolve) => {
    worker.once('message', (given: string[]) => resolve(given));
    worker.once('error', () => resolve([]));
    worker.once('exit', () => resolve([]));
  });
}
