/**
 * `readback build` (and `npm run build`): publish() on a workspace, its refusals printed with
 * their codes, its exit code chosen from them.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { exitCodeOf, formatProblem, problem } from '../core/problems.ts';
import { type Io, today, UsageError } from '../io/context.ts';
import { progressReporter } from '../io/progress.ts';
import { pageSizeOf } from '../pdf/page-size.ts';
import type { PagesProcess } from '../publish/pages.ts';

export interface BuildArgs {
  root?: string;
  out?: string;
  tuple?: string[];
  json?: boolean;
  env: NodeJS.ProcessEnv;
}

export async function buildCommand(args: BuildArgs, io: Io): Promise<number> {
  const say = (line: string) => io.stderr.write(`${line}\n`);
  const env = args.env;
  const root = resolve(io.cwd, args.root ?? '.');
  // nothing is written for a folder that is not there (a mistyped --root)
  if (!existsSync(root) || !statSync(root).isDirectory())
    throw new UsageError(`--root ${args.root ?? '.'}: no such folder (${root})`);
  const dist = resolve(io.cwd, args.out ?? resolve(root, 'dist'));
  // settings that cannot work are refused before anything is read or written
  const size = pageSizeOf(env.READBACK_PDF_SIZE);
  if (size === null) {
    const bad = problem(
      'BAD_SETTING',
      `READBACK_PDF_SIZE must be LETTER or A4, not "${env.READBACK_PDF_SIZE}"`,
      {},
      undefined,
      { actual: String(env.READBACK_PDF_SIZE), expected: 'LETTER or A4' },
    );
    if (args.json) io.stdout.write(`${JSON.stringify({ problems: [bad], published: null }, null, 2)}\n`);
    say(formatProblem(bad));
    return exitCodeOf([bad]);
  }
  // the pages' process starts first: Astro loads in it while this process loads the rest of the
  // build (about a quarter of a second), which then tells it what to build, or stops it
  const { forkPages } = await import('../publish/pages.ts');
  const pagesProcess = forkPages();
  try {
    return await build(args, io, root, dist, size, pagesProcess);
  } finally {
    await pagesProcess.abandon();
  }
}

/** The build itself, its pages' process started. */
async function build(
  args: BuildArgs,
  io: Io,
  root: string,
  dist: string,
  size: NonNullable<ReturnType<typeof pageSizeOf>>,
  pagesProcess: PagesProcess,
): Promise<number> {
  const say = (line: string) => io.stderr.write(`${line}\n`);
  const env = args.env;
  // the site builder (Astro, react-pdf) is loaded only by the command that uses it
  const { publish } = await import('../publish/publish.ts');
  const { counted } = await import('../core/report-format.ts');
  const { UnknownTupleError } = await import('../io/reconcile-workspace.ts');
  const progress = progressReporter(io.stderr, 'building', Date.now, env);
  const result = await publish({
    refreshTuples: args.tuple,
    onProgress: (step, done, total, item) => progress.update(done, total, item, step),
    root,
    out: dist,
    siteUrl: env.READBACK_SITE_URL,
    partnerSiteUrl: env.READBACK_PARTNER_SITE_URL,
    today: today(env),
    pageSize: size,
    allowAnchorRemoval: env.READBACK_ALLOW_ANCHOR_REMOVAL === '1',
    pagesProcess,
    // a line for people first clears the progress line it would otherwise run into
    log: (line) => {
      progress.done();
      say(line);
    },
    onPhase:
      env.READBACK_TIMINGS === '1' ? (step, seconds) => say(`timing ${step}: ${seconds.toFixed(2)} s`) : undefined,
  })
    .catch((error: unknown) => {
      // a --tuple the workspace does not hold is a usage error, not a fault
      if (error instanceof UnknownTupleError) throw new UsageError(error.message);
      throw error;
    })
    .finally(() => progress.done());
  if (args.json)
    io.stdout.write(`${JSON.stringify({ problems: result.problems, published: result.published }, null, 2)}\n`);
  if (result.published) {
    const p = result.published;
    // what an earlier build of this workspace had already made, reused by content
    // each kind: what was reused of it, and how many were made
    const r = result.rebuild;
    const kinds: [reused: number | undefined, made: number | undefined, one: string, many?: string][] = [
      [r?.tuples?.reused, r?.tuples?.reconciled, 'reconciled tuple'],
      [r?.bundles?.reused, r?.bundles?.built, 'partner bundle'],
      [r?.pages?.reused, r?.pages?.rendered, 'page'],
      [r?.searchIndexes?.reused, r?.searchIndexes?.written, 'search index', 'search indexes'],
      [result.onePagers?.reused, result.onePagers?.rendered, 'one-pager'],
      [r?.verified?.reused, r?.verified?.checked, 'tuple check'],
      [r?.onePagerChecks?.reused, r?.onePagerChecks?.checked, 'one-pager check'],
      [r?.downloads?.reused, r?.downloads?.written, 'download'],
    ];
    const reused = kinds.flatMap(([kept, made, one, many]) =>
      kept ? [`${kept} of ${counted(kept + (made ?? 0), one, many)}`] : [],
    );
    if (reused.length > 0) say(`reused from an earlier build: ${reused.join(', ')}`);
    say(
      `published ${p.dist} (${counted(p.tuples, 'tuple')}, ${counted(p.metrics, 'metric')}, ${counted(p.links, 'link')} checked, ${counted(p.hashes, 'hash', 'hashes')} verified)`,
    );
    return 0;
  }
  // reconcile's own problems are in its summary above; the build's are listed here
  if (result.report === null || result.report.status === 'green')
    for (const p of result.problems) say(formatProblem(p));
  const codes = [...new Set(result.problems.map((p) => p.code))].join(', ');
  say(`build refused (${codes}); nothing was published (${dist} is unchanged).`);
  return exitCodeOf(result.problems);
}
