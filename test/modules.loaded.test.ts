/**
 * What a thread loads is time before it starts its work (docs/PERFORMANCE.md, round eight):
 * - a large export is read in a worker thread while the other export is read in the main thread,
 *   so every module the worker loads delays the tuple: it loads the reader and the accumulator
 *   only, no schema library, no YAML parser, no JSON canonicalizer;
 * - the build's own process never runs Astro (a process of its own renders the pages), so it does
 *   not load Astro, Vite or their bundler before it starts that process.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/workspace.ts';

/** Every module URL a module of src/ loads, recorded in a worker thread that imports it, by a resolve hook. */
async function modulesLoadedBy(...path: string[]): Promise<string[]> {
  const entry = pathToFileURL(join(REPO_ROOT, 'src', ...path)).href;
  const code = `
    const { registerHooks } = require('node:module');
    const { parentPort } = require('node:worker_threads');
    const seen = [];
    registerHooks({ resolve(specifier, context, next) { const found = next(specifier, context); seen.push(found.url); return found; } });
    import(${JSON.stringify(entry)}).then(() => parentPort.postMessage(seen), (error) => parentPort.postMessage(String(error)));
  `;
  const worker = new Worker(code, { eval: true });
  try {
    return await new Promise((resolve, reject) => {
      worker.once('message', (message: string[] | string) =>
        typeof message === 'string' ? reject(new Error(message)) : resolve(message),
      );
      worker.once('error', reject);
    });
  } finally {
    await worker.terminate();
  }
}

describe('the export reader worker', () => {
  it('loads the reader and the accumulator, and no package', async () => {
    const modules = await modulesLoadedBy('io', 'export-worker.ts');
    const ours = modules.filter((url) => url.startsWith('file:')).map((url) => url.slice(url.indexOf('/src/') + 1));
    expect(ours).toContain('src/io/csv-reader.ts');
    expect(ours).toContain('src/core/exports.ts');
    // node_modules would be a package: zod, yaml and canonicalize were loaded here before
    expect(modules.filter((url) => url.includes('/node_modules/'))).toEqual([]);
    expect(ours.every((path) => path.startsWith('src/'))).toBe(true);
  });
});

describe("the build's process", () => {
  it('loads neither Astro nor Vite nor their bundler: the pages render in a process of their own', async () => {
    const modules = await modulesLoadedBy('publish', 'publish.ts');
    expect(modules.some((url) => url.endsWith('/src/publish/publish.ts'))).toBe(true);
    const packages = new Set(
      modules.map((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1]).filter(Boolean),
    );
    expect(packages.has('zod')).toBe(true); // the check sees packages at all
    for (const heavy of ['astro', 'vite', 'rolldown', 'svgo', 'shiki']) expect(packages.has(heavy), heavy).toBe(false);
  });
});
