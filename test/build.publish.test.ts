/** `npm run build`: reconcile first; nothing is published unless every tuple is green. */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { buildSite, spawnBuild } from './helpers/site.ts';
import { copyWorkspace, editCell, editExport, MINIMAL_EXAMPLE, REPO_ROOT, tempDir } from './helpers/workspace.ts';

/** A stand-in for a site an earlier build published (what makes a folder one a build may replace). */
function previousSite(root: string): void {
  mkdirSync(join(root, 'dist'));
  writeFileSync(join(root, 'dist', 'index.html'), 'previous build');
  writeFileSync(join(root, 'dist', 'SHA256SUMS'), '');
  writeFileSync(join(root, 'dist', 'anchors.json'), '[]\n');
}

describe('npm run build', () => {
  it('refuses a red reconcile, points at the failure artifact and leaves dist/ untouched', async () => {
    const root = copyWorkspace();
    previousSite(root);
    editExport(root, 'acme-2026-q2', 'partner', (text) =>
      editCell(text, 2, 'm.revenue.billed_minor', (v) => (BigInt(v) + 1n).toString()),
    );
    const result = await buildSite(root);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `failure artifact: ${join(root, '.readback/reconcile/failures/acme-2026-q2.json')}`,
    );
    expect(result.stderr).toContain('m.revenue.billed_minor');
    expect(readFileSync(join(root, 'dist', 'index.html'), 'utf8')).toBe('previous build');
  });

  it('refuses a dictionary that fails check before reconciling', async () => {
    const root = copyWorkspace();
    previousSite(root);
    const path = join(root, 'dictionary', 'metrics.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace('aggregation: sum', 'aggregation: max'));
    const result = await buildSite(root);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('SEMANTICS_CHANGED');
    expect(result.stderr).not.toContain('tuples:');
    expect(readFileSync(join(root, 'dist', 'index.html'), 'utf8')).toBe('previous build');
  });

  it('refuses a workspace with a dictionary and no tuples before building anything (NO_TUPLES, exit 2)', async () => {
    const root = copyWorkspace(MINIMAL_EXAMPLE);
    rmSync(join(root, 'content', 'tuples'), { recursive: true });
    mkdirSync(join(root, 'content', 'tuples'));
    const result = await buildSite(root);
    expect(result.status).toBe(2);
    expect(result.result.problems.map((p) => p.code)).toEqual(['NO_TUPLES']);
    expect(result.stderr).not.toMatch(/staging|NOT_A_SITE|VERIFY_MISMATCH/);
    expect(existsSync(join(root, 'dist'))).toBe(false);
  });

  it('publishes the site when every tuple is green (the shared sample build of this run)', () => {
    const root = inject('sampleRoot');
    const index = readFileSync(join(root, 'dist', 'index.html'), 'utf8');
    const report = JSON.parse(readFileSync(join(root, '.readback/reconcile/report.json'), 'utf8'));
    for (const tuple of report.tuples) {
      expect(index).toContain(tuple.tuple_id);
      expect(index).toContain(tuple.tuple_revision_hash.slice('sha256:'.length, 'sha256:'.length + 12));
    }
    // every build stages in a folder of its own and removes it, whatever happened
    expect(
      existsSync(join(root, '.readback', 'staging')) ? readdirSync(join(root, '.readback', 'staging')) : [],
    ).toEqual([]);
  });

  it('builds the shared example end to end', async () => {
    const root = copyWorkspace(MINIMAL_EXAMPLE);
    const result = await buildSite(root);
    expect(result.status, result.stderr).toBe(0);
    expect(readdirSync(join(root, 'dist', 'readback'))).toContain('globex-2026-w27.pdf');
  });
});

