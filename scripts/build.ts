/**
 * `npm run build`: publish() on a workspace (this repository's bundled sample by default), its
 * refusals printed with their codes, its exit code chosen from them.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exitCodeOf, formatProblem, problem } from '../src/core/problems.ts';
import { EXIT_SOFTWARE, EXIT_USAGE, today, unexpectedFailure, UsageError } from '../src/io/context.ts';
import { pageSizeOf } from '../src/pdf/page-size.ts';
import { publish } from '../src/publish/publish.ts';

const HELP = `npm run build -- [--root DIR] [--out DIR] [--json]

Checks the dictionary, reconciles every tuple, then builds the site and the one-pagers into a
staging folder, checks every link, anchor and hash, and only then replaces the published folder.
Any problem stops the build and leaves the published folder as it was. One build at a time per
published folder: while one runs (it holds <out>.lock), another is refused with BUILD_IN_PROGRESS.

Options:
  --root DIR   the workspace (default: this repository's bundled sample, or READBACK_ROOT)
  --out DIR    the published folder (default: <root>/dist)
  --json       print { "problems": [...], "published": ... } on stdout
  -h, --help   this text

Settings: READBACK_SITE_URL (an http(s) origin), READBACK_PARTNER_SITE_URL (where each partner
bundle is deployed: a URL holding {partner_id}; default <site>/partners/{partner_id}), READBACK_PDF_SIZE (LETTER or A4),
READBACK_TODAY (YYYY-MM-DD), READBACK_ALLOW_ANCHOR_REMOVAL=1, READBACK_TIMINGS=1.

Exit codes: 0 published, 1 red or the site would be wrong, 2 invalid input or settings, 64 usage error,
70 a fault in Readback itself (READBACK_DEBUG=1 shows where).`;

const say = (line: string) => process.stderr.write(`${line}\n`);

async function run(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        root: { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const root = resolve(values.root ?? process.env.READBACK_ROOT ?? resolve(import.meta.dirname, '..'));
  const dist = resolve(values.out ?? resolve(root, 'dist'));
  // settings that cannot work are refused before anything is read or written
  const size = pageSizeOf(process.env.READBACK_PDF_SIZE);
  if (size === null) {
    const bad = problem(
      'BAD_SETTING',
      `READBACK_PDF_SIZE must be LETTER or A4, not "${process.env.READBACK_PDF_SIZE}"`,
      {},
      undefined,
      { actual: String(process.env.READBACK_PDF_SIZE), expected: 'LETTER or A4' },
    );
    if (values.json) process.stdout.write(`${JSON.stringify({ problems: [bad], published: null }, null, 2)}\n`);
    say(formatProblem(bad));
    return exitCodeOf([bad]);
  }
  const result = await publish({
    root,
    out: dist,
    siteUrl: process.env.READBACK_SITE_URL,
    partnerSiteUrl: process.env.READBACK_PARTNER_SITE_URL,
    today: today(),
    pageSize: size,
    allowAnchorRemoval: process.env.READBACK_ALLOW_ANCHOR_REMOVAL === '1',
    log: say,
    onPhase:
      process.env.READBACK_TIMINGS === '1'
        ? (step, seconds) => say(`timing ${step}: ${seconds.toFixed(2)} s`)
        : undefined,
  });
  if (values.json)
    process.stdout.write(`${JSON.stringify({ problems: result.problems, published: result.published }, null, 2)}\n`);
  if (result.published) {
    const p = result.published;
    say(
      `published ${p.dist} (${p.tuples} tuples, ${p.metrics} metrics, ${p.links} links checked, ${p.hashes} hashes verified)`,
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

try {
  process.exitCode = await run();
} catch (error) {
  if (error instanceof UsageError) {
    say(`build: ${error.message}\nRun "npm run build -- --help" for usage.`);
    process.exitCode = EXIT_USAGE;
  } else {
    process.stderr.write(unexpectedFailure(error));
    process.exitCode = EXIT_SOFTWARE;
  }
}
