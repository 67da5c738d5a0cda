/**
 * Where an installed package is (src/io/package-json.ts): the build's quick lookup finds the very
 * package.json Node's own resolution finds, for every package the tools' identities take in.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageJsonByRequire, packageJsonOf } from '../src/io/package-json.ts';
import { REPO_ROOT, tempDir } from './helpers/workspace.ts';

describe('the package.json of a package, as Node would load it', () => {
  it("is Node's own answer for every package this package's dependencies reach", () => {
    const manifest = join(REPO_ROOT, 'package.json');
    const roots = Object.keys((JSON.parse(readFileSync(manifest, 'utf8')) as { dependencies: object }).dependencies);
    const queue = roots.map((name) => ({ name, from: manifest }));
    const seen = new Set<string>();
    while (queue.length > 0) {
      const { name, from } = queue.shift()!;
      if (seen.has(`${name}\0${from}`)) continue;
      seen.add(`${name}\0${from}`);
      const found = packageJsonOf(name, from);
      expect([name, from, found]).toEqual([name, from, packageJsonByRequire(name, from)]);
      if (!found) continue;
      const read = JSON.parse(readFileSync(found, 'utf8')) as { dependencies?: object; optionalDependencies?: object };
      for (const dependency of Object.keys({ ...read.dependencies, ...read.optionalDependencies }))
        queue.push({ name: dependency, from: found });
    }
    // Astro's dependencies among them: some hundreds of packages
    expect(seen.size).toBeGreaterThan(300);
  });

  it('is found through a linked package folder at its own place, and not in a node_modules of a node_modules', () => {
    const root = tempDir();
    const store = join(root, 'store', 'dep');
    mkdirSync(store, { recursive: true });
    writeFileSync(join(store, 'package.json'), JSON.stringify({ name: 'dep', version: '1.0.0' }));
    mkdirSync(join(root, 'app', 'node_modules'), { recursive: true });
    symlinkSync(store, join(root, 'app', 'node_modules', 'dep'), 'dir');
    // a stray copy where Node never looks (node_modules/node_modules)
    mkdirSync(join(root, 'app', 'node_modules', 'node_modules', 'dep'), { recursive: true });
    writeFileSync(join(root, 'app', 'node_modules', 'node_modules', 'dep', 'package.json'), '{"name":"dep"}');
    const from = join(root, 'app', 'node_modules', 'other', 'index.js');
    mkdirSync(join(root, 'app', 'node_modules', 'other'), { recursive: true });
    writeFileSync(from, '');
    expect(packageJsonOf('dep', from)).toBe(join(store, 'package.json'));
    expect(packageJsonOf('dep', from)).toBe(packageJsonByRequire('dep', from));
    expect(packageJsonOf('missing', from)).toBeNull();
  });
});