describe('the site URL', () => {
  it('must be an origin: a URL with a path is refused before anything is built', async () => {
    const result = await buildSite(copyWorkspace(MINIMAL_EXAMPLE), {
      READBACK_SITE_URL: 'https://kpi.example.org/sub',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('READBACK_SITE_URL must be an http(s) origin');
  });
});

describe('npm run build as a command', () => {
  it('prints each refusal with its code and location, and --json lists them', () => {
    const root = copyWorkspace();
    editExport(root, 'acme-2026-q2', 'partner', (text) =>
      editCell(text, 2, 'm.revenue.billed_minor', (v) => (BigInt(v) + 1n).toString()),
    );
    const result = spawnBuild(root, {}, ['--json']);
    expect(result.status).toBe(1);
    const printed = JSON.parse(result.stdout) as { problems: { code: string; file?: string }[]; published: unknown };
    expect(printed.published).toBeNull();
    expect(printed.problems).toContainEqual(
      expect.objectContaining({ code: 'VARIANCE_EXCEEDED', file: 'content/tuples/acme-2026-q2/partner.csv' }),
    );
    expect(result.stderr).toMatch(/m\.revenue\.billed_minor: leadership \d+, partner \d+, delta 1 > epsilon 0/);
    // the window's total and the week's value differ by the same 1
    expect(result.stderr).toContain(
      'build refused (VARIANCE_EXCEEDED, PERIOD_VARIANCE_EXCEEDED); nothing was published',
    );
  });

  it('answers --help with its usage and an unknown option with exit 64, never a stack trace', () => {
    const help = spawnBuild(copyWorkspace(), {}, ['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--out DIR');
    const wrong = spawnBuild(copyWorkspace(), {}, ['--bogus']);
    expect(wrong.status).toBe(64);
    expect(wrong.stderr).toContain("Unknown option '--bogus'");
    expect(wrong.stderr).not.toMatch(/\n\s+at /);
  });

  it('is the readback build command: the same help from `readback build --help`, listed in `readback --help`', async () => {
    const help = await runCli(['build', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(spawnBuild(copyWorkspace(), {}, ['--help']).stdout);
    expect((await runCli(['--help'])).stdout).toContain('readback build [--root DIR] [--out DIR]');
    expect((await runCli(['build', 'extra'])).code).toBe(64);
    // a mistyped folder is a usage error, and nothing is written for it
    const missing = join(tempDir(), 'no-such-workspace');
    expect((await runCli(['build', '--root', missing])).code).toBe(64);
    expect((await runCli(['verify', join(missing, 'dist')])).code).toBe(64);
    expect(existsSync(missing)).toBe(false);
  });
});

describe('a folder that is no workspace', () => {
  it('is refused by the build with NOT_A_WORKSPACE, and nothing is written into it', async () => {
    const root = tempDir();
    const result = await buildSite(root);
    expect(result.status).toBe(2);
    expect(result.result.problems.map((p) => p.code)).toEqual(['NOT_A_WORKSPACE']);
    expect(readdirSync(root)).toEqual([]);
  });
});

describe('the output folder', () => {
  const refusedWith = async (root: string, out: string) => {
    const result = await buildSite(root, {}, out);
    expect(result.status).toBe(2);
    expect(result.result.problems.map((p) => p.code)).toEqual(['OUTPUT_FOLDER_REFUSED']);
    expect(existsSync(`${out}.lock`)).toBe(false);
  };

  it('is refused when it holds files that are not a published site, and they stay', async () => {
    const root = copyWorkspace();
    const out = join(tempDir(), 'precious');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    await refusedWith(root, out);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('is refused when it is the workspace, holds it, lies inside its inputs, or is a file', async () => {
    const root = copyWorkspace();
    await refusedWith(root, root);
    await refusedWith(root, dirname(root));
    await refusedWith(root, join(root, 'content', 'site'));
    await refusedWith(root, join(root, '.readback', 'dist'));
    const file = join(tempDir(), 'package.json');
    writeFileSync(file, '{}');
    await refusedWith(root, file);
    expect(readFileSync(file, 'utf8')).toBe('{}');
    expect(existsSync(join(root, 'dictionary', 'metrics.yaml'))).toBe(true);
    expect(existsSync(join(root, '.readback'))).toBe(false);
  });
});

describe('a build setting that cannot work', () => {
  it('is refused with BAD_SETTING before anything is read or written', () => {
    const root = copyWorkspace();
    const result = spawnBuild(root, { READBACK_PDF_SIZE: 'B5' }, ['--json']);
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout).problems).toEqual([
      expect.objectContaining({ code: 'BAD_SETTING', actual: 'B5', expected: 'LETTER or A4' }),
    ]);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(join(root, '.readback'))).toBe(false);
  });
});

describe('the site a build replaces', () => {
  /** Waits (a few seconds at most) until `done` holds, as a process of the build's own removes a folder. */
  async function eventually(done: () => boolean): Promise<boolean> {
    for (let tries = 0; tries < 100 && !done(); tries++) await new Promise((resolve) => setTimeout(resolve, 50));
    return done();
  }

  it('is moved out of the way at once and removed without the build waiting, the new site in its place', async () => {
    const root = copyWorkspace();
    previousSite(root);
    const result = await buildSite(root);
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(join(root, 'dist', 'index.html'), 'utf8')).not.toBe('previous build');
    expect(existsSync(join(root, 'dist.previous'))).toBe(false);
    const trash = join(root, '.readback', 'trash');
    expect(await eventually(() => !existsSync(trash) || readdirSync(trash).length === 0)).toBe(true);
  });

  // another file system than the workspace's, where one is at hand (tmpfs on Linux): the old site
  // cannot be moved into the workspace's trash, so it is moved aside beside the output folder
  const otherFileSystem = existsSync('/dev/shm') && statSync('/dev/shm').dev !== statSync(tmpdir()).dev;
  it.runIf(otherFileSystem)(
    'is moved aside beside an output folder on another file system, and removed there',
    async () => {
      const root = copyWorkspace();
      const elsewhere = mkdtempSync(join('/dev/shm', 'readback-test-'));
      const out = join(elsewhere, 'site');
      mkdirSync(out);
      writeFileSync(join(out, 'index.html'), 'previous build');
      writeFileSync(join(out, 'SHA256SUMS'), '');
      writeFileSync(join(out, 'anchors.json'), '[]\n');
      const result = await buildSite(root, {}, out);
      expect(result.status, result.stderr).toBe(0);
      expect(readFileSync(join(out, 'index.html'), 'utf8')).not.toBe('previous build');
      expect(
        await eventually(() => readdirSync(elsewhere).every((name) => name === 'site' || name === 'site.lock')),
      ).toBe(true);
      rmSync(elsewhere, { recursive: true, force: true });
    },
  );
});
