/**
 * What the caches under `.readback/cache/` share (README, "Rebuilds"): how long an entry no build
 * has used is kept, and the files of an entry's folder.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** How long an entry no build has used is kept: long enough for builds that alternate. */
export const KEPT_FOR_MS = 3_600_000;

/** Every file below `dir`, relative to it, `/` separated. */
export function filesUnder(dir: string, below = ''): string[] {
  return readdirSync(join(dir, below), { withFileTypes: true }).flatMap((entry) => {
    const rel = below ? `${below}/${entry.name}` : entry.name;
    return entry.isDirectory() ? filesUnder(dir, rel) : [rel];
  });
}
