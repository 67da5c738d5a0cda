/**
 * `npm run bench`: measures reconcile against its floors (sha256sum, csv-parse alone), the site
 * build against a bare Astro build of as many pages, one warm PDF render, and the command line's
 * start-up (`readback --help` and a reconcile of the bundled sample, compiled as installed). Prints
 * the figures and writes them to docs/PERFORMANCE.md. Figures, not assertions: nothing here fails
 * on a number.
 *
 *   npm run bench                     # 100k, 1M and 5M rows per side, the 1,000 × 200 site, the PDF
 *   npm run bench -- --rows 100000    # one size only
 *   npm run bench -- --no-site        # skip the site build
 *   npm run bench -- --no-rows        # only the site build and the PDF
 *   npm run bench -- --only site      # only the site build (also: rows, pdf, startup; comma-separated)
 *   npm run bench -- --only startup   # only the start-up of `readback --help` and `readback reconcile`
 *   npm run bench -- --startup-runs 40  # each start-up command 40 times (median; default 20)
 *   npm run bench -- --partners 1     # the site's 200 tuples under one partner (default 50, 4 tuples each)
 *   npm run bench -- --repeat 5       # every measurement 5 times (median; default 3)
 *   npm run bench -- --only program --repeat 1   # 2,000 tuples × 200 metrics over 500 partners
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpus, freemem, platform, release, tmpdir, totalmem } from 'node:os';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildLib } from './build-lib.ts';
import { changeOneTuple, freshRoot, writeDictionary, writeProgram, writeTuple } from './bench/generate.ts';
import { treeRssMb, waitedChildrenCpuMs } from './bench/peak-rss.ts';
import { measureStartup, type StartupFigure } from './bench/startup.ts';
import { PAGES_NODE_FLAGS } from '../src/publish/pages.ts';

const projectRoot = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    rows: { type: 'string' },
    'no-site': { type: 'boolean' },
    'no-rows': { type: 'boolean' },
    only: { type: 'string' },
    partners: { type: 'string' },
    tuples: { type: 'string' },
    out: { type: 'string' },
    scratch: { type: 'string' },
    repeat: { type: 'string' },
    'program-tuples': { type: 'string' },
    'program-metrics': { type: 'string' },
    'program-partners': { type: 'string' },
    'startup-runs': { type: 'string' },
  },
});
/** every measurement runs this many times; the median is reported (this machine varies ±25 % run to run) */
const repeat = Math.max(1, Number(values.repeat ?? 3));
const only = values.only ? new Set(values.only.split(',')) : null;
const part = {
  rows: only ? only.has('rows') : !values['no-rows'],
  site: only ? only.has('site') : !values['no-site'],
  // a program of thousands of tuples: several minutes a build, so only when asked for
  program: only ? only.has('program') : false,
};
const pdfPart = only ? only.has('pdf') : true;
const startupPart = only ? only.has('startup') : true;
/** start-up takes a fraction of a second a run, and this machine's noise needs many runs */
const startupRuns = Math.max(1, Number(values['startup-runs'] ?? 20));
const sizes = part.rows ? (values.rows ?? '100000,1000000,5000000').split(',').map(Number) : [];
/** the program-scale site: 1,000 metrics; tuples spread over partners in turn, each partner a bundle */
const siteTuples = Math.max(1, Number(values.tuples ?? 200));
const sitePartners = Math.min(siteTuples, Math.max(1, Number(values.partners ?? 50)));
/** the program of thousands of tuples (`--only program`): each partner a bundle */
const programTuples = Math.max(1, Number(values['program-tuples'] ?? 2000));
const programMetrics = Math.max(9, Number(values['program-metrics'] ?? 200));
const programPartners = Math.min(programTuples, Math.max(1, Number(values['program-partners'] ?? 500)));
/** this run's own scratch folder (removed at the end): two runs at once never share or delete one */
const scratch = resolve(values.scratch ?? mkdtempSync(join(tmpdir(), 'readback-bench-')));
const sampleDictionary = join(projectRoot, 'dictionary', 'history', '1.0.0.yaml');
const node = process.execPath;
const say = (line: string) => process.stderr.write(`${line}\n`);

