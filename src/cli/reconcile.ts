/** `readback reconcile`: every tuple (or the named ones) checked, the report and artifacts written, a verdict printed. */
import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { STATUS_EXIT_CODE } from '../core/problems.ts';
import { formatReconcile, reconcileSummary } from '../core/report-format.ts';
import { RECONCILE_DIR, replayCommand, reportJson, writeReconcileArtifacts } from '../io/artifacts.ts';
import { type Io, UsageError } from '../io/context.ts';
import { progressReporter } from '../io/progress.ts';
import { reconcileWorkspace, UnknownTupleError } from '../io/reconcile-workspace.ts';
import { parseFormat } from './format.ts';

export interface ReconcileArgs {
  root?: string;
  tuple?: string[];
  json?: boolean;
  format?: string;
}

export async function reconcileCommand(values: ReconcileArgs, io: Io): Promise<number> {
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
