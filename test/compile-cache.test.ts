/**
 * `readback` (and `npm run build`) keep Node's compiled code between runs in the user's cache
 * folder, and hand that folder to what they start: the worker threads and the process that renders
 * the pages, which compiles Astro and Vite (most of the code a build runs).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from './helpers/workspace.ts';

const helper = pathToFileURL(join(REPO_ROOT, 'bin', 'compile-cache.mjs')).href;
// enables the cache as the command does, then asks a worker thread and a child process which cache folder they use
const probe = `
  import { enableCompileCache } from ${JSON.stringify(helper)};
  import { execFileSync } from 'node:child_process';
  import { Worker } from 'node:worker_threads';
  enableCompileCache();
  const dir = "process.getBuiltinModule('node:module').getCompileCacheDir() ?? 'none'";
  const child = execFileSync(process.execPath, ['-p', dir], { encoding: 'utf8' }).trim();
  const worker = await new Promise((resolve, reject) => {
    const w = new Worker("process.getBuiltinModule('node:worker_threads').parentPort.postMessage(" + dir + ')', { eval: true });
    w.once('message', resolve).once('error', reject);
  });
  console.log(JSON.stringify({ own: (await import('node:module')).getCompileCacheDir() ?? 'none', child, worker, env: process.env.NODE_COMPILE_CACHE ?? 'none' }));
`;

function run(env: NodeJS.ProcessEnv, cwd?: string): { own: string; child: string; worker: string; env: string } {
  const clean = { ...process.env };
  delete clean.NODE_COMPILE_CACHE;
  delete clean.NODE_DISABLE_COMPILE_CACHE;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', probe], {
    env: { ...clean, ...env },
    encoding: 'utf8',
    cwd,
  });
  return JSON.parse(out);
}

describe('the compile cache', () => {
  it("is the user's cache folder, for the command, its worker threads and the processes it starts", () => {
    const home = tempDir();
    const folder = join(home, 'readback', 'compile-cache');
    const found = run({ XDG_CACHE_HOME: home });
    expect(found.own.startsWith(folder)).toBe(true);
    expect(found.child.startsWith(folder)).toBe(true);
    expect(found.worker.startsWith(folder)).toBe(true);
    expect(readdirSync(folder).length).toBeGreaterThan(0);
  });

  it('is where NODE_COMPILE_CACHE says, and off everywhere with NODE_DISABLE_COMPILE_CACHE=1', () => {
    const chosen = tempDir();
    const found = run({ XDG_CACHE_HOME: tempDir(), NODE_COMPILE_CACHE: chosen });
    for (const dir of [found.own, found.child, found.worker]) expect(dir.startsWith(chosen)).toBe(true);
    expect(run({ XDG_CACHE_HOME: tempDir(), NODE_DISABLE_COMPILE_CACHE: '1' })).toEqual({
      own: 'none',
      child: 'none',
      worker: 'none',
      env: 'none',
    });
    // a relative folder is handed on as a full path: the pages' process runs in a folder of its own
    const here = tempDir();
    expect(run({ XDG_CACHE_HOME: tempDir(), NODE_COMPILE_CACHE: 'kept' }, here).env).toBe(join(here, 'kept'));
  });
});
