/**
 * The pages' process starts before the site model is written and waits for it: a build that ends
 * without writing it stops that process, and so does a build that dies.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { astroWorkFolder } from '../src/publish/astro-project.ts';
import { forkPages, startPages } from '../src/publish/pages.ts';
import { tempDir } from './helpers/workspace.ts';

const PACKAGE_ROOT = resolve(import.meta.dirname, '..');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A process's environment as it started, from /proc. */
const environmentOf = (pid: number) =>
  new Map(
    readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .filter(Boolean)
      .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)] as const),
  );

async function gone(pid: number, withinMs: number): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < withinMs;)
    if (alive(pid)) await new Promise((r) => setTimeout(r, 100));
    else return true;
  return !alive(pid);
}

function pagesOptions(name: string) {
  const scratch = tempDir();
  const workDir = astroWorkFolder(PACKAGE_ROOT, scratch, `test-${name}-${process.pid}`);
  mkdirSync(workDir, { recursive: true });
  return {
    options: {
      root: PACKAGE_ROOT,
      outDir: join(scratch, 'dist'),
      site: 'https://readback.example.com',
      // never written: the pages wait for it
      modelPath: join(scratch, 'model.json'),
      workDir,
    },
    cleanup: () => rmSync(workDir, { recursive: true, force: true }),
  };
}

describe('the pages started before the site model', () => {
  it('are stopped by a build that ends without writing the model', async () => {
    const { options, cleanup } = pagesOptions('abandoned');
    try {
      const pages = startPages(options);
      expect(alive(pages.pid)).toBe(true);
      // Astro's bundler allocates without transparent huge pages (src/publish/pages.ts), unless the user says otherwise
      expect(environmentOf(pages.pid).get('MIMALLOC_ALLOW_THP')).toBe(process.env.MIMALLOC_ALLOW_THP ?? '0');
      await new Promise((r) => setTimeout(r, 4000)); // Astro compiles the pages, then waits
      expect(alive(pages.pid)).toBe(true);
      await pages.abandon();
      expect(alive(pages.pid)).toBe(false);
      await expect(pages.done).rejects.toThrow(/Astro stopped with SIGKILL/);
    } finally {
      cleanup();
    }
  }, 30_000);

  it('stop by themselves when the build that started them dies', async () => {
    const { options, cleanup } = pagesOptions('orphaned');
    let pid = 0;
    try {
      // a build process that starts its pages, waits until they wait for the model, and dies
      const script = `import { startPages } from ${JSON.stringify(join(PACKAGE_ROOT, 'src/publish/pages.ts'))};
const pages = startPages(${JSON.stringify(options)});
console.log(pages.pid);
setTimeout(() => process.kill(process.pid, 'SIGKILL'), 6000);`;
      const build = spawn(process.execPath, ['--input-type=module', '-e', script], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      build.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      await new Promise((r) => build.once('exit', r));
      pid = Number(out.trim());
      expect(pid).toBeGreaterThan(0);
      expect(await gone(pid, 5000)).toBe(true);
    } finally {
      if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL'); // never left behind, even when this fails
      cleanup();
    }
  }, 30_000);

  it('may be started before the build knows what to build, and then build what it is told', async () => {
    const { options, cleanup } = pagesOptions('early');
    try {
      const started = forkPages();
      await started.listening; // loading Astro, waiting to be told
      expect(alive(started.child.pid!)).toBe(true);
      const pages = startPages(options, started);
      expect(pages.pid).toBe(started.child.pid);
      await new Promise((r) => setTimeout(r, 4000)); // told: Astro compiles the pages, then waits for the model
      expect(alive(pages.pid)).toBe(true);
      // it works in the build's own working folder, as one started with its options does
      expect(readlinkSync(`/proc/${pages.pid}/cwd`)).toBe(options.workDir);
      await pages.abandon();
      await expect(pages.done).rejects.toThrow(/Astro stopped with SIGKILL/);
    } finally {
      cleanup();
    }
  }, 30_000);

  it('started early, are stopped by a build refused before it says what to build, or that dies first', async () => {
    const started = forkPages();
    await started.listening;
    await started.abandon();
    expect(alive(started.child.pid!)).toBe(false);
    // a build process that starts them and dies before it tells them anything
    const script = `import { forkPages } from ${JSON.stringify(join(PACKAGE_ROOT, 'src/publish/pages.ts'))};
const started = forkPages();
await started.listening;
console.log(started.child.pid);
process.kill(process.pid, 'SIGKILL');`;
    const build = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    build.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    await new Promise((r) => build.once('exit', r));
    const pid = Number(out.trim());
    try {
      expect(pid).toBeGreaterThan(0);
      expect(await gone(pid, 5000)).toBe(true);
    } finally {
      if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
    }
  }, 30_000);

  it('that cannot be started fail the build with why, and are not waited for', async () => {
    const { options, cleanup } = pagesOptions('unstartable');
    const node = process.execPath;
    try {
      // fork runs process.execPath: no such program, as when the system refuses another process
      process.execPath = join(tempDir(), 'no-node-here');
      const started = forkPages();
      process.execPath = node;
      // the failure comes a moment later, while the build still loads: it must not go unheard
      await new Promise((r) => setTimeout(r, 200));
      const pages = startPages(options, started);
      await expect(pages.done).rejects.toThrow(/building the pages: .*ENOENT/);
      await pages.abandon(); // settles: the process never ran
    } finally {
      process.execPath = node;
      cleanup();
    }
  }, 30_000);
});
