/**
 * `npm run build` (SPEC §6): dictionary check, reconcile, then the site. Nothing is published unless every
 * tuple is green; the site is built into a staging folder and swapped into dist/ at the end,
 * so a failed build leaves the previous dist/ untouched.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'astro';
import { today } from '../src/cli/dictionary.ts';
import { reconcileSummary } from '../src/cli/output.ts';
import { formatDiff } from '../src/core/diff-format.ts';
import { checkDictionary } from '../src/core/governance.ts';
import { formatLocation } from '../src/core/problems.ts';
import { readHistoryIntegrity } from '../src/io/dictionary-history.ts';
import { CURRENT_DICTIONARY, loadDictionaryCatalog } from '../src/io/workspace.ts';
import { STATUS_EXIT_CODE } from '../src/core/problems.ts';
import { RECONCILE_DIR, writeReconcileArtifacts } from '../src/io/artifacts.ts';
import { reconcileWorkspace } from '../src/io/reconcile-workspace.ts';

const projectRoot = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { root: { type: 'string' }, out: { type: 'string' } } });
const root = resolve(values.root ?? process.env.READBACK_ROOT ?? projectRoot);
const dist = resolve(values.out ?? join(root, 'dist'));

// 1. dictionary check (SPEC §7): a forbidden or unexplained change stops the build
const catalog = loadDictionaryCatalog(root);
if (catalog.problems.length > 0 || !catalog.current) {
  for (const p of catalog.problems) process.stderr.write(`${formatLocation(p)}: ${p.code} ${p.message}\n`);
  process.stderr.write(`build refused: the dictionary is unreadable; nothing was published (${dist} is unchanged).\n`);
  process.exit(2);
}
const check = checkDictionary(catalog.current, catalog.history, readHistoryIntegrity(root), today());
if (!check.ok) {
  process.stderr.write(formatDiff(check, 'text', { file: CURRENT_DICTIONARY, metricLines: catalog.current.metricLines, command: 'check' }));
  process.stderr.write(`build refused: dictionary check fails; nothing was published (${dist} is unchanged).\n`);
  process.exit(1);
}

// 2. reconcile (SPEC §5)
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
