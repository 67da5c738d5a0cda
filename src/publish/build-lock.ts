/**
 * One build at a time per output folder: a lock file beside it (`<dist>.lock`), created atomically
 * (`wx`: exactly one of two builds creates it) and holding who builds, so a second build can say
 * whom it waits for. A lock whose holder is no longer running on this host is recovered.
 */
import { readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** Who holds an output folder's lock: written into the lock file as JSON. */
export interface LockHolder {
  /** this build's id: also the name of its staging folder */
  build: string;
  pid: number;
  host: string;
  /** when the build started, as an ISO 8601 instant */
  since: string;
  command: string;
}

export type LockAttempt =
  | {
      acquired: true;
      path: string;
      /** a stale lock this build took over (its holder: null when it was unreadable), if there was one */
      recovered: { holder: LockHolder | null } | null;
      /** removes the lock file, if it is still this build's */
      release: () => void;
    }
  | {
      acquired: false;
      path: string;
      /** null when the lock file is being written or is unreadable */
      holder: LockHolder | null;
    };

/** How long a lock file may stay unreadable (a holder between creating and writing it) before it counts as stale. */
const UNREADABLE_GRACE_MS = 10_000;

/** The holder of this process's build, for `acquireBuildLock`. */
export function thisBuild(build: string, now = new Date()): LockHolder {
  return { build, pid: process.pid, host: hostname(), since: now.toISOString(), command: process.argv.join(' ') };
}

function lockPathOf(dist: string): string {
  return `${dist}.lock`;
}

/** Whether process `pid` is running on this host (EPERM: it is, under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolderText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function readHolder(path: string): LockHolder | null {
  try {
    const holder = JSON.parse(readHolderText(path) ?? '') as LockHolder;
    return Number.isInteger(holder.pid) && typeof holder.host === 'string' ? holder : null;
  } catch {
    return null;
  }
}

function ageMs(path: string): number | null {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

function create(path: string, content: string): boolean {
  try {
    writeFileSync(path, content, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * A lock is stale when its holder ran on this host and is gone, or when it stayed unreadable past
 * the grace period. A holder on another host cannot be judged from here, so it is never stale.
 */
function isStale(holder: LockHolder | null, path: string, alive: (pid: number) => boolean): boolean {
  if (holder) return holder.host === hostname() && !alive(holder.pid);
  const age = ageMs(path);
  return age !== null && age > UNREADABLE_GRACE_MS;
}

/**
 * Takes the lock of output folder `dist` for `me`, or says who holds it. A stale lock is removed
 * under a second, short-lived lock (`<dist>.lock.recover`), so two builds that find the same stale
 * lock never both remove it and both go on.
 */
export function acquireBuildLock(
  dist: string,
  me: LockHolder,
  alive: (pid: number) => boolean = processAlive,
): LockAttempt {
  const path = lockPathOf(dist);
  const content = `${JSON.stringify(me, null, 2)}\n`;
  const release = () => {
    if (readHolderText(path) === content) unlinkSync(path);
  };
  let recovered: { holder: LockHolder | null } | null = null;
  // a second round only after a stale lock was removed (or the holder released it meanwhile)
  for (let round = 0; round < 3; round++) {
    if (create(path, content)) return { acquired: true, path, recovered, release };
    const holder = readHolder(path);
    if (!isStale(holder, path, alive)) return { acquired: false, path, holder };
    const guard = `${path}.recover`;
    if (!create(guard, content)) {
      // another build is recovering this lock right now (or died doing it, long ago)
      const guardAge = ageMs(guard);
      if (guardAge !== null && guardAge > UNREADABLE_GRACE_MS) rmSync(guard, { force: true });
      return { acquired: false, path, holder };
    }
    try {
      // judged again under the guard: a build that recovered it first may have created a live one
      if (isStale(readHolder(path), path, alive)) {
        unlinkSync(path);
        recovered = { holder };
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    } finally {
      unlinkSync(guard);
    }
  }
  return { acquired: false, path, holder: readHolder(path) };
}
