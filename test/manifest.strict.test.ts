/**
 * Manifests are read strictly: one value per key, strict UTF-8, no control characters, and a
 * manifest that names anything but its own audience's export is refused. A mutated manifest
 * never reconciles green and never makes the reader throw.
 */
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../src/core/located.ts';
import { parseManifest } from '../src/core/manifest.ts';
import { decodeText, showDifference } from '../src/core/text.ts';
import { replayCommand } from '../src/io/artifacts.ts';
import { reconcileWorkspace } from '../src/io/reconcile-workspace.ts';
import { runCli } from './helpers/cli.ts';
import { copyWorkspace, REPO_ROOT, sha256 } from './helpers/workspace.ts';

const BASE = join(REPO_ROOT, 'test', 'fixtures', 'base');
const TUPLE = 'content/tuples/globex-2026-w27';
const manifestText = (audience: 'leadership' | 'partner') =>
  readFileSync(join(BASE, TUPLE, `${audience}.manifest.json`), 'utf8');

describe('a manifest', () => {
  it('may not start with a byte order mark: it is published byte for byte, and JSON tools refuse one', async () => {
    const root = copyWorkspace(BASE);
    writeFileSync(join(root, TUPLE, 'partner.manifest.json'), `\uFEFF${manifestText('partner')}`);
    const report = await reconcileWorkspace({ root });
    expect(report.tuples[0]!.problems).toEqual([
      expect.objectContaining({ code: 'BAD_MANIFEST', line: 1, column: 1, actual: 'EF BB BF' }),
    ]);
    expect(report.tuples[0]!.problems[0]!.message).toContain('byte order mark');
  });

  it('is located where a duplicate key is written the second time', () => {
    const text = manifestText('partner').replace('  "run_id":', '  "run_id": "run-other",\n  "run_id":');
    const read = parseManifest(text, 'p.json', 'partner');
    expect(read.manifest).toBeNull();
    const second = text
      .split('\n')
      .findIndex((line, i, all) => line.includes('"run_id"') && all.slice(0, i).some((l) => l.includes('"run_id"')));
    expect(read.problems).toEqual([
      expect.objectContaining({ code: 'BAD_MANIFEST', line: second + 1, column: 3, actual: 'run_id' }),
    ]);
  });

  it('refuses a key written twice at any depth, however it is written, and takes any JSON without one', () => {
    const refused = (text: string) => parseJson(text, 'x.json', 'BAD_MANIFEST').problems.map((p) => p.actual);
    // a string that holds `":` or escaped quotes is no key; a key spelled with an escape is the same key
    expect(refused('{"a": "x\\":1", "b": {"c": 1, "d": "\\\"c\\\":"}}')).toEqual([]);
    expect(refused('{"a": 1, "b": [{"c": 1}, {"c": 2, "c": 3}]}')).toEqual(['c']);
    expect(refused('{"a": 1, "\\u0061" : 2}')).toEqual(['a']);
    expect(refused('{"__proto__": {"a": 1}, "__proto__": 2}')).toEqual(['__proto__']);
    // any JSON value without duplicates is taken as JSON.parse reads it; one key written again is refused
    fc.assert(
      fc.property(fc.json(), (text) => {
        const read = parseJson(text, 'x.json', 'BAD_MANIFEST');
        expect(read.problems).toEqual([]);
        expect(read.value).toEqual(JSON.parse(text));
      }),
    );
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }),
        fc.nat(),
        fc.jsonValue(),
        (object, pick, again) => {
          const keys = Object.keys(object);
          const key = keys[pick % keys.length]!;
          const text = `{"outer": [${JSON.stringify(object).slice(0, -1)}, ${JSON.stringify(key)}: ${JSON.stringify(again) ?? 'null'}}]}`;
          expect(refused(text)).toEqual([key]);
        },
      ),
    );
  });

  it('that is not JSON is one located problem, and a reconcile reports it (its keys are never looked for)', async () => {
    // a comma outside any object, then a string never closed: where a key is written is only
    // looked for in text JSON.parse accepted
    for (const text of ['{"file": 1},2', `${manifestText('partner').slice(0, 40)}`]) {
      const read = parseManifest(text, 'p.json', 'partner');
      expect(read.manifest).toBeNull();
      expect(read.problems).toEqual([expect.objectContaining({ code: 'BAD_MANIFEST', file: 'p.json' })]);
      expect(read.at?.('file')).toEqual({ file: 'p.json', line: 1, column: 1 });
      const root = copyWorkspace(BASE);
      writeFileSync(join(root, TUPLE, 'partner.manifest.json'), text);
      const report = await reconcileWorkspace({ root });
      expect(report.tuples[0]!.problems).toEqual([
        expect.objectContaining({ code: 'BAD_MANIFEST', file: `${TUPLE}/partner.manifest.json` }),
      ]);
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses invalid UTF-8 where the byte is, instead of reading U+FFFD', () => {
    const bytes = Buffer.from('{\n  "run_id": "run-\xff"\n}', 'latin1');
    const decoded = decodeText(bytes, 'm.json', 'BAD_MANIFEST');
    expect(decoded.value).toBeNull();
    expect(decoded.problems).toEqual([expect.objectContaining({ line: 2, column: 18, actual: '0xFF' })]);
  });
});

