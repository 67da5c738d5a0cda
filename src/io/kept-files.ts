/**
 * What the caches under `.readback/cache/` share (README, "Rebuilds"): how long an entry no build
 * has used is kept, and the files of an entry's folder.
 */
import {
  type BigIntStats,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A file's stamp across builds: the same while no one writes into the file (its device, inode,
 * size and modification time, to the nanosecond). Linking the file into another folder leaves it
 * as it is (src/publish/page-reads.ts keeps pages by it).
 */
export const lastingStamp = (stat: BigIntStats) => `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}`;
/** The stamp across builds (`lastingStamp`) of the file at `path`. */
export const lastingStampOf = (path: string) => lastingStamp(statSync(path, { bigint: true }));
/** A file's stamp within a build: the lasting one and the change time, which moves when the file is written, moved or linked. */
export const statStamp = (stat: BigIntStats) => `${lastingStamp(stat)}:${stat.ctimeNs}`;

/** How long an entry no build has used is kept: long enough for builds that alternate. */
export const KEPT_FOR_MS = 3_600_000;

/** Every file below `dir`, relative to it, `/` separated. */
export function filesUnder(dir: string, below = ''): string[] {
  return readdirSync(join(dir, below), { withFileTypes: true }).flatMap((entry) => {
    const rel = below ? `${below}/${entry.name}` : entry.name;
    return entry.isDirectory() ? filesUnder(dir, rel) : [rel];
  });
}

/** Where a kept file is written before it is renamed into place: a name of this process's own. */
const temporaryOf = (dir: string, name: string) => join(dir, `${name}.${process.pid}.tmp`);

/** Writes `text` as `<dir>/<name>`, whole or not at all (another build may read it meanwhile). Best effort. */
export function keepFile(dir: string, name: string, text: string): void {
  const temporary = temporaryOf(dir, name);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temporary, text);
    renameSync(temporary, join(dir, name));
  } catch {
    rmSync(temporary, { force: true });
  }
}

/**
 * `keepFile` with the writing on libuv's threads: settles once the file is in place (or not kept),
 * never rejects. For a file of megabytes a build keeps at its very end, written while its thread
 * does the rest of that step.
 */
export async function keepFileLater(dir: string, name: string, text: string): Promise<void> {
  const temporary = temporaryOf(dir, name);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(temporary, text);
    await rename(temporary, join(dir, name));
  } catch {
    await rm(temporary, { force: true }).catch(() => {});
  }
}

/** The text kept at `path`, marked as used now (so pruning keeps it); null when there is none. */
export function usedFile(path: string): string | null {
  try {
    const text = readFileSync(path, 'utf8');
    const now = new Date();
    utimesSync(path, now, now);
    return text;
  } catch {
    return null;
  }
}

/** Removes the files of `dir` no build used within the last hour (KEPT_FOR_MS), so a cache does not grow. */
export function pruneUnused(dir: string, now = Date.now()): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (now - statSync(path).mtimeMs > KEPT_FOR_MS) rmSync(path, { recursive: true, force: true });
  }
}
