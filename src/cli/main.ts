#!/usr/bin/env node
/** The `readback` command line (SPEC §6). Parses arguments, calls io + core, prints, picks the exit code. */
import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { formatProblem, STATUS_EXIT_CODE } from '../core/problems.ts';
import { RECONCILE_DIR, replayCommand, reportJson, writeReconcileArtifacts } from '../io/artifacts.ts';
import { reconcileWorkspace, UnknownTupleError } from '../io/reconcile-workspace.ts';
import { type PdfTextReader, verifyPdfNumbers, verifySite, type VerifyResult } from '../io/verify.ts';
import { DICTIONARY_HELP, dictionaryCommand, parseFormat } from './dictionary.ts';
import { BUILD_HELP, buildCommand } from './build.ts';
import { INIT_HELP, initCommand } from './init.ts';
import { MANIFEST_HELP, manifestCommand } from './manifest.ts';
import { PREVIEW_HELP, previewCommand } from './preview.ts';
import { EXIT_SOFTWARE, EXIT_USAGE, type Io, unexpectedFailure, UsageError } from '../io/context.ts';
import { progressReporter } from '../io/progress.ts';
import { formatReconcile, reconcileSummary } from '../core/report-format.ts';

/** Every `readback help COMMAND` text, by command (`main`: `readback --help`). */
export const HELP: Record<string, string> = {
  main: `readback — reconcile leadership and partner KPI exports, then publish what agrees.

Usage:
  readback init [DIR]
  readback reconcile [--root DIR] [--tuple ID]... [--json | --format F]
  readback dictionary check|diff|release [--root DIR] [--format F]
  readback build [--root DIR] [--out DIR] [--tuple ID]... [--json]
  readback manifest write --audience A --tuple ID --run ID --start T --end T --dictionary V FILE
  readback verify DIR
  readback preview [DIR] [--port N]
  readback help [COMMAND]

Commands:
  init        write a new workspace that reconciles green and builds at once
  reconcile   check every tuple's two exports against the metric dictionary
  dictionary  classify dictionary changes, check them, release a version
  build       check, reconcile, then publish the site and the one-pagers into dist/
  manifest    write an export's manifest with its SHA-256, right after the export
  verify      recompute every hash of a built site (dist/) from its published files
  preview     serve a built site on 127.0.0.1 for a look before publishing

Exit codes: 0 green, 1 red (exports disagree), 2 invalid input, 64 usage error,
70 a fault in Readback itself (said in one line; READBACK_DEBUG=1 shows where).
Run "readback COMMAND --help" for a command's options.`,
  reconcile: `readback reconcile — reconcile each tuple's leadership and partner exports.

Usage:
  readback reconcile [--root DIR] [--tuple ID]... [--json | --format F]

Options:
  --root DIR    the workspace (default: the current directory); reads dictionary/ and content/tuples/
  --tuple ID    only this tuple (repeatable)
  --json        print the reconcile report (readback.reconcile-report/1) on stdout
  --format F    print the result on stdout as F:
                  text      the summary below
                  json      the report (as --json)
                  markdown  a summary for a pull request: tuples, then every problem
                  junit     a test suite per tuple, a test case per metric
                  github    a workflow annotation per problem, on the file, line and column it names
  -h, --help    this text

A summary always goes to stderr.

Writes .readback/reconcile/report.json; a red or invalid tuple also gets
.readback/reconcile/failures/<tuple_id>.json and one owner ticket per failing metric in
.readback/reconcile/tickets/<tuple_id>--<metric_id>.md, addressed to the metric's owner. Red
problems that are no metric's (windows, runs, bypass audit ids) go to the owner named in the
tuple's tuple.yaml, in .readback/reconcile/tickets/<tuple_id>--_tuple.md.

Exit codes: 0 every tuple green, 1 some tuple red, 2 some input invalid, 64 usage error.`,
  dictionary: DICTIONARY_HELP,
  manifest: MANIFEST_HELP,
  build: BUILD_HELP,
  init: INIT_HELP,
  preview: PREVIEW_HELP,
  verify: `readback verify — recompute every tuple revision hash, dictionary_sha256, download hash
and artifact id of a built site from its published files alone, and check that every number and
fact (window, run id, dictionary version and SHA-256, hashes, artifact id, status) the index, the
annex, the HTML readback and the PDF one-pager show is the one in tuples/<tuple_id>/report.json.
The PDFs are read with pdfjs-dist; where it is not installed, verify says their numbers went unchecked.
Each partner bundle in DIR (partners/<partner_id>/) is verified as a site of its own; a bundle
folder given as DIR verifies alone.

Usage:
  readback verify DIR

Exit codes: 0 everything matches, 1 a mismatch (each one is listed), 64 usage error.`,
};

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } } as O & { help: { type: 'boolean'; short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function reconcileCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    root: { type: 'string' },
    tuple: { type: 'string', multiple: true },
    json: { type: 'boolean' },
    format: { type: 'string' },
  } as const);
  if (values.help) {
    io.stdout.write(`${HELP.reconcile}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.json && values.format !== undefined && values.format !== 'json')
    throw new UsageError(`--json and --format ${values.format} ask for two outputs; give one`);
  const format = values.json ? 'json' : values.format === undefined ? null : parseFormat(values.format);
  const rootArg = values.root ?? '.';
  const root = resolve(io.cwd, rootArg);
  // nothing is written under a folder that is not there (a mistyped --root)
  if (!existsSync(root) || !statSync(root).isDirectory())
    throw new UsageError(`--root ${rootArg}: no such folder (${root})`);
  const progress = progressReporter(io.stderr, 'reconciling');
  let report;
  try {
    report = await reconcileWorkspace({ root, tupleIds: values.tuple, onProgress: progress.update });
  } catch (error) {
    if (error instanceof UnknownTupleError) throw new UsageError(error.message);
    throw error;
  } finally {
    progress.done();
  }
  let written: ReturnType<typeof writeReconcileArtifacts> | null = null;
  // nothing is written into a folder that is no workspace (a --root one level off)
  const isWorkspace = !report.problems.some((p) => p.code === 'NOT_A_WORKSPACE');
  try {
    if (isWorkspace) written = writeReconcileArtifacts(root, report, (tuple) => replayCommand(rootArg, tuple.tuple_id));
  } catch (error) {
    // a read-only workspace still gets its verdict and exit code; only the files are missing
    io.stderr.write(`readback: could not write ${RECONCILE_DIR}/ under ${root}: ${(error as Error).message}\n`);
  }
  if (format === 'json') io.stdout.write(reportJson(report));
  else if (format !== null)
    io.stdout.write(formatReconcile(report, format, { rootPath: relative(io.cwd, root).split('\\').join('/') }));
  io.stderr.write(`${reconcileSummary(report)}\n`);
  if (written) {
    io.stderr.write(`report: ${written.report}\n`);
    for (const failure of written.failures) io.stderr.write(`failure artifact: ${failure}\n`);
    for (const ticket of written.tickets) {
      const nobody = written.unaddressed.get(ticket);
      io.stderr.write(`owner ticket: ${ticket}${nobody ? ` (addressed to nobody: ${nobody})` : ''}\n`);
    }
  }
  return STATUS_EXIT_CODE[report.status];
}

/** The one-pagers' numbers, read with pdfjs-dist (a dependency); null where an installation lacks it. */
async function verifyPdfs(dir: string): Promise<VerifyResult | null> {
  let pdfText: PdfTextReader;
  try {
    ({ pdfText } = await import('../pdf/links.ts'));
  } catch {
    return null;
  }
  return verifyPdfNumbers(dir, pdfText);
}

/** Resolves on the first Ctrl-C (SIGINT) or SIGTERM: a command that runs until stopped ends cleanly. */
function interrupted(): Promise<void> {
  return new Promise((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'reconcile':
        return await reconcileCommand(rest, io);
      case 'dictionary': {
        const { values, positionals } = parse(rest, { root: { type: 'string' }, format: { type: 'string' } } as const);
        if (values.help) {
          io.stdout.write(`${HELP.dictionary}\n`);
          return 0;
        }
        const [subcommand, ...more] = positionals;
        return dictionaryCommand({ subcommand, positionals: more, root: values.root, format: values.format }, io);
      }
      case 'manifest': {
        const { values, positionals } = parse(rest, {
          audience: { type: 'string' },
          tuple: { type: 'string' },
          run: { type: 'string' },
          start: { type: 'string' },
          end: { type: 'string' },
          dictionary: { type: 'string' },
          'generated-at': { type: 'string' },
        } as const);
        if (values.help) {
          io.stdout.write(`${HELP.manifest}\n`);
          return 0;
        }
        return await manifestCommand(
          { ...values, generatedAt: values['generated-at'], positionals, now: new Date() },
          io,
        );
      }
      case 'init': {
        const { values, positionals } = parse(rest, {} as const);
        if (values.help) {
          io.stdout.write(`${HELP.init}\n`);
          return 0;
        }
        return initCommand(positionals, io);
      }
      case 'build': {
        const { values, positionals } = parse(rest, {
          root: { type: 'string' },
          out: { type: 'string' },
          tuple: { type: 'string', multiple: true },
          json: { type: 'boolean' },
        } as const);
        if (values.help) {
          io.stdout.write(`${HELP.build}\n`);
          return 0;
        }
        if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
        return await buildCommand({ ...values, env: io.env ?? process.env }, io);
      }
      case 'preview': {
        const { values, positionals } = parse(rest, { port: { type: 'string' } } as const);
        if (values.help) {
          io.stdout.write(`${HELP.preview}\n`);
          return 0;
        }
        return await previewCommand({ positionals, port: values.port }, io, io.stopped ?? interrupted());
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h': {
        const topic = rest[0] && HELP[rest[0]] ? rest[0] : 'main';
        io.stdout.write(`${HELP[topic]}\n`);
        return command === undefined ? EXIT_USAGE : 0;
      }
      case 'verify': {
        const { values, positionals } = parse(rest, {} as const);
        if (values.help) {
          io.stdout.write(`${HELP.verify}\n`);
          return 0;
        }
        if (positionals.length !== 1)
          throw new UsageError('verify takes one argument: the built site folder, e.g. dist/');
        const dir = resolve(io.cwd, positionals[0]!);
        const result = verifySite(dir);
        const pdf = await verifyPdfs(dir);
        const problems = [...result.problems, ...(pdf?.problems ?? [])];
        const checked = result.checked.length + (pdf?.checked.length ?? 0);
        for (const p of problems) io.stdout.write(`${formatProblem(p)}\n`);
        const failed = problems.length;
        if (!pdf)
          io.stderr.write(
            "readback: the PDFs' numbers were not checked: reading a PDF needs pdfjs-dist, which this installation lacks (npm install pdfjs-dist)\n",
          );
        io.stderr.write(`${checked} checks passed, ${failed} mismatch${failed === 1 ? '' : 'es'}\n`);
        return failed === 0 ? 0 : 1;
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`readback: ${error.message}\nRun "readback --help" for usage.\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(unexpectedFailure(error));
    return EXIT_SOFTWARE;
  }
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
  });
}
