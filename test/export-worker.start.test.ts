/**
 * A large export is read in a worker thread while the other export is read in the main thread, so
 * every module the worker loads delays the tuple. The worker loads the reader and the accumulator
 * only: no schema library, no YAML parser, no JSON canonicalizer (docs/PERFORMANCE.md, round eight).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/workspace.ts';

/** Every module URL the export worker's module loads, recorded in the worker itself by a resolve hook. */
async function modulesOfExportWorker(): Promise<string[]> {
  const entry = pathToFileURL(join(REPO_ROOT, 'src', 'io', 'export-worker.ts')).href;
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
    const modules = await modulesOfExportWorker();
    const ours = modules.filter((url) => url.startsWith('file:')).map((url) => url.slice(url.indexOf('/src/') + 1));
    expect(ours).toContain('src/io/csv-reader.ts');
    expect(ours).toContain('src/core/exports.ts');
    // node_modules would be a package: zod, yaml and canonicalize were loaded here before
    expect(modules.filter((url) => url.includes('/node_modules/'))).toEqual([]);
    expect(ours.every((path) => path.startsWith('src/'))).toBe(true);
  });
});
