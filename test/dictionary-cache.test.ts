/** Dictionary texts kept by a build and read back from their canonical JSON (src/io/dictionary-cache.ts). */
import { readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DictionaryCache } from '../src/io/dictionary-cache.ts';
import { loadDictionaryCatalog } from '../src/io/workspace.ts';
import { MINIMAL_EXAMPLE, REPO_ROOT, tempDir } from './helpers/workspace.ts';

describe('dictionaries kept by content', () => {
  for (const [name, root] of [
    ['the bundled sample (a current version and four releases)', REPO_ROOT],
    ['the minimal example', MINIMAL_EXAMPLE],
  ] as const)
    it(`reads ${name} from what it kept as it reads the YAML: every version, its metrics and their lines`, () => {
      const folder = tempDir('readback-dictionaries-');
      const cache = new DictionaryCache(folder, 'tool');
      const plain = loadDictionaryCatalog(root);
      expect(plain.problems).toEqual([]);
      const first = loadDictionaryCatalog(root, cache);
      const entries = readdirSync(folder);
      expect(entries.length).toBeGreaterThan(0);
      // every entry marked as unused for two hours: the next read uses them, and so marks them used
      const old = new Date(Date.now() - 7_200_000);
      for (const entry of entries) utimesSync(join(folder, entry), old, old);
      const again = loadDictionaryCatalog(root, cache);
      for (const entry of entries)
        expect(statSync(join(folder, entry)).mtimeMs).toBeGreaterThan(old.getTime() + 60_000);
      for (const read of [first, again]) {
        expect(read.problems).toEqual([]);
        expect([...read.byVersion.keys()]).toEqual([...plain.byVersion.keys()]);
        for (const [version, loaded] of plain.byVersion) expect(read.byVersion.get(version)).toEqual(loaded);
        expect(read.current).toEqual(plain.current);
        expect(read.history).toEqual(plain.history);
      }
      cache.prune();
      expect(readdirSync(folder).sort()).toEqual(entries.sort());
    });

  it('reads the YAML again when a kept entry does not read, and when the code that reads it is another', () => {
    const folder = tempDir('readback-dictionaries-');
    const plain = loadDictionaryCatalog(REPO_ROOT);
    loadDictionaryCatalog(REPO_ROOT, new DictionaryCache(folder, 'tool'));
    for (const entry of readdirSync(folder)) writeFileSync(join(folder, entry), '{ not json');
    expect(loadDictionaryCatalog(REPO_ROOT, new DictionaryCache(folder, 'tool')).current).toEqual(plain.current);
    // another tool: other keys, so new entries beside the unreadable ones
    const before = readdirSync(folder).length;
    loadDictionaryCatalog(REPO_ROOT, new DictionaryCache(folder, 'another tool'));
    expect(readdirSync(folder).length).toBe(before * 2);
  });
});
