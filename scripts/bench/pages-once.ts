/**
 * Child process for the benchmark: the Astro pages alone, from a built site model, into a scratch
 * folder — what `npm run build` does in its pages step, without the PDFs rendering beside it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const projectRoot = resolve(import.meta.dirname, '..', '..');
const outDir = mkdtempSync(join(tmpdir(), 'readback-pages-'));
process.env.READBACK_SITE_MODEL = resolve(process.argv[2]!);
process.env.ASTRO_TELEMETRY_DISABLED = '1';
// as the build starts its pages' process (src/publish/pages.ts, which also sets the V8 flag the
// benchmark gives this process): set before Astro loads its bundler
process.env.MIMALLOC_ALLOW_THP ??= '0';
const { build } = await import('astro');
try {
  await build({ root: projectRoot, outDir, logLevel: 'error' });
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