describe('a difference that cannot be seen', () => {
  it('is spelled out in code points: NFC against NFD, a zero-width space', () => {
    const nfc = 'run-\u00e9';
    const nfd = 'run-e\u0301';
    expect(showDifference('leadership', nfc, 'partner', nfd)).toContain(
      'U+00E9; partner U+0072 U+0075 U+006E U+002D U+0065 U+0301',
    );
    expect(showDifference('a', 'run-1', 'b', 'run-\u200b1')).toContain('U+200B');
    // a Cyrillic а for a Latin a
    expect(showDifference('a', 'run-a', 'b', 'run-\u0430')).toContain('U+0430');
    // a visible difference is shown as it is
    expect(showDifference('a', 'run-1', 'b', 'run-2')).toBe('a "run-1", b "run-2"');
  });

  it('reaches the reconcile message', async () => {
    const root = copyWorkspace(BASE);
    const path = join(root, TUPLE, 'partner.manifest.json');
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    const leadership = JSON.parse(manifestText('leadership'));
    writeFileSync(
      join(root, TUPLE, 'leadership.manifest.json'),
      JSON.stringify({ ...leadership, run_id: 'run-\u00e9' }),
    );
    writeFileSync(path, JSON.stringify({ ...manifest, run_id: 'run-e\u0301' }));
    const { code, stderr } = await runCli(['reconcile', '--root', root]);
    expect(code).toBe(1);
    expect(stderr).toContain('RUN_MISMATCH');
    expect(stderr).toContain('U+0065 U+0301');
  });
});

