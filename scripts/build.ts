/**
 * `npm run build` (SPEC §6): reconcile, then the site. Nothing is published unless every
 * tuple is green; the site is built into a staging folder and swapped into dist/ at the end,
 * so a failed build leaves the previous dist/ untouched.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'astro';
import { reconcileSummary } from '../src/cli/output.ts';
import { STATUS_EXIT_CODE } from '../src/core/problems.ts';
import { RECONCILE_DIR, writeReconcileArtifacts } from '../src/io/artifacts.ts';
import { reconcileWorkspace } from '../src/io/reconcile-workspace.ts';

const projectRoot = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { root: { type: 'string' }, out: { type: 'string' } } });
const root = resolve(values.root ?? process.env.READBACK_ROOT ?? projectRoot);
const dist = resolve(values.out ?? join(root, 'dist'));

const report = await reconcileWorkspace({ root });
const written = writeReconcileArtifacts(root, report, (tuple) => `npx readback reconcile --root ${root} --tuple ${tuple.tuple_id}`);
process.stderr.write(`${reconcileSummary(report)}\n`);
if (report.status !== 'green') {
  process.stderr.write(`build refused: reconcile is ${report.status}; nothing was published (${dist} is unchanged).\n`);
  process.stderr.write(`report: ${join(root, written.report)}\n`);
  for (const failure of written.failures) process.stderr.write(`failure artifact: ${join(root, failure)}\n`);
  for (const ticket of written.tickets) process.stderr.write(`owner ticket: ${join(root, ticket)}\n`);
  process.exit(STATUS_EXIT_CODE[report.status]);
}

const staging = join(root, '.readback', 'staging', 'dist');
rmSync(staging, { recursive: true, force: true });
mkdirSync(staging, { recursive: true });
process.env.READBACK_REPORT = join(root, RECONCILE_DIR, 'report.json');
process.env.ASTRO_TELEMETRY_DISABLED = '1';
await build({ root: projectRoot, outDir: staging, logLevel: 'warn' });

// swap: the old dist/ is replaced only once the new one is complete
const previous = `${dist}.previous`;
rmSync(previous, { recursive: true, force: true });
if (existsSync(dist)) renameSync(dist, previous);
renameSync(staging, dist);
rmSync(previous, { recursive: true, force: true });
process.stderr.write(`published ${dist}\n`);
