/** The kept verdicts of a tuple's checks (src/publish/verdict-cache.ts): a file that is not what a build wrote is no cache. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepVerdicts, readVerdicts } from '../src/publish/verdict-cache.ts';
import { tempDir } from './helpers/workspace.ts';

describe('kept verdicts', () => {
  it('keeps what passed and what was used, and forgets what no build used within the hour', () => {
    const file = join(tempDir(), 'verified.json');
    const now = Date.now();
    keepVerdicts(file, [{ found: [], passed: [['a', 3]] }], now - 2 * 3_600_000);
    keepVerdicts(file, [{ found: [], passed: [['b', 5]] }], now);
    expect(readVerdicts(file)).toEqual(new Map([['b', 5]])); // a: kept two hours ago, unused since
    keepVerdicts(
      file,
      [
        { found: ['b'], passed: [] },
        { found: [], passed: [['c', 0]] },
      ],
      now + 1,
    );
    expect(readVerdicts(file)).toEqual(
      new Map([
        ['b', 5],
        ['c', 0],
      ]),
    );
  });

  it('reads a file that is not what a build wrote as no verdict, and writes a good one over it', () => {
    const file = join(tempDir(), 'verified.json');
    for (const text of [
      'null',
      '"x"',
      '[1]',
      '{"k":5}',
      '{"k":{"used":1,"checks":"3"}}',
      '{"k":{"used":1,"checks":1e9}}',
      '{',
    ]) {
      writeFileSync(file, text);
      expect(readVerdicts(file), text).toEqual(new Map());
      expect(() => keepVerdicts(file, [{ found: ['k'], passed: [['n', 2]] }]), text).not.toThrow();
      expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')) as object), text).toEqual(['n']);
    }
  });
});
