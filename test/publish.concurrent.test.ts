/** Builds at the same time: one per output folder publishes, the others are refused; none shares a file with another. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { buildSite, copyBuiltSample, startBuild } from './helpers/site.ts';
import { moveKeptBundles } from '../src/publish/kept-bundles.ts';
import { copyWorkspace, editCell, editExport, fileSums } from './helpers/workspace.ts';

const STACK_TRACE = /\n\s+at /;

/** Every file and folder below `dir` whose name starts with a dot (Astro's `.prerender`, `.astro`, …). */
function dotEntries(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((path) =>
    path.split(/[\\/]/).some((part) => part.startsWith('.')),
  );
}

/** What is left in the workspace's staging area once no build runs. */
function staged(root: string): string[] {
  const staging = join(root, '.readback', 'staging');
  return existsSync(staging) ? readdirSync(staging) : [];
}

async function until(test: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function expectVerified(dist: string): Promise<void> {
  const verified = await runCli(['verify', dist]);
  expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  expect(dotEntries(dist)).toEqual([]); // nothing of Astro's intermediate output is published
  expect(readFileSync(join(dist, 'SHA256SUMS'), 'utf8')).not.toMatch(/ \./);
}

describe('two builds at once', () => {
  it('into one output folder: one publishes, the other is refused with BUILD_IN_PROGRESS and touches nothing', async () => {
    const root = copyWorkspace();
    const dist = join(root, 'dist');
    const first = startBuild(root);
    await until(() => existsSync(`${dist}.lock`), 'the first build to take the lock');
    const second = await startBuild(root).done;
    const published = await first.done;

    expect(published.status, published.stderr).toBe(0);
    expect(second.status, second.stderr).toBe(1);
    expect(second.stderr).toContain(`BUILD_IN_PROGRESS another build is publishing to ${dist}: process ${first.pid}`);
    expect(second.stderr).toContain('build refused (BUILD_IN_PROGRESS); nothing was published');
    expect(second.stderr).not.toMatch(STACK_TRACE);
    expect(published.stderr).not.toMatch(STACK_TRACE);
    await expectVerified(dist);
    expect(existsSync(`${dist}.lock`)).toBe(false);
    expect(staged(root)).toEqual([]);
  });

  it('in one process, into one output folder: the second call is refused at once', async () => {
    const root = copyWorkspace();
    const [a, b] = await Promise.all([buildSite(root), buildSite(root)]);
    expect([a.status, b.status]).toEqual([0, 1]);
    expect(b.result.problems.map((p) => p.code)).toEqual(['BUILD_IN_PROGRESS']);
    expect(b.stderr).toContain(`process ${process.pid} on ${hostname()}`);
    await expectVerified(a.dist);
  });

  it('of one workspace into two output folders: both publish the same site, sharing no staging files', async () => {
    const root = copyWorkspace();
    const [a, b] = await Promise.all([
      buildSite(root, {}, join(root, 'site-a')),
      buildSite(root, {}, join(root, 'site-b')),
    ]);
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    await expectVerified(a.dist);
    await expectVerified(b.dist);
    expect(readFileSync(join(b.dist, 'SHA256SUMS'), 'utf8')).toBe(readFileSync(join(a.dist, 'SHA256SUMS'), 'utf8'));
    expect(staged(root)).toEqual([]);
  });
});

describe('the build lock', () => {
  it('recovers a stale lock whose holder is no longer running, and says so', async () => {
    const { root, dist } = copyBuiltSample();
    const gone = spawnSync(process.execPath, ['-e', '']).pid!; // a process that has exited
    const holder = {
      build: 'killed-build',
      pid: gone,
      host: hostname(),
      since: '2026-11-26T09:00:00.000Z',
      command: 'x',
    };
    writeFileSync(`${dist}.lock`, JSON.stringify(holder));
    // it was killed as it published: it had moved a kept partner bundle out of the published site
    // into its own (kept-bundles.ts), and the old site aside, but not its own site into place
    const published = fileSums(dist);
    const site = join(root, '.readback', 'staging', holder.build, 'dist');
    mkdirSync(join(site, 'partners'), { recursive: true });
    const [bundle] = readdirSync(join(dist, 'partners'), { withFileTypes: true }).filter((entry) =>
      entry.isDirectory(),
    );
    moveKeptBundles(dirname(site), site, dist, [`partners/${bundle!.name}`]);
    renameSync(dist, `${dist}.previous`);
    expect(existsSync(join(`${dist}.previous`, 'partners', bundle!.name))).toBe(false);
    // a build that takes the lock over and then stops early (a red export) shows it as well as a full one
    editExport(root, 'acme-2026-q2', 'partner', (text) =>
      editCell(text, 2, 'm.revenue.billed_minor', (v) => (BigInt(v) + 1n).toString()),
    );
    const built = await buildSite(root);
    expect(built.status, built.stderr).toBe(1);
    expect(built.stderr).toContain(`recovered a stale build lock: ${dist}.lock was held by process ${gone}`);
    expect(existsSync(`${dist}.lock`)).toBe(false);
    // the bundle is back in the published site, which is back in place, as it was
    expect(fileSums(dist)).toEqual(published);
    await expectVerified(dist);
  });

  it('a refused build leaves no staging folder behind, whether refused at the lock or late (a broken link)', async () => {
    const { root, dist } = copyBuiltSample();
    const sums = readFileSync(join(dist, 'SHA256SUMS'), 'utf8');
    // held by a build that is running: this test's own process
    const lock = JSON.stringify({ build: 'running', pid: process.pid, host: hostname(), since: 'now', command: 'x' });
    writeFileSync(`${dist}.lock`, lock);
    const refused = await buildSite(root);
    expect(refused.result.problems.map((p) => p.code)).toEqual(['BUILD_IN_PROGRESS']);
    expect(readFileSync(`${dist}.lock`, 'utf8')).toBe(lock); // still the holder's
    expect(staged(root)).toEqual([]);

    writeFileSync(`${dist}.lock`, lock.replace(`"pid":${process.pid}`, '"pid":0').replace(hostname(), 'elsewhere'));
    expect((await buildSite(root)).result.problems.map((p) => p.code)).toEqual(['BUILD_IN_PROGRESS']); // another host's: never judged stale

    writeFileSync(join(root, 'content', 'faq.md'), '## Where?\n\n[Nowhere](/no/such/page/)\n');
    rmSync(`${dist}.lock`);
    const late = await buildSite(root);
    expect(new Set(late.result.problems.map((p) => p.code))).toEqual(new Set(['BROKEN_LINK']));
    expect(staged(root)).toEqual([]);
    expect(existsSync(`${dist}.lock`)).toBe(false);
    expect(readFileSync(join(dist, 'SHA256SUMS'), 'utf8')).toBe(sums);
  });
});
