import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseDictionary } from '../src/core/dictionary.ts';
import { canonicalJson, canonicalSha256, sha256Hex, shortHash, tupleRevisionHash } from '../src/core/hash.ts';
import { MINIMAL_EXAMPLE } from './helpers/workspace.ts';

const hex = (text: string) => createHash('sha256').update(text).digest('hex');

describe('tuple revision hash (SPEC §5)', () => {
  it('is the SHA-256 of the JCS document written out by hand', () => {
    const inputs = {
      tuple_id: 'acme-2026-q2',
      start_inclusive: '2026-04-01T00:00:00Z',
      end_exclusive: '2026-07-01T00:00:00Z',
      dictionary_version: '2.1.0',
      dictionary_sha256: 'a'.repeat(64),
      leadership_sha256: 'b'.repeat(64),
      partner_sha256: 'c'.repeat(64),
    };
    // keys sorted by code point, no white space: what `jq -cS` prints for this document
    const byHand =
      `{"dictionary_sha256":"${'a'.repeat(64)}","dictionary_version":"2.1.0","end_exclusive":"2026-07-01T00:00:00Z",` +
      `"leadership_sha256":"${'b'.repeat(64)}","partner_sha256":"${'c'.repeat(64)}","start_inclusive":"2026-04-01T00:00:00Z","tuple_id":"acme-2026-q2"}`;
    expect(tupleRevisionHash(inputs)).toBe(`sha256:${hex(byHand)}`);
    expect(shortHash(tupleRevisionHash(inputs))).toBe(hex(byHand).slice(0, 12));
  });

  it('changes when any input changes', () => {
    const base = {
      tuple_id: 't',
      start_inclusive: 's',
      end_exclusive: 'e',
      dictionary_version: '1.0.0',
      dictionary_sha256: 'd',
      leadership_sha256: 'l',
      partner_sha256: 'p',
    };
    const seen = new Set([tupleRevisionHash(base)]);
    for (const key of Object.keys(base) as (keyof typeof base)[])
      seen.add(tupleRevisionHash({ ...base, [key]: `${base[key]}x` }));
    expect(seen.size).toBe(8);
  });
});

describe('dictionary_sha256', () => {
  const text = readFileSync(join(MINIMAL_EXAMPLE, 'dictionary', 'metrics.yaml'), 'utf8');
  it('hashes the canonical JSON of the YAML as written (core schema, no defaults)', () => {
    const loaded = parseDictionary(text, 'metrics.yaml').loaded!;
    expect(loaded.sha256).toBe(hex(canonicalJson(parse(text, { schema: 'core' }))));
    // no defaults filled in: the example has no `epsilon` on metrics, and the canonical JSON has none either
    expect(loaded.canonical).not.toContain('"epsilon":"0","epsilon_bp"');
  });
  it('ignores comments and layout', () => {
    const relaidOut = `# another comment\n${text.replace(/\n/g, '\n\n')}`.replace(
      'rounding: half_even',
      'rounding:   "half_even"   # quoted',
    );
    expect(parseDictionary(relaidOut, 'x.yaml').loaded!.sha256).toBe(
      parseDictionary(text, 'metrics.yaml').loaded!.sha256,
    );
  });
  it('keeps dates as strings (YAML 1.2 core schema)', () => {
    const dated = text.replace('deprecated_after: null', 'deprecated_after: 2027-01-31');
    expect(parseDictionary(dated, 'x.yaml').loaded!.canonical).toContain('"deprecated_after":"2027-01-31"');
  });
});

describe('canonicalSha256', () => {
  it('is the SHA-256 of the RFC 8785 text, for any JSON value and for a report entry', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalSha256(value)).toBe(sha256Hex(canonicalJson(value)));
      }),
      { numRuns: 300 },
    );
    // long enough to be hashed in several pieces, with undefined members left out as JSON leaves them out
    const entry = {
      z: undefined,
      periods: Array.from({ length: 5000 }, (_, i) => ({ period_start: `p${i}`, delta: null, note: 'é—"\n' })),
    };
    expect(canonicalSha256(entry)).toBe(sha256Hex(canonicalJson(entry)));
  });
  it('escapes, orders members and refuses what RFC 8785 refuses as canonicalJson does', () => {
    // any UTF-16 code unit (lone surrogates, quotes, backslashes, control characters), and objects of
    // one shape written with their members in different orders
    const text = fc.string({
      unit: fc.oneof(
        fc.constantFrom('"', '\\', '\u0000', '\u001f', '\u007f', '\u2028', '\ud800', '\udfff', 'é', '😀'),
        fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
      ),
    });
    const names = fc.constantFrom('a', 'B', 'b', 'é', '', '\ud83d\ude00', '\u00e9', '10', '2');
    const value = fc.letrec((tie) => ({
      json: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('json')),
        fc.dictionary(names, tie('json')),
      ),
    })).json;
    fc.assert(
      fc.property(fc.array(value), (values) => {
        const outcome = (hash: () => string) => {
          try {
            return hash();
          } catch (error) {
            return `refused: ${(error as Error).message}`;
          }
        };
        expect(outcome(() => canonicalSha256(values))).toBe(outcome(() => sha256Hex(canonicalJson(values))));
      }),
      { numRuns: 500 },
    );
  });
});
