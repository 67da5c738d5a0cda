#!/usr/bin/env node
// The `readback` command. In an installed package it runs the compiled lib/ (built by
// `npm pack`); in a checkout it runs the TypeScript sources through Node's type stripping,
// which needs Node >= 22.18, re-running under the project's pinned `node` package if need be.
import { existsSync } from 'node:fs';
import nodeModule, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Node's compile cache keeps the compiled code of every module between runs, so a command starts
// faster from its second run on. It is kept in this user's cache folder (never beside the
// workspace, never in a folder other users write to); NODE_COMPILE_CACHE, when set, chooses
// another folder and NODE_DISABLE_COMPILE_CACHE=1 turns it off (Node reads both itself).
function userCacheFolder() {
  try {
    const env = process.env;
    const base =
      process.platform === 'win32'
        ? env.LOCALAPPDATA
        : process.platform === 'darwin'
          ? join(homedir(), 'Library', 'Caches')
          : env.XDG_CACHE_HOME || join(homedir(), '.cache');
    // a relative folder would be read from the current directory: the workspace
    return base && isAbsolute(base) ? join(base, 'readback', 'compile-cache') : null;
  } catch {
    return null; // no home folder: no cache
  }
}
if (!process.env.NODE_COMPILE_CACHE) {
  const folder = userCacheFolder();
  // Node before 22.1 has no compile cache; a folder that cannot be written only means no cache
  if (folder) nodeModule.enableCompileCache?.(folder);
}

const compiled = fileURLToPath(new URL('../lib/cli/main.js', import.meta.url));
const source = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const [major, minor] = process.versions.node.split('.').map(Number);
const stripsTypes = major > 22 || (major === 22 && minor >= 18);
const run = async (entry) => {
  const { main } = await import(entry);
  process.exitCode = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
  });
};

// lib/ is only trusted inside an installed package; a checkout always runs its current sources
const installed = fileURLToPath(import.meta.url)
  .split(/[\\/]/)
  .includes('node_modules');
if (installed && existsSync(compiled)) await run(compiled);
else if (stripsTypes) await run(source);
else {
  let pinned;
  try {
    pinned = createRequire(import.meta.url).resolve('node/bin/node');
  } catch {
    process.stderr.write(
      `readback needs Node.js 22.18 or newer to run from source (this is ${process.version}); run "npm ci" to get the pinned Node.\n`,
    );
    process.exit(70);
  }
  // loaded here only: starting child processes is this path's alone
  const { spawnSync } = await import('node:child_process');
  const result = spawnSync(pinned, [source, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
