/**
 * `npm run build` (SPEC §6, §8): dictionary check → reconcile → site model → Astro pages →
 * PDFs → downloads → search index → link and anchor check → publish. Everything is built in a
 * staging folder and swapped into dist/ only at the end, so a failed build leaves the previous
 * dist/ untouched.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'astro';
import * as pagefind from 'pagefind';
import { DEFAULT_SITE_URL } from '../astro.config.mjs';
import { today } from '../src/cli/dictionary.ts';
import { reconcileSummary } from '../src/cli/output.ts';
import { formatDiff } from '../src/core/diff-format.ts';
import { checkDictionary } from '../src/core/governance.ts';
import { formatProblem, type Problem, STATUS_EXIT_CODE } from '../src/core/problems.ts';
import { buildSiteModel } from '../src/core/site-model.ts';
import { replayCommand, writeReconcileArtifacts } from '../src/io/artifacts.ts';
import { readHistoryIntegrity } from '../src/io/dictionary-history.ts';
import { anchorList, brokenLinks, indexSite } from '../src/io/links.ts';
import { reconcileWorkspace } from '../src/io/reconcile-workspace.ts';
import { SITE_SUMS, siteSums, verifySite } from '../src/io/verify.ts';
import { readSiteContent, tupleReportBytes } from '../src/io/site-inputs.ts';
import { CURRENT_DICTIONARY, loadDictionaryCatalog } from '../src/io/workspace.ts';
import { pdfLinkTargets } from '../src/pdf/links.ts';
import { renderOnePagers } from '../src/pdf/pool.ts';
import { pageSize } from '../src/pdf/render.ts';

const projectRoot = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { root: { type: 'string' }, out: { type: 'string' } } });
const root = resolve(values.root ?? process.env.READBACK_ROOT ?? projectRoot);
const dist = resolve(values.out ?? join(root, 'dist'));
const say = (line: string) => process.stderr.write(`${line}\n`);
let phaseStarted = performance.now();
/** READBACK_TIMINGS=1 prints how long each step took (the benchmark reads these lines). */
const phase = (name: string) => {
  if (process.env.READBACK_TIMINGS === '1')
    say(`timing ${name}: ${((performance.now() - phaseStarted) / 1000).toFixed(2)} s`);
  phaseStarted = performance.now();
};

// a build killed between the two renames of the publish step left the old site at dist.previous
if (!existsSync(dist) && existsSync(`${dist}.previous`)) renameSync(`${dist}.previous`, dist);

function refuse(reason: string, code: number, problems: readonly Problem[] = []): never {
  for (const p of problems) say(formatProblem(p));
  say(`build refused: ${reason}; nothing was published (${dist} is unchanged).`);
  process.exit(code);
}

const siteUrl = (process.env.READBACK_SITE_URL || DEFAULT_SITE_URL).replace(/\/+$/, '');
{
  // the site's routes (SPEC §8) sit at the root of its origin: a URL with a path would publish
  // links the pages do not serve
  let url: URL | null = null;
  try {
    url = new URL(siteUrl);
  } catch {}
  // exactly an origin: no path, and no bare `?` or `#` left over either
  if (!url || !/^https?:$/.test(url.protocol) || url.origin !== siteUrl) {
    refuse(
      `READBACK_SITE_URL must be an http(s) origin such as https://kpi.example.org (no path, query or fragment), not "${siteUrl}"`,
      2,
    );
  }
}

// 1. dictionary check (SPEC §7): a forbidden or unexplained change stops the build
const catalog = loadDictionaryCatalog(root);
if (catalog.problems.length > 0 || !catalog.current) refuse('the dictionary is unreadable', 2, catalog.problems);
const current = catalog.current!;
const check = checkDictionary(current, catalog.history, readHistoryIntegrity(root), today());
if (!check.ok) {
  process.stderr.write(
    formatDiff(check, 'text', { file: CURRENT_DICTIONARY, metricLines: current.metricLines, command: 'check' }),
  );
  refuse('dictionary check fails', 1);
}

phase('dictionary check');

// 2. reconcile (SPEC §5): every tuple green, or nothing is published
const report = await reconcileWorkspace({ root, catalog });
const written = writeReconcileArtifacts(root, report, (tuple) => replayCommand(root, tuple.tuple_id));
say(reconcileSummary(report));
if (report.status !== 'green') {
  say(`report: ${join(root, written.report)}`);
  for (const failure of written.failures) say(`failure artifact: ${join(root, failure)}`);
  for (const ticket of written.tickets) say(`owner ticket: ${join(root, ticket)}`);
  refuse(`reconcile is ${report.status}`, STATUS_EXIT_CODE[report.status]);
}

phase('reconcile');

// 3. the site model: the one object every page and PDF renders
const inputs = readSiteContent(root, report);
if (inputs.problems.length > 0) refuse('a readback.md is not usable', 2, inputs.problems);
const model = buildSiteModel({
  siteUrl,
  report,
  history: catalog.history,
  current,
  today: today(),
  content: inputs.content,
  faqMarkdown: inputs.faqMarkdown,
});
const modelPath = join(root, '.readback', 'site', 'model.json');
mkdirSync(dirname(modelPath), { recursive: true });
writeFileSync(modelPath, `${JSON.stringify(model, null, 2)}\n`);

