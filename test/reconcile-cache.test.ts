/**
 * The reconciled tuples a build keeps (src/io/reconcile-cache.ts): a build adds to the end of the
 * file what it reconciled and used, and writes it anew only once most of it is out of use.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEPT_FOR_MS } from '../src/io/kept-files.ts';
import { type Reconciled, ReconcileCache } from '../src/io/reconcile-cache.ts';
import type { DictionaryCatalog } from '../src/io/workspace.ts';
import { tempDir } from './helpers/workspace.ts';

const catalog: DictionaryCatalog = { current: null, byVersion: new Map(), history: [], problems: [] };

/** A green outcome of tuple `id` (only what the cache looks at is filled in; the rest rides along as JSON). */
const green = (id: string, size = 10): Reconciled =>
  ({
    entry: { tuple_id: id, status: 'green', problems: [], padding: 'x'.repeat(size) },
    leadershipOnly: null,
  }) as unknown as Reconciled;

const keyOf = (n: number) => n.toString(16).padStart(64, '0');

describe('the reconciled tuples kept between builds', () => {
  it('are added to the end of the file, a short line for each reused, and read back as the last line of each says', () => {
    const file = join(tempDir(), 'reconciled.jsonl');
    const first = new ReconcileCache(file, 'tool', '/w', catalog);
    for (let n = 1; n <= 4; n++) first.put(keyOf(n), green(`t${n}`, 1000), 1_000);
    first.save(1_000);
    const written = readFileSync(file, 'utf8');
    expect(written.trimEnd().split('\n')).toHaveLength(4);

    // a rebuild: three reused, one reconciled anew under another key
    const second = new ReconcileCache(file, 'tool', '/w', catalog);
    for (const n of [1, 2, 3]) expect(second.get(keyOf(n), 2_000)?.entry.tuple_id).toBe(`t${n}`);
    expect(second.get(keyOf(5), 2_000)).toBeNull();
    second.put(keyOf(5), green('t4', 1000), 2_000);
    second.save(2_000);
    const after = readFileSync(file, 'utf8');
    // what was there is left as it was; the rest follows it
    expect(after.startsWith(written)).toBe(true);
    expect(after.slice(written.length).split('\n').filter(Boolean)).toEqual([
      `${keyOf(1)} 2000`,
      `${keyOf(2)} 2000`,
      `${keyOf(3)} 2000`,
      expect.stringMatching(new RegExp(`^${keyOf(5)} 2000 \\{`)),
    ]);

    // read back: each key's last use, and every outcome
    const third = new ReconcileCache(file, 'tool', '/w', catalog);
    for (const n of [1, 2, 3, 4, 5]) expect(third.get(keyOf(n), 3_000)).not.toBeNull();
    // the outcome under key 4 was last used at 1,000: an hour later only it is out of use
    const later = new ReconcileCache(file, 'tool', '/w', catalog);
    for (const n of [1, 2, 3, 5]) later.get(keyOf(n), 2_000 + KEPT_FOR_MS);
    later.save(2_000 + KEPT_FOR_MS);
    expect(readFileSync(file, 'utf8').length).toBeGreaterThan(after.length);
  });

  it('are written anew, without the tuples out of use, once more than half the file would be', () => {
    const file = join(tempDir(), 'reconciled.jsonl');
    const first = new ReconcileCache(file, 'tool', '/w', catalog);
    first.put(keyOf(1), green('big', 5000), 1_000);
    first.put(keyOf(2), green('small', 10), 1_000);
    first.save(1_000);
    // more than an hour later only the small one is used: the big one is out of use, and the file
    // is written anew with a line for the small one alone
    const now = 1_000 + KEPT_FOR_MS + 1;
    const second = new ReconcileCache(file, 'tool', '/w', catalog);
    expect(second.get(keyOf(2), now)).not.toBeNull();
    second.save(now);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${keyOf(2)} ${now} \\{`));
  });

  it('are written anew when the file does not end a line (a build stopped while adding to it)', () => {
    const file = join(tempDir(), 'reconciled.jsonl');
    const first = new ReconcileCache(file, 'tool', '/w', catalog);
    first.put(keyOf(1), green('t1', 1000), 1_000);
    first.save(1_000);
    writeFileSync(file, `${readFileSync(file, 'utf8')}${keyOf(2)} 1000 {"entry":{"tup`);
    const second = new ReconcileCache(file, 'tool', '/w', catalog);
    expect(second.get(keyOf(1), 2_000)).not.toBeNull();
    expect(second.get(keyOf(2), 2_000)).toBeNull();
    second.save(2_000);
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1)).toEqual([expect.stringMatching(new RegExp(`^${keyOf(1)} 2000 \\{`))]);
  });
});

describe('a kept outcome holding a line separator', () => {
  it('is read back (JSON leaves U+2028 and U+2029 as they are)', () => {
    const file = join(tempDir(), 'reconciled.jsonl');
    const first = new ReconcileCache(file, 'tool', '/w', catalog);
    first.put(keyOf(1), green('t\u2028one\u2029', 10), 1_000);
    first.save(1_000);
    const second = new ReconcileCache(file, 'tool', '/w', catalog);
    expect(second.get(keyOf(1), 2_000)?.entry.tuple_id).toBe('t\u2028one\u2029');
  });
});