/** Ways to change a manifest's meaning: each must stop the tuple from reconciling green. */
const mutation = fc.oneof(
  // a key's value replaced by any other JSON value (generated_at is informational and left out)
  fc.record({
    kind: fc.constant('replace' as const),
    key: fc.constantFrom(
      'schema',
      'audience',
      'tuple_id',
      'run_id',
      'window_tz_policy',
      'start_inclusive',
      'end_exclusive',
      'dictionary_version',
      'file',
      'sha256',
    ),
    value: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.string(), fc.double(), fc.constant(1e400)),
  }),
  // a key written twice, the first time with another value
  fc.record({
    kind: fc.constant('duplicate' as const),
    key: fc.constantFrom('sha256', 'start_inclusive', 'end_exclusive', 'run_id', 'file', 'audience'),
    value: fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 2 })),
  }),
  // a byte that is not UTF-8, or a control character, inside a value
  fc.record({
    kind: fc.constant('bytes' as const),
    key: fc.constantFrom('run_id', 'tuple_id', 'dictionary_version'),
    value: fc.constantFrom('\xff', '\xfe', '\xc3', '\x80', '\u0000', '\u202e', '\u0007'),
  }),
  // the whole document nested deep
  fc.record({ kind: fc.constant('nest' as const), key: fc.constant(''), value: fc.integer({ min: 1, max: 20000 }) }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(text: string, change: Mutation): Buffer {
  const manifest = JSON.parse(text) as Record<string, unknown>;
  switch (change.kind) {
    case 'replace':
      return Buffer.from(JSON.stringify({ ...manifest, [change.key]: change.value }).replace('1e+400', '1e400'));
    case 'duplicate': {
      const first = JSON.stringify(change.value) ?? 'null';
      return Buffer.from(text.replace(`"${change.key}":`, `"${change.key}": ${first},\n  "${change.key}":`));
    }
    case 'bytes': {
      const value = String(manifest[change.key]);
      const bytes =
        change.value.length === 1 && change.value.charCodeAt(0) >= 0x80 && change.value.charCodeAt(0) <= 0xff
          ? Buffer.from(change.value, 'latin1')
          : Buffer.from(JSON.stringify(change.value).slice(1, -1));
      const at = text.indexOf(JSON.stringify(value));
      return Buffer.concat([
        Buffer.from(text.slice(0, at + 1 + value.length)),
        bytes,
        Buffer.from(text.slice(at + 1 + value.length)),
      ]);
    }
    case 'nest':
      return Buffer.from(`${'['.repeat(Number(change.value))}${text}${']'.repeat(Number(change.value))}`);
  }
  return Buffer.from(text);
}

describe('a mutated manifest', () => {
  it('never reconciles green when its meaning changed, and the CLI answers with coded problems, never a stack trace', async () => {
    const root = copyWorkspace(BASE);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('leadership' as const, 'partner' as const),
        mutation,
        async (audience, change) => {
          const original = manifestText(audience);
          const changed = mutate(original, change);
          fc.pre(!changed.equals(Buffer.from(original)));
          // a value replaced by an equal one keeps the meaning
          if (change.kind === 'replace')
            fc.pre(JSON.stringify(JSON.parse(original)[change.key]) !== JSON.stringify(change.value));
          const path = join(root, TUPLE, `${audience}.manifest.json`);
          writeFileSync(path, changed);
          try {
            const { code, stdout, stderr } = await runCli(['reconcile', '--root', root, '--json']);
            expect(JSON.parse(stdout).status).not.toBe('green');
            expect([1, 2]).toContain(code);
            // a coded, located message: never a stack frame
            expect(stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
          } finally {
            writeFileSync(path, original);
          }
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 150) },
    );
  });
});

describe('two names for one export', () => {
  it('a hard link from leadership.csv to partner.csv is one file, refused: the gate never compares an export with itself', async () => {
    const root = copyWorkspace(BASE);
    const leadership = join(root, TUPLE, 'leadership.csv');
    rmSync(leadership);
    linkSync(join(root, TUPLE, 'partner.csv'), leadership);
    const path = join(root, TUPLE, 'leadership.manifest.json');
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...manifest, sha256: sha256(readFileSync(leadership)) }, null, 2));
    const report = await reconcileWorkspace({ root });
    expect(report.status).toBe('invalid');
    expect(report.tuples[0]!.problems).toEqual([
      expect.objectContaining({ code: 'BAD_MANIFEST', file: `${TUPLE}/leadership.manifest.json` }),
    ]);
  });
});

describe('the replay line', () => {
  it('quotes a root and a tuple folder name that a shell would run', () => {
    const line = replayCommand('/tmp/my ws', 'x;touch $HOME$(echo _pwned)');
    expect(line).toBe(`npm exec --no -- readback reconcile --root '/tmp/my ws' --tuple 'x;touch $HOME$(echo _pwned)'`);
  });
});

describe('a message', () => {
  it('never prints a control or bidi character it quotes: a key holding U+0001 is one problem, shown as <U+0001>', async () => {
    const root = copyWorkspace(BASE);
    const path = join(root, 'content/tuples/globex-2026-w27/tuple.yaml');
    writeFileSync(path, `${readFileSync(path, 'utf8')}"owner\\x01": someone\n`);
    const { code, stderr } = await runCli(['reconcile', '--root', root]);
    expect(code).toBe(2);
    expect(stderr).toContain('<U+0001>');
    expect(stderr).not.toContain('\u0001');
    expect(stderr.match(/BAD_TUPLE/g)).toHaveLength(1);
  });
});
