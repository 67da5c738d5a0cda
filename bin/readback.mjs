#!/usr/bin/env node
// The `readback` command. In an installed package it runs the compiled lib/ (built by
// `npm pack`); in a checkout it runs the TypeScript sources through Node's type stripping,
// which needs Node >= 22.18, re-running under the project's pinned `node` package if need be.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { enableCompileCache } from './compile-cache.mjs';

enableCompileCache();

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
