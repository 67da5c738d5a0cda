import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { unexpectedFailure } from '../src/io/context.ts';
import { runCli } from './helpers/cli.ts';
import { copyBuiltSample } from './helpers/site.ts';
import {
  copyWorkspace,
  editCell,
  editExport,
  MINIMAL_EXAMPLE,
  REPO_ROOT,
  sha256,
  tempDir,
  tuplePath,
  writeExportBytes,
} from './helpers/workspace.ts';

describe('readback command line', () => {
  it('exits 64 on usage errors and says why', async () => {
    for (const args of [
      [],
      ['frobnicate'],
      ['reconcile', '--bogus'],
      ['reconcile', 'extra'],
      ['reconcile', '--root', REPO_ROOT, '--tuple', 'no-such-tuple'],
    ]) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(64);
    }
    expect((await runCli(['reconcile', '--tuple', 'nope', '--root', REPO_ROOT])).stderr).toContain('no tuple "nope"');
  });

  it('writes nothing under a --root that does not exist', async () => {
    const missing = join(tempDir(), 'no-such-workspace');
    const result = await runCli(['reconcile', '--root', missing]);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain('no such folder');
    expect(existsSync(missing)).toBe(false);
  });

  it('says what is missing and writes nothing into a folder that is not a workspace (NOT_A_WORKSPACE, exit 2)', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'notes.txt'), 'not a workspace');
    for (const args of [[], ['--tuple', 'acme-2026-q2']]) {
      const result = await runCli(['reconcile', '--root', root, ...args, '--json']);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('NOT_A_WORKSPACE');
      expect(result.stderr).toContain('dictionary/metrics.yaml');
      expect(result.stderr).toContain('content/tuples/');
      const report = JSON.parse(result.stdout);
      expect(report.status).toBe('invalid');
      expect(report.problems.map((p: { code: string }) => p.code)).toEqual(['NOT_A_WORKSPACE']);
      expect(result.stderr).not.toContain('report:');
    }
    expect(readdirSync(root)).toEqual(['notes.txt']);
  });

  it('refuses a workspace with a dictionary and no tuples: nothing to reconcile (NO_TUPLES, exit 2)', async () => {
    for (const withTuplesFolder of [false, true]) {
      const root = tempDir();
      cpSync(join(MINIMAL_EXAMPLE, 'dictionary'), join(root, 'dictionary'), { recursive: true });
      if (withTuplesFolder) mkdirSync(join(root, 'content', 'tuples'), { recursive: true });
      const result = await runCli(['reconcile', '--root', root, '--json']);
      expect(result.code).toBe(2);
      const report = JSON.parse(result.stdout);
      expect(report.status).toBe('invalid');
      expect(report.problems.map((p: { code: string }) => p.code)).toEqual(['NO_TUPLES']);
      expect(result.stderr).toContain('NO_TUPLES');
      expect(result.stderr).toContain('content/tuples/');
    }
  });

  it('prints help for every command', async () => {
    for (const args of [['--help'], ['help'], ['reconcile', '--help'], ['help', 'reconcile']]) {
      const result = await runCli(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('readback reconcile');
    }
  });

  it('reconciles only the named tuples', async () => {
    const root = copyWorkspace();
    const { code, stdout } = await runCli(['reconcile', '--root', root, '--tuple', 'globex-2026-06', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).tuples.map((t: { tuple_id: string }) => t.tuple_id)).toEqual(['globex-2026-06']);
  });

  it('gives a human one line per tuple on stderr and nothing on stdout without --json', async () => {
    const root = copyWorkspace();
    const { stdout, stderr } = await runCli(['reconcile', '--root', root]);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^ok {2}acme-2026-q2 +green +sha256:[0-9a-f]{12} {2}9 metrics within epsilon$/m);
    expect(stderr).toContain('3 tuples: 3 green, 0 red, 0 invalid');
  });

  it('accepts a BOM and CRLF line endings, and hashes the bytes as written', async () => {
    const root = copyWorkspace();
    const original = readFileSync(tuplePath(root, 'globex-2026-06', 'partner.csv'), 'utf8');
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(original.replace(/\n/g, '\r\n'))]);
    writeExportBytes(root, 'globex-2026-06', 'partner', bytes);
    const { code, stdout } = await runCli(['reconcile', '--root', root, '--tuple', 'globex-2026-06', '--json']);
    expect(code).toBe(0);
    const tuple = JSON.parse(stdout).tuples[0];
    expect(tuple.exports.partner.sha256).toBe(sha256(bytes));
  });

  it('the same inputs give a byte-identical report', async () => {
    const root = copyWorkspace();
    editExport(root, 'acme-2026-q2', 'partner', (text) => editCell(text, 3, 'm.orders.shipped', () => '1'));
    const first = (await runCli(['reconcile', '--root', root, '--json'])).stdout;
    const second = (await runCli(['reconcile', '--root', root, '--json'])).stdout;
    expect(second).toBe(first);
    expect(JSON.parse(first).status).toBe('red');
  });

  it('still reconciles a workspace it cannot write to, saying why it wrote no artifacts', async () => {
    const root = copyWorkspace(MINIMAL_EXAMPLE);
    // a file where the artifact folder should go fails even for root, like a read-only checkout
    writeFileSync(join(root, '.readback'), 'not a folder');
    const { code, stdout, stderr } = await runCli(['reconcile', '--root', root, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).status).toBe('green');
    expect(stderr).toContain('could not write .readback/reconcile/');
  });

  it('writes a replay line that never fetches code (npm exec --no) and replays the same verdict', async () => {
    const root = copyWorkspace(MINIMAL_EXAMPLE);
    const tupleId = readdirSync(join(root, 'content', 'tuples'))[0]!;
    const partner = JSON.parse(readFileSync(tuplePath(root, tupleId, 'partner.manifest.json'), 'utf8'));
    writeFileSync(
      tuplePath(root, tupleId, 'partner.manifest.json'),
      JSON.stringify({ ...partner, run_id: `${partner.run_id}-other` }),
    );
    expect((await runCli(['reconcile', '--root', root])).code).toBe(1);
    const { replay } = JSON.parse(readFileSync(join(root, `.readback/reconcile/failures/${tupleId}.json`), 'utf8'));
    // npm's --no refuses to install a package that is not already there: outside this checkout the
    // line fails instead of running whatever the registry calls "readback"
    expect(replay).toBe(`npm exec --no -- readback reconcile --root ${root} --tuple ${tupleId}`);
    const replayed = spawnSync('sh', ['-c', `${replay} --json`], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(replayed.status, replayed.stderr).toBe(1);
    expect(JSON.parse(replayed.stdout).tuples.map((t: { tuple_id: string }) => t.tuple_id)).toEqual([tupleId]);
  });

  it('runs as an installed command through npm exec', () => {
    const root = copyWorkspace();
    const result = spawnSync('npm', ['exec', '--offline', '--', 'readback', 'reconcile', '--root', root, '--json'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).status).toBe('green');
    expect(readFileSync(join(root, '.readback/reconcile/report.json'), 'utf8')).toBe(result.stdout);
  });
});

describe('a fault no check foresaw', () => {
  it('ends in one line and exit 70, without a stack trace (READBACK_DEBUG=1 shows it)', async () => {
    // a terminal that breaks under the command: nothing about the user's data
    const broken = {
      write: () => {
        throw new Error('write EPIPE');
      },
    } as unknown as NodeJS.WriteStream;
    let said = '';
    const stderr = { write: (text: string) => ((said += text), true) } as unknown as NodeJS.WriteStream;
    const code = await main(['help'], { stdout: broken, stderr, cwd: process.cwd() });
    expect(code).toBe(70);
    expect(said).toMatch(/^readback: stopped: write EPIPE/);
    expect(said).toContain('READBACK_DEBUG=1');
    expect(said).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    const debug = unexpectedFailure(new Error('boom'), { READBACK_DEBUG: '1' });
    expect(debug).toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });
});
