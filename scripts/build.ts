/**
 * `npm run build` (SPEC §6): dictionary check, reconcile, then the site. Nothing is published unless every
 * tuple is green; the site is built into a staging folder and swapped into dist/ at the end,
 * so a failed build leaves the previous dist/ untouched.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'astro';
import * as pagefind from 'pagefind';
import { DEFAULT_SITE_URL } from '../astro.config.mjs';
import { buildSiteModel } from '../src/core/site-model.ts';
import { today } from '../src/cli/dictionary.ts';
import { reconcileSummary } from '../src/cli/output.ts';
import { formatDiff } from '../src/core/diff-format.ts';
import { checkDictionary } from '../src/core/governance.ts';
import { formatLocation } from '../src/core/problems.ts';
import { readHistoryIntegrity } from '../src/io/dictionary-history.ts';
import { CURRENT_DICTIONARY, loadDictionaryCatalog } from '../src/io/workspace.ts';
import { STATUS_EXIT_CODE } from '../src/core/problems.ts';
import { writeReconcileArtifacts } from '../src/io/artifacts.ts';
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

// 3. the site model: the one object every page renders
const siteUrl = process.env.READBACK_SITE_URL || DEFAULT_SITE_URL;
const model = buildSiteModel({ siteUrl, report, history: catalog.history, current: catalog.current, today: today() });
const modelPath = join(root, '.readback', 'site', 'model.json');
mkdirSync(dirname(modelPath), { recursive: true });
writeFileSync(modelPath, `${JSON.stringify(model, null, 2)}\n`);

// 4. the site, into a staging folder
const staging = join(root, '.readback', 'staging', 'dist');
rmSync(staging, { recursive: true, force: true });
mkdirSync(staging, { recursive: true });
process.env.READBACK_SITE_MODEL = modelPath;
process.env.ASTRO_TELEMETRY_DISABLED = '1';
await build({ root: projectRoot, outDir: staging, site: siteUrl, logLevel: 'warn' });

// SPEC §8: /dictionary/<semver>.json holds exactly the bytes whose SHA-256 is dictionary_sha256
mkdirSync(join(staging, 'dictionary'), { recursive: true });
for (const version of [...catalog.history, catalog.current]) {
  writeFileSync(join(staging, 'dictionary', `${version.dictionary.version}.json`), catalog.byVersion.get(version.dictionary.version)!.canonical);
}

// offline search over the glossary (no external service)
const search = await pagefind.createIndex({});
if (!search.index) throw new Error(`pagefind: ${search.errors.join('; ')}`);
await search.index.addDirectory({ path: staging });
await search.index.writeFiles({ outputPath: join(staging, 'pagefind') });
await pagefind.close();

// swap: the old dist/ is replaced only once the new one is complete
const previous = `${dist}.previous`;
rmSync(previous, { recursive: true, force: true });
if (existsSync(dist)) renameSync(dist, previous);
renameSync(staging, dist);
rmSync(previous, { recursive: true, force: true });
process.stderr.write(`published ${dist}\n`);