phase('site model');

// 4–5. pages into a staging folder and, at the same time, the executive one-pagers in worker
//      threads (both render the one site model; the PDFs wait beside the staging folder, which
//      Astro empties when it starts, and move in once the pages are built)
const staging = join(root, '.readback', 'staging', 'dist');
const pdfFolder = join(root, '.readback', 'staging', 'readback-pdf');
for (const folder of [staging, pdfFolder]) {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
}
const pdfs = renderOnePagers(model.tuples, siteUrl, pageSize(), (tuple, pdf) =>
  writeFileSync(join(pdfFolder, `${tuple.tuple_id}.pdf`), pdf),
);
pdfs.catch(() => {}); // awaited below; a page failure must not leave it unhandled
process.env.READBACK_SITE_MODEL = modelPath;
process.env.ASTRO_TELEMETRY_DISABLED = '1';
await build({ root: projectRoot, outDir: staging, site: siteUrl, logLevel: 'warn' });

phase('astro pages (PDFs rendering beside them)');

try {
  await pdfs;
} catch (error) {
  // a readback too long for one page (SPEC §8), or a render that failed: nothing is published
  refuse((error as Error).message, 2);
}
mkdirSync(join(staging, 'readback'), { recursive: true });
for (const tuple of model.tuples)
  renameSync(join(pdfFolder, `${tuple.tuple_id}.pdf`), join(staging, 'readback', `${tuple.tuple_id}.pdf`));

phase('pdfs (the rest of their time)');

// 6. downloads: the partner export and both manifests byte for byte, each tuple's report entry,
//    and the canonical JSON of every dictionary version (its SHA-256 is dictionary_sha256)
for (const tuple of model.tuples) {
  const dir = join(staging, 'exports', tuple.tuple_id);
  mkdirSync(dir, { recursive: true });
  for (const file of [
    tuple.downloads.partner_csv,
    tuple.downloads.leadership_manifest,
    tuple.downloads.partner_manifest,
  ])
    copyFileSync(join(root, file.source), join(dir, file.name));
  mkdirSync(join(staging, 'tuples', tuple.tuple_id), { recursive: true });
  writeFileSync(join(staging, 'tuples', tuple.tuple_id, 'report.json'), tupleReportBytes(tuple.report));
}
mkdirSync(join(staging, 'dictionary'), { recursive: true });
for (const version of model.versions)
  writeFileSync(
    join(staging, 'dictionary', `${version.version}.json`),
    catalog.byVersion.get(version.version)!.canonical,
  );

phase('downloads');

// 7. offline search over the glossary (no external service)
const search = await pagefind.createIndex({});
if (!search.index) throw new Error(`pagefind: ${search.errors.join('; ')}`);
await search.index.addDirectory({ path: staging });
await search.index.writeFiles({ outputPath: join(staging, 'pagefind') });
await pagefind.close();

phase('search index');

// 8. every link in every page and PDF resolves; no published anchor disappears
const index = await indexSite(staging, pdfLinkTargets);
const broken = brokenLinks(index, siteUrl);
if (broken.length > 0) {
  for (const link of broken) say(`broken link in ${link.from}: ${link.href} (${link.why})`);
  refuse(`${broken.length} broken link${broken.length === 1 ? '' : 's'}`, 1);
}
const anchors = anchorList(index);
const previousAnchors = join(dist, 'anchors.json');
if (existsSync(previousAnchors) && process.env.READBACK_ALLOW_ANCHOR_REMOVAL !== '1') {
  const retired = new Set(
    model.diffs.flatMap((d) =>
      d.findings.filter((f) => f.rule === 'METRIC_REMOVED_AFTER_SUNSET').map((f) => f.metric_id),
    ),
  );
  const now = new Set(anchors);
  const lost = (JSON.parse(readFileSync(previousAnchors, 'utf8')) as string[]).filter(
    (a) => !now.has(a) && !retired.has(a.slice(a.indexOf('#') + 1)),
  );
  if (lost.length > 0) {
    for (const anchor of lost) say(`anchor disappeared: ${anchor}`);
    refuse(
      `${lost.length} published anchor${lost.length === 1 ? '' : 's'} would disappear (set READBACK_ALLOW_ANCHOR_REMOVAL=1 to accept)`,
      1,
    );
  }
}
writeFileSync(join(staging, 'anchors.json'), `${JSON.stringify(anchors, null, 1)}\n`);

phase('links and anchors');

// 9. the auditor's replay: every hash recomputed from the staged files alone, and a sum for every file
writeFileSync(join(staging, SITE_SUMS), siteSums(staging));
const verified = verifySite(staging);
if (verified.mismatches.length > 0) refuse(`verify found ${verified.mismatches.join('; ')}`, 1);

phase('verify');

// 10. publish: the old dist/ is replaced only once the new one is complete
const previous = `${dist}.previous`;
rmSync(previous, { recursive: true, force: true });
if (existsSync(dist)) renameSync(dist, previous);
renameSync(staging, dist);
rmSync(previous, { recursive: true, force: true });
say(
  `published ${dist} (${model.tuples.length} tuples, ${model.glossary.length} metrics, ${index.links.length} links checked, ${verified.checked.length} hashes verified)`,
);
