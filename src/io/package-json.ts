/** Where an installed package is, as Node would load it from a given file. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The package.json of `name` as `from` (a file: a package.json, a module) would load it, or null. */
export function packageJsonOf(name: string, from: string): string | null {
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
