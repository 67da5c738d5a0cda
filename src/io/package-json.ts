/** Where an installed package is, as Node would load it from a given file. */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';

/**
 * The package.json of `name` as `from` (a file: a package.json, a module) would load it, or null.
 * Looked up as Node looks a package up, in `node_modules/<name>` of each folder up from the one
 * asking (not of a folder that is itself a `node_modules`), the file found with its links resolved
 * as Node resolves them. A build asks this of every package of Astro's and the renderer's
 * dependencies, some hundreds: Node's own resolution for each (`require.resolve`, then the package's
 * exports) took the build's thread about 0.1 s. Where that finds none (a package Node finds
 * elsewhere, NODE_PATH), Node's own resolution answers (`packageJsonByRequire`).
 */
export function packageJsonOf(name: string, from: string): string | null {
  for (let dir = dirname(from); dir !== dirname(dir); dir = dirname(dir)) {
    if (basename(dir) === 'node_modules') continue;
    const candidate = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return realpathSync.native(candidate);
  }
  return packageJsonByRequire(name, from);
}

/** `packageJsonOf` by Node's own resolution (`require.resolve`): the same file, found more slowly. */
export function packageJsonByRequire(name: string, from: string): string | null {
  const require = createRequire(from);
  try {
    return require.resolve(`${name}/package.json`);
  } catch {}
  try {
    // a package whose exports hide its package.json: walk up from its entry point
    let dir = dirname(require.resolve(name));
    for (; dir !== dirname(dir); dir = dirname(dir)) {
      const candidate = join(dir, 'package.json');
      if (existsSync(candidate) && JSON.parse(readFileSync(candidate, 'utf8')).name === name) return candidate;
    }
  } catch {}
  // as Node looks a package up: node_modules/<name> in each folder up from the one asking
  for (let dir = dirname(from); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return candidate;
  }
  return null;
}
