import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { copyWorkspace, MINIMAL_EXAMPLE, tuplePath } from './helpers/workspace.ts';

const TUPLE = 'globex-2026-w27';

/** The arguments that reproduce a committed manifest from its own fields. */
function argsOf(manifestPath: string, file: string): string[] {
  const m = JSON.parse(readFileSync(manifestPath, 'utf8'));
  return [
    'manifest',
    'write',
    '--audience',
    m.audience,
    '--tuple',
    m.tuple_id,
    '--run',
    m.run_id,
    '--start',
    m.start_inclusive,
    '--end',
    m.end_exclusive,
    '--dictionary',
    m.dictionary_version,
    '--generated-at',
    m.generated_at,
    file,
  ];
}

describe('readback manifest write', () => {
  it('writes the manifest the conformance workspace holds, field for field; reconcile stays green', async () => {
    const root = copyWorkspace(MINIMAL_EXAMPLE);
    for (const audience of ['leadership', 'partner'] as const) {
      const manifestPath = tuplePath(root, TUPLE, `${audience}.manifest.json`);
      const before = JSON.parse(readFileSync(manifestPath, 'utf8'));
      const args = argsOf(manifestPath, tuplePath(root, TUPLE, `${audience}.csv`));
      rmSync(manifestPath);
      const result = await runCli(args, root);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(readFileSync(manifestPath, 'utf8'))).toStrictEqual(before);
    }
    expect((await runCli(['reconcile', '--root', root])).code).toBe(0);
  });

  it('hashes the export as it is now: an edited export gets a new sha256 and reconciles with it', async () => {
    const root = copyWorkspace(MINIMAL_EXAMPLE);
    const csv = tuplePath(root, TUPLE, 'partner.csv');
    const manifestPath = tuplePath(root, TUPLE, 'partner.manifest.json');
    const args = argsOf(manifestPath, csv);
    // the same rows, the header quoted (RFC 4180): other bytes, the same data
    writeFileSync(csv, readFileSync(csv, 'utf8').replace(/^period_start,/, '"period_start",'));
    expect((await runCli(['reconcile', '--root', root])).code).toBe(2); // CHECKSUM_MISMATCH
    expect((await runCli(args, root)).code).toBe(0);
    expect((await runCli(['reconcile', '--root', root])).code).toBe(0);
  });

  it('refuses an offset, an empty window, a file outside the tuple folder or of the other audience, and writes nothing', async () => {
    const root = copyWorkspace(MINIMAL_EXAMPLE);
    const manifestPath = tuplePath(root, TUPLE, 'partner.manifest.json');
    const base = argsOf(manifestPath, tuplePath(root, TUPLE, 'partner.csv'));
    const before = readFileSync(manifestPath);
    const withOption = (name: string, value: string) => {
      const args = [...base];
      args[args.indexOf(name) + 1] = value;
      return args;
    };
    const outside = join(root, 'partner.csv');
    writeFileSync(outside, 'period_start\n');
    mkdirSync(join(root, 'other'));
    const cases: [string[], RegExp][] = [
      [withOption('--start', '2026-06-29T00:00:00+00:00'), /--start .*offset/],
      [withOption('--end', base[base.indexOf('--start') + 1]!), /--end .*window is empty/],
      [withOption('--audience', 'leadership'), /FILE .*must be named leadership\.csv/],
      [withOption('--audience', 'auditor'), /--audience .*not leadership or partner/],
      [withOption('--dictionary', 'v1'), /--dictionary/],
      [[...base.slice(0, -1), outside], /not inside the tuple folder/],
      [[...base.slice(0, -1), join(root, 'no-such.csv')], /no such file/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, root);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(readFileSync(manifestPath)).toEqual(before);
    }
    // nothing was written beside the stray file either
    expect(existsSync(join(root, 'partner.manifest.json'))).toBe(false);
  });

  it('takes an export in a subfolder of the tuple folder and names it relative to that folder', async () => {
    const root = copyWorkspace(MINIMAL_EXAMPLE);
    const manifestPath = tuplePath(root, TUPLE, 'partner.manifest.json');
    const args = argsOf(manifestPath, tuplePath(root, TUPLE, 'exports/partner.csv'));
    mkdirSync(tuplePath(root, TUPLE, 'exports'));
    renameSync(tuplePath(root, TUPLE, 'partner.csv'), tuplePath(root, TUPLE, 'exports/partner.csv'));
    expect((await runCli(args, root)).code).toBe(0);
    expect(JSON.parse(readFileSync(manifestPath, 'utf8')).file).toBe('exports/partner.csv');
    expect((await runCli(['reconcile', '--root', root])).code).toBe(0);
  });

  it('is a usage error without its options (exit 64), and has --help', async () => {
    expect((await runCli(['manifest', 'write', 'x.csv'])).code).toBe(64);
    expect((await runCli(['manifest'])).code).toBe(64);
    expect((await runCli(['manifest', 'read'])).code).toBe(64);
    const help = await runCli(['manifest', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('manifest write');
  });
});