function timed(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): { ms: number; stdout: string; stderr: string } {
  const started = performance.now();
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    cwd: options.cwd ?? projectRoot,
    env: { ...process.env, ...options.env },
  });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return { ms, stdout: result.stdout, stderr: result.stderr };
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
/** The median of some figures: the middle one (of an even count, the upper middle). */
const middle = (list: readonly number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
const rows: string[] = [];
const hasDuckDb = await import('@duckdb/node-api' as string).then(
  () => true,
  () => false,
);
if (!hasDuckDb && sizes.length > 0) say('DuckDB comparison skipped: npm i --no-save @duckdb/node-api to include it');

// reconcile is timed as the installed package runs it: the compiled lib/ (`npm pack` builds it),
// whose reader thread loads one bundled file instead of the TypeScript sources' modules
const compiled = join(scratch, 'lib');
if (sizes.length > 0) await buildLib(projectRoot, compiled, { 'reconcile-once': 'scripts/bench/reconcile-once.ts' });
for (const size of sizes) {
  const root = freshRoot(join(scratch, `rows-${size}`));
  writeDictionary(root, sampleDictionary);
  say(`generating 2 × ${size.toLocaleString('en-US')} rows…`);
  const { bytes } = await writeTuple(root, 'bench-tuple', size);
  const files = ['leadership', 'partner'].map((a) => join(root, 'content', 'tuples', 'bench-tuple', `${a}.csv`));
  timed('sh', ['-c', 'cat "$@" > /dev/null', 'sh', ...files]); // warm the page cache so every measurement reads from memory
  const sha = timed('sha256sum', files);
  const parse = JSON.parse(timed(node, [join(projectRoot, 'scripts', 'bench', 'parse-once.ts'), ...files]).stdout);
  const runs = (script: string, args: string[]) =>
    Array.from({ length: repeat }, () => JSON.parse(timed(node, [script, ...args]).stdout));
  // one thread for both exports (as DuckDB runs), then the default: each large export in its own reader thread
  const reconcileOnce = join(compiled, 'cli', 'reconcile-once.js');
  const single = runs(reconcileOnce, ['--one-thread', root]);
  const threads = runs(reconcileOnce, [root]);
  // DuckDB at equal threads: one (as reconcile on one thread) and two (as its reader threads)
  const duckdbOnce = join(projectRoot, 'scripts', 'bench', 'duckdb-once.ts');
  const duck = hasDuckDb ? runs(duckdbOnce, ['--threads', '1', ...files]) : null;
  const duck2 = hasDuckDb ? runs(duckdbOnce, ['--threads', '2', ...files]) : null;
  const reconcile = threads[0]!;
  for (const run of [...single, ...threads]) {
    if (run.status !== 'green') throw new Error(`bench workspace reconciled ${run.status}`);
    if (JSON.stringify(run.metrics) !== JSON.stringify(reconcile.metrics))
      throw new Error('reconcile gave different aggregates on one thread and on reader threads');
  }
  if (duck) {
    // the exact aggregates must agree (sums, max, last observed; DuckDB divides decimals in floating point, so averages are not compared)
    const exact: [string, number][] = [
      ['m.requests.total', 0],
      ['m.api.p95_latency_ms', 2],
      ['m.orders.shipped', 3],
      ['m.incidents.open', 5],
      ['m.backlog.tickets', 6],
      ['m.revenue.billed_minor', 7],
    ];
    // and per period: the sums and maxima of every period (columns 1–4 of DuckDB's per-period rows)
    const perPeriod: [string, number][] = [
      ['m.requests.total', 1],
      ['m.api.p95_latency_ms', 2],
      ['m.orders.shipped', 3],
      ['m.revenue.billed_minor', 4],
    ];
    for (const run of [duck[0], duck2![0]]) {
      for (const [id, column] of exact) {
        for (const result of run.results as string[][]) {
          if (result[column] !== reconcile.metrics[id])
            throw new Error(`DuckDB and reconcile disagree on ${id}: ${result[column]} vs ${reconcile.metrics[id]}`);
        }
      }
      for (const [id, column] of perPeriod) {
        const ours = (reconcile.periods[id] as [string, string][]).map(([period, value]) => `${period} ${value}`);
        for (const rowsOfFile of run.periods as string[][][]) {
          const theirs = rowsOfFile.map((row) => `${row[0]} ${row[column]}`);
          if (JSON.stringify(theirs) !== JSON.stringify(ours))
            throw new Error(`DuckDB and reconcile disagree on the periods of ${id}`);
        }
      }
      if (JSON.stringify(run.hashes) !== JSON.stringify(reconcile.hashes))
        throw new Error('the DuckDB run and reconcile hashed the exports differently');
    }
    say(
      'DuckDB (1 and 2 threads) and reconcile agree on every sum, max and last observed value, every period of the sums and maxima, and both SHA-256s',
    );
  }
  const median = (list: { ms: number }[]) => middle(list.map((r) => r.ms));
  const spread = (list: { ms: number }[]) =>
    list.length > 1
      ? ` (${s(Math.min(...list.map((r) => r.ms))).replace(' s', '')}–${s(Math.max(...list.map((r) => r.ms)))})`
      : '';
  const oneMs = median(single);
  const threadsMs = median(threads);
  const cpuOf = (list: { cpuMs: number }[]) => middle(list.map((r) => r.cpuMs));
  const rss = Math.max(...[...single, ...threads].map((r) => r.maxRssMb));
  // wall and CPU time against DuckDB with as many threads
  const versus = (ours: { ms: number; cpuMs: number }[], theirs: { ms: number; cpuMs: number }[] | null) =>
    theirs
      ? ` · **${(median(ours) / median(theirs)).toFixed(2)}×** DuckDB's wall, ${(cpuOf(ours) / cpuOf(theirs)).toFixed(2)}× its CPU`
      : '';
  const duckCell = (list: { ms: number; cpuMs: number }[] | null) =>
    list ? `${s(median(list))}${spread(list)}, ${s(cpuOf(list))} CPU` : 'not installed';
  const line = `| ${size.toLocaleString('en-US')} | ${(bytes / 1e6).toFixed(0)} MB | ${s(sha.ms)} | ${s(parse.ms)} | ${s(oneMs)}${spread(single)}${versus(single, duck)} | ${s(threadsMs)}${spread(threads)}${versus(threads, duck2)} | ${(oneMs / parse.ms).toFixed(2)}× | ${rss.toFixed(0)} MB | ${duckCell(duck)} | ${duckCell(duck2)} |`;
  rows.push(line);
  say(line);
  rmSync(root, { recursive: true, force: true });
}

let siteLines: string[] = [];
let pdfModel = '';
if (part.site) {
  const root = freshRoot(join(scratch, 'site'));
  writeDictionary(root, sampleDictionary, 1000 - 9);
  const program = { tuples: siteTuples, partners: sitePartners, leadershipEvery: 3 };
  say(`generating 1,000 metrics × ${siteTuples} tuples over ${sitePartners} partners…`);
  await writeProgram(root, program);
  // the same tuples under one partner: one bundle instead of many, to tell what the bundles cost
  const onePartner = sitePartners > 1 ? freshRoot(join(scratch, 'site-one-partner')) : null;
  if (onePartner) {
    writeDictionary(onePartner, sampleDictionary, 1000 - 9);
    await writeProgram(onePartner, { ...program, partners: 1 });
  }
  let onePartnerPages = 0;
  const ones: Build[] = [];
  const rebuilds: Build[] = [];
  const changed = `bench-${String(Math.floor(siteTuples / 2)).padStart(3, '0')}`;
  const { runs, pages, bundlePages } = await buildsAgainstBare(root, 'site', async (run) => {
    // a rebuild: one tuple's exports changed since the full build, whose caches it finds
    changeOneTuple(root, changed, run);
    const rebuild = await measuredBuild(root, { clean: false });
    rebuilds.push(rebuild);
    say(`site run ${run}/${repeat}: rebuild after ${changed} changed ${s(rebuild.ms)} (CPU ${s(rebuild.cpuMs)})`);
    if (!onePartner) return;
    const one = await measuredBuild(onePartner);
    if (run === 1) onePartnerPages = htmlFiles(join(onePartner, 'dist'));
    ones.push(one);
    say(`site run ${run}/${repeat}: one partner ${s(one.ms)}`);
  });
  const pagesAlone = timed(node, [
    PAGES_NODE_FLAGS,
    join(projectRoot, 'scripts', 'bench', 'pages-once.ts'),
    join(root, '.readback', 'site', 'model.json'),
  ]).ms;
  const each = (list: number[], format: (n: number) => string) =>
    list.length > 1 ? ` (${list.map(format).join(', ')})` : '';
  const seconds = (n: number) => (n / 1000).toFixed(2);
  const times = (n: number) => `${n.toFixed(2)}×`;
  const full = runs.map((r) => r.full.ms);
  const bare = runs.map((r) => r.bare);
  const ratios = runs.map((r) => r.full.ms / r.bare);
  const bareNoThp = runs.map((r) => r.bareNoThp);
  const ratiosNoThp = runs.map((r) => r.full.ms / r.bareNoThp);
  const peaks = runs.map((r) => r.full.peakMb);
  const ratio = middle(ratios);
  const rebuildShares = runs.map((r, i) => rebuilds[i]!.ms / r.full.ms);
  const stepNames = [...runs[0]!.full.steps.keys()];
  const stepOf = (build: Build | null, name: string) => build?.steps.get(name) ?? NaN;
  const onesMs = ones.map((one) => one.ms);
  const bundles = sitePartners;
  siteLines = [
    `| **full build**, ${pages} HTML pages (${bundlePages} of them in the ${bundles} partner bundles) and ${siteTuples * 2} PDFs | **${s(middle(full))}**${each(full, seconds)} |`,
    `| CPU time of the full build (its processes and threads, user + system) | ${s(middle(runs.map((r) => r.full.cpuMs)))}${each(
      runs.map((r) => r.full.cpuMs),
      seconds,
    )} |`,
    `| bare Astro build of ${pages} trivial pages | ${s(middle(bare))}${each(bare, seconds)} |`,
    `| full build ÷ bare Astro (target ≤ 3×) | **${times(ratio)}**${each(ratios, (n) => n.toFixed(2))}: ${ratio <= 3 ? 'within' : 'over'} 3× |`,
    `| bare Astro build of as many pages in a process set as the build sets its pages' process (\`MIMALLOC_ALLOW_THP=0\`: its bundler's allocator without transparent huge pages; \`${PAGES_NODE_FLAGS}\`) | ${s(middle(bareNoThp))}${each(bareNoThp, seconds)} |`,
    `| full build ÷ that bare build | **${times(middle(ratiosNoThp))}**${each(ratiosNoThp, (n) => n.toFixed(2))} |`,
    `| peak RSS of the build (its process, the Astro process and the PDF threads, sampled every 0.1 s) | ${middle(peaks).toFixed(0)} MB${each(peaks, (n) => n.toFixed(0))} |`,
    ...(ones.length > 0
      ? [
          `| the same workspace with every tuple under one partner (1 bundle, ${onePartnerPages} HTML pages) | ${s(middle(onesMs))}${each(onesMs, seconds)} |`,
          `| what ${bundles} bundles cost over one bundle of the same tuples (median of the differences) | ${s(middle(runs.map((r, i) => r.full.ms - ones[i]!.ms)))} |`,
        ]
      : []),
    `| Astro pages alone (${pages} pages from the site model, no PDFs beside them; a process of its own, one run) | ${s(pagesAlone)} (**${(pagesAlone / middle(bare)).toFixed(2)}×** bare) |`,
    `| **rebuild** after one tuple's exports change (one value in both; what the full build kept in \`.readback/cache/\` reused) | **${s(middle(rebuilds.map((r) => r.ms)))}**${each(
      rebuilds.map((r) => r.ms),
      seconds,
    )} |`,
    `| CPU time of the rebuild | ${s(middle(rebuilds.map((r) => r.cpuMs)))}${each(
      rebuilds.map((r) => r.cpuMs),
      seconds,
    )} |`,
    `| rebuild ÷ full build (target ≤ 25 %) | **${(middle(rebuildShares) * 100).toFixed(0)} %**${each(rebuildShares, (n) => `${(n * 100).toFixed(0)} %`)}: ${middle(rebuildShares) <= 0.25 ? 'within' : 'over'} 25 % |`,
    `| peak RSS of the rebuild | ${middle(rebuilds.map((r) => r.peakMb)).toFixed(0)} MB |`,
  ];
  const stepLines = stepNames.map((name) => {
    const own = middle(runs.map((r) => stepOf(r.full, name)));
    const again = middle(rebuilds.map((build) => stepOf(build, name)));
    const one = ones.length > 0 ? ` | ${s(middle(ones.map((build) => stepOf(build, name))))}` : '';
    return `| ${name} | ${s(own)} | ${s(again)}${one} |`;
  });
  siteLines.push(
    '',
    `The build's steps (\`READBACK_TIMINGS=1\`), medians:`,
    '',
    ones.length > 0
      ? `| step | ${bundles} partners | rebuild | 1 partner |\n|---|---:|---:|---:|`
      : '| step | time | rebuild |\n|---|---:|---:|',
    ...stepLines,
  );
  for (const line of siteLines) say(line);
  pdfModel = join(root, '.readback', 'site', 'model.json');
}

let programLines: string[] = [];
if (part.program) {
  const root = freshRoot(join(scratch, 'program'));
  writeDictionary(root, sampleDictionary, programMetrics - 9);
  say(`generating ${programMetrics} metrics × ${programTuples} tuples over ${programPartners} partners…`);
  await writeProgram(root, { tuples: programTuples, partners: programPartners, leadershipEvery: 3 });
  const { runs, pages, bundlePages } = await buildsAgainstBare(root, 'program');
  const full = middle(runs.map((r) => r.full.ms));
  const bare = middle(runs.map((r) => r.bare));
  const ratio = middle(runs.map((r) => r.full.ms / r.bare));
  const ratioNoThp = middle(runs.map((r) => r.full.ms / r.bareNoThp));
  programLines = [
    `| **full build**, ${pages} HTML pages (${bundlePages} of them in the ${programPartners} partner bundles) and ${programTuples * 2} PDFs | **${s(full)}** |`,
    `| CPU time of the build (its processes and threads, user + system) | ${s(middle(runs.map((r) => r.full.cpuMs)))} |`,
    `| bare Astro build of ${pages} trivial pages | ${s(bare)} |`,
    `| full build ÷ bare Astro (target ≤ 3×) | **${ratio.toFixed(2)}×**: ${ratio <= 3 ? 'within' : 'over'} 3× |`,
    `| full build ÷ a bare Astro build in a process set as the build sets its pages' process (\`MIMALLOC_ALLOW_THP=0\`, \`${PAGES_NODE_FLAGS}\`, ${s(middle(runs.map((r) => r.bareNoThp)))}) | **${ratioNoThp.toFixed(2)}×** |`,
    `| peak RSS of the build (its process, the Astro process and the PDF threads, sampled every 0.1 s) | ${middle(runs.map((r) => r.full.peakMb)).toFixed(0)} MB |`,
    '',
    `The build's steps (\`READBACK_TIMINGS=1\`), medians:`,
    '',
    '| step | time |',
    '|---|---:|',
    ...[...runs[0]!.full.steps.keys()].map(
      (name) => `| ${name} | ${s(middle(runs.map((r) => r.full.steps.get(name) ?? NaN)))} |`,
    ),
  ];
  for (const line of programLines) say(line);
  rmSync(root, { recursive: true, force: true });
}

/**
 * `repeat` clean builds of a workspace, each followed by `between` (another build to compare it
 * with) and a bare Astro build of as many pages as the first build published; those page counts.
 */
async function buildsAgainstBare(
  root: string,
  label: string,
  between?: (run: number) => Promise<void>,
): Promise<{ runs: { full: Build; bare: number; bareNoThp: number }[]; pages: number; bundlePages: number }> {
  const runs: { full: Build; bare: number; bareNoThp: number }[] = [];
  let pages = 0;
  let bundlePages = 0;
  for (let run = 1; run <= repeat; run++) {
    const full = await measuredBuild(root);
    if (run === 1) {
      pages = htmlFiles(join(root, 'dist'));
      bundlePages = htmlFiles(join(root, 'dist', 'partners'));
    }
    await between?.(run);
    const bare = bareAstro(pages);
    // and as the build runs its own pages' process: Astro's bundler without transparent huge pages
    const bareNoThp = bareAstro(pages, { MIMALLOC_ALLOW_THP: '0' }, [PAGES_NODE_FLAGS]);
    runs.push({ full, bare, bareNoThp });
    say(
      `${label} run ${run}/${repeat}: full build ${s(full.ms)} (CPU ${s(full.cpuMs)}, peak RSS ${full.peakMb.toFixed(0)} MB), bare Astro ${s(bare)}: ${(full.ms / bare).toFixed(2)}×; set as the build's pages ${s(bareNoThp)}: ${(full.ms / bareNoThp).toFixed(2)}×`,
    );
  }
  return { runs, pages, bundlePages };
}

interface Build {
  ms: number;
  /** the largest resident memory of the build and everything it started, at any sample */
  peakMb: number;
  /** the build's own step timings (READBACK_TIMINGS=1): "timing <step>: <seconds> s" */
  steps: Map<string, number>;
  /** CPU time of the build and everything it started (user + system), NaN where it cannot be read */
  cpuMs: number;
}

/**
 * `npm run build` on a workspace, timed and its memory sampled: a clean build (no output folder,
 * nothing kept from an earlier build), or with `clean: false` a rebuild of what is there.
 */
async function measuredBuild(root: string, { clean } = { clean: true }): Promise<Build> {
  if (clean) for (const folder of ['dist', '.readback']) await removeFully(join(root, folder));
  const started = performance.now();
  const cpuBefore = waitedChildrenCpuMs();
  const child = spawn(node, [join(projectRoot, 'scripts', 'build.ts'), '--root', root], {
    cwd: projectRoot,
    env: { ...process.env, READBACK_TODAY: '2026-11-26', ASTRO_TELEMETRY_DISABLED: '1', READBACK_TIMINGS: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let peakMb = 0;
  const sampler = setInterval(() => (peakMb = Math.max(peakMb, treeRssMb(child.pid!))), 100);
  const code = await new Promise<number | null>((done) => child.on('close', done));
  clearInterval(sampler);
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`the build of ${root} failed: ${stderr}`);
  const steps = new Map(
    stderr
      .split('\n')
      .flatMap((l) =>
        /^timing (.+): ([\d.]+) s$/.exec(l) ? [[RegExp.$1, Number(RegExp.$2) * 1000] as [string, number]] : [],
      ),
  );
  return { ms, peakMb, steps, cpuMs: waitedChildrenCpuMs() - cpuBefore };
}

/**
 * A folder removed, whole: the process an earlier build started to remove the site it replaced
 * (in `.readback/trash/`) may still be at it, and two removals of one folder can each leave part
 * of it; so removed again until it is gone.
 */
async function removeFully(folder: string): Promise<void> {
  for (let tries = 0; existsSync(folder); tries++) {
    if (tries === 100) throw new Error(`${folder} could not be removed`);
    rmSync(folder, { recursive: true, force: true });
    if (existsSync(folder)) await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** How many HTML files a folder holds, at any depth. */
function htmlFiles(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.html')).length;
}

function bareAstro(pages: number, env: NodeJS.ProcessEnv = {}, flags: string[] = []): number {
  const dir = join(projectRoot, '.bench', 'bare-astro');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'src', 'pages'), { recursive: true });
  writeFileSync(join(dir, 'astro.config.mjs'), "export default { build: { format: 'directory' } };\n");
  writeFileSync(
    join(dir, 'src', 'pages', '[page].astro'),
    `---\nexport function getStaticPaths() { return Array.from({ length: ${pages} }, (_, i) => ({ params: { page: String(i) } })); }\nconst { page } = Astro.params;\n---\n<html><body><h1>Page {page}</h1></body></html>\n`,
  );
  const script = `import { build } from 'astro'; await build({ root: ${JSON.stringify(dir)}, logLevel: 'error' });`;
  writeFileSync(join(dir, 'run.mjs'), script);
  const { ms } = timed(node, [...flags, join(dir, 'run.mjs')], { env: { ASTRO_TELEMETRY_DISABLED: '1', ...env } });
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

let pdf: { warmMs: number; coldMs: number } | null = null;
if (pdfPart && !pdfModel) {
  // no site step: build the bundled sample to get a site model to render from
  const sample = freshRoot(join(scratch, 'sample'));
  cpSync(join(projectRoot, 'dictionary'), join(sample, 'dictionary'), { recursive: true });
  cpSync(join(projectRoot, 'content'), join(sample, 'content'), { recursive: true });
  timed(node, [join(projectRoot, 'scripts', 'build.ts'), '--root', sample], {
    env: { READBACK_TODAY: '2026-11-26', ASTRO_TELEMETRY_DISABLED: '1' },
  });
  pdfModel = join(sample, '.readback', 'site', 'model.json');
}
if (pdfPart) {
  pdf = JSON.parse(timed(node, [join(projectRoot, 'scripts', 'bench', 'pdf-once.ts'), pdfModel]).stdout);
  say(`one-pager PDF: ${pdf!.warmMs.toFixed(0)} ms warm (first ${pdf!.coldMs.toFixed(0)} ms)`);
}
let startup: StartupFigure[] | null = null;
if (startupPart) {
  say(`start-up: building lib/ and running each command ${startupRuns} times…`);
  startup = measureStartup({ projectRoot, scratch: join(scratch, 'startup'), runs: startupRuns });
}
rmSync(scratch, { recursive: true, force: true });

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const out = values.out ?? join(projectRoot, 'docs', 'PERFORMANCE.md');
const previous = (() => {
  try {
    return readFileSync(out, 'utf8');
  } catch {
    return '';
  }
})();
// the figures go between the markers; the rest of the file (targets, history) is written by hand
const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';
/** A section of the previous figures, kept when this run skipped it (`--no-rows`, `--no-site`). */
const earlier = (heading: string): string | null => {
  if (!previous.includes(START)) return null;
  const block = previous.slice(previous.indexOf(START), previous.indexOf(END));
  const at = block.indexOf(`## ${heading}`);
  if (at === -1) return null;
  const next = block.indexOf('\n## ', at + 1);
  return block.slice(at, next === -1 ? undefined : next + 1).trimEnd();
};
const measured = new Date().toISOString().slice(0, 10);
const rowsSection =
  rows.length > 0
    ? `## Reconcile of one tuple, 8 metrics, both exports

Measured ${measured}. Reconcile is hash + UTF-8 + guard + tokenize + checks + exact aggregates, for
both exports, timed as the installed package runs it (the compiled lib/ that \`npm pack\` builds, in
the bench's scratch folder). DuckDB does the same work with as many threads: each file's SHA-256, the window's
exact aggregates and every period's; the bench checks both give the same numbers and hashes. Times
of reconcile and DuckDB are the median of ${repeat} runs (fastest–slowest in brackets); CPU is the
process's user + system time.

| rows per side | size per side | sha256sum of both | csv-parse alone (both, streaming, no cast) | reconcile, one thread (against DuckDB on 1) | reconcile on two threads, the default: the leadership export in a reader thread, the partner export in the main thread (against DuckDB on 2) | one thread ÷ csv-parse | reconcile peak RSS | DuckDB, 1 thread | DuckDB, 2 threads |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}`
    : (earlier('Reconcile of one tuple') ?? '## Reconcile of one tuple, 8 metrics, both exports\n\n(skipped)');
const siteSection =
  siteLines.length > 0
    ? `## Site build, 1,000 metrics × ${siteTuples} tuples over ${sitePartners} partners

Measured ${measured}. ${siteTuples} tuples of 24 rows, tuple *t* belonging to partner *t* mod ${sitePartners}
(each partner a bundle of its own), every third tuple with a leadership-only metric; every
build from an empty output folder. Times are the median of ${repeat} runs (each run in brackets),
each run alternating the builds and the bare build.

| what | time |
|---|---:|
${siteLines.join('\n')}`
    : (earlier('Site build') ?? '## Site build\n\n(skipped)');
const programSection =
  programLines.length > 0
    ? `## Program of ${programTuples.toLocaleString('en-US')} tuples × ${programMetrics} metrics over ${programPartners} partners

Measured ${measured} (\`npm run bench -- --only program\`). ${programTuples.toLocaleString('en-US')} tuples of 24 rows, tuple *t*
belonging to partner *t* mod ${programPartners} (each partner a bundle of its own), every third
tuple with a leadership-only metric; a dictionary of ${programMetrics} metrics; every build from an
empty output folder and no \`.readback/\`. Times are the median of ${repeat} run(s).

| what | time |
|---|---:|
${programLines.join('\n')}`
    : earlier('Program of');
const pdfSection = pdf
  ? `## PDF

Measured ${measured}. One executive one-pager, warm: ${pdf.warmMs.toFixed(0)} ms (the first render in a process, with font loading: ${pdf.coldMs.toFixed(0)} ms).`
  : (earlier('PDF') ?? '## PDF\n\n(skipped)');
/** median and range of a list of milliseconds, in ms */
const msRange = (list: number[]) => {
  const sorted = [...list].sort((a, b) => a - b);
  const middle = sorted[Math.floor(sorted.length / 2)]!;
  return `${middle.toFixed(0)} ms${sorted.length > 1 ? ` (${sorted[0]!.toFixed(0)}–${sorted.at(-1)!.toFixed(0)})` : ''}`;
};
const startupSection = startup
  ? `## Start-up, as installed

Measured ${measured}. The compiled lib/ in a package folder under node_modules (as installed), each
command a whole process, ${startupRuns} runs of each, alternating; the median, fastest–slowest in
brackets. CPU is user + system time of every thread, in the 10 ms steps the shell's \`times\` gives.

| command | wall | CPU |
|---|---:|---:|
${startup.map((f) => `| ${f.label} | ${msRange(f.wall)} | ${msRange(f.cpu)} |`).join('\n')}`
  : (earlier('Start-up, as installed') ?? '## Start-up, as installed\n\n(skipped)');
for (const f of startup ?? []) say(`${f.label}: wall ${msRange(f.wall)}, CPU ${msRange(f.cpu)}`);
const report = `Last run of \`npm run bench\` (scripts/bench.ts): ${measured}, on
${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM (${(freemem() / 2 ** 30).toFixed(0)} GiB free), ${platform()} ${release()}, Node ${process.version}.
Files are read from the page cache. Reproduce with \`npm run bench\`
(or \`npm run bench -- --rows 1000000 --no-site\` for one size, \`npm run bench -- --only site\`
for the site alone, \`npm run bench -- --only startup\` for the start-up alone); a part a run
skips keeps its earlier figures, with their date.

${rowsSection}

${siteSection}
${programSection ? `\n${programSection}\n` : ''}
${pdfSection}

${startupSection}
`;
const figures = `${START}\n${report}${END}`;
const next =
  previous.includes(START) && previous.includes(END)
    ? `${previous.slice(0, previous.indexOf(START))}${figures}${previous.slice(previous.indexOf(END) + END.length)}`
    : `# Performance\n\n${figures}\n\n## History\n\nBefore/after figures of each performance change, newest first.\n`;
writeFileSync(out, next);
say(
  `wrote ${out} (figures of ${new Date().toISOString().slice(0, 10)}; compare them with the history before committing)`,
);
