/** Two builds of the same inputs give byte-identical dist/ trees; an interrupted build changes nothing. */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSite, copyBuiltSample, spawnBuild } from './helpers/site.ts';
import { copyWorkspace, REPO_ROOT } from './helpers/workspace.ts';

function treeHash(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path), createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(dir);
  return files;
}

describe('reproducible builds', () => {
  it('the same inputs give the same bytes, whatever the time zone or locale, in-process or from npm run build', async () => {
    const a = await buildSite(copyWorkspace());
    const b = spawnBuild(copyWorkspace(), { TZ: 'Pacific/Chatham', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' });
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    const first = treeHash(a.dist);
    const second = treeHash(b.dist);
    expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
    const differing = [...first.keys()].filter((file) => first.get(file) !== second.get(file));
    expect(differing).toEqual([]);
    expect([...first.keys()].some((f) => f.endsWith('.pdf'))).toBe(true);
  });
});

describe('publish safety', () => {
  it('a build interrupted midway leaves the previous dist/ exactly as it was', async () => {
    const first = copyBuiltSample();
    const before = treeHash(first.dist);
    // interrupt the next build once it is writing its staging folder
    const child = spawn(process.execPath, [join(REPO_ROOT, 'scripts', 'build.ts'), '--root', first.root], {
      cwd: REPO_ROOT,
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
      stdio: 'ignore',
    });
    // each build stages in a folder of its own, .readback/staging/<build>/dist
    const stagingFolders = join(first.root, '.readback', 'staging');
    const writingPages = () =>
      existsSync(stagingFolders) &&
      readdirSync(stagingFolders).some((build) => existsSync(join(stagingFolders, build, 'dist', 'glossary')));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code, signal) => resolve(signal ? -1 : code)),
    );
    const deadline = Date.now() + 60_000;
    while (!writingPages() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(writingPages()).toBe(true);
    child.kill('SIGKILL');
    expect(await exited).toBe(-1);
    expect(treeHash(first.dist)).toEqual(before);
  });

  it('a build that fails late (a broken link) leaves the previous dist/ exactly as it was', async () => {
    const first = copyBuiltSample();
    const before = treeHash(first.dist);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(first.root, 'content', 'faq.md'), '## Where?\n\n[Nowhere](/no/such/page/)\n');
    const second = await buildSite(first.root);
    expect(second.status).toBe(1);
    expect(treeHash(first.dist)).toEqual(before);
  });
});
