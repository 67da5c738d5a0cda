/** Writes the reconcile report, failure artifacts and owner tickets under `.readback/reconcile/` (docs/reference/cli.md). */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  failureArtifact,
  ownerTicket,
  ticketFileName,
  tupleOwnedProblems,
  tupleTicket,
  tupleTicketFileName,
} from '../core/failure.ts';
import { parseTupleConfig } from '../core/tuple.ts';
import { TUPLES_FOLDER } from './workspace.ts';
import type { ReconcileReport, TupleReport } from '../core/schemas.ts';

export const RECONCILE_DIR = '.readback/reconcile';

export interface WrittenArtifacts {
  report: string;
  failures: string[];
  tickets: string[];
  /** the tickets addressed to nobody (a tuple without an owner), each with why */
  unaddressed: Map<string, string>;
}

/** The tuple's `owner` from its tuple.yaml, or null when it names none (or cannot be read). */
function tupleOwner(root: string, tupleId: string): string | null {
  const file = `${TUPLES_FOLDER}/${tupleId}/tuple.yaml`;
  if (!existsSync(join(root, file))) return null;
  return parseTupleConfig(readFileSync(join(root, file), 'utf8'), file, tupleId).config?.owner ?? null;
}

/**
 * The command that replays one tuple's reconcile; the root as the user gave it, shell-quoted if need
 * be. `npm exec --no` runs the readback this project installed and refuses to install anything: a
 * bare `npx readback`, pasted from a ticket outside this checkout, would download and run whatever
 * package the registry calls "readback".
 */
export function replayCommand(rootArg: string, tupleId: string): string {
  return `npm exec --no -- readback reconcile --root ${shellWord(rootArg)} --tuple ${shellWord(tupleId)}`;
}

/** One shell word: plain when it is safe to paste as is, else single-quoted (a folder name may hold `;`). */
function shellWord(text: string): string {
  return /^[\w./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Pretty, stable JSON: the report's key order is fixed by the core, so the same run writes the same bytes. */
export function reportJson(report: unknown): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function writeReconcileArtifacts(
  root: string,
  report: ReconcileReport,
  replayFor: (tuple: TupleReport) => string,
  /** the report as reportJson writes it, when the caller has it already */
  json = reportJson(report),
): WrittenArtifacts {
  const dir = join(root, RECONCILE_DIR);
  mkdirSync(dir, { recursive: true });
  // stale failures and tickets of the tuples in this run would mislead: remove them first
  // (a `--tuple` run leaves the other tuples' artifacts alone)
  const reconciled = new Set(report.tuples.map((t) => t.tuple_id));
  for (const sub of ['failures', 'tickets']) {
    const folder = join(dir, sub);
    if (!existsSync(folder)) continue;
    for (const name of readdirSync(folder)) {
      // tuple ids may hold "--" themselves, so match each reconciled id as a prefix
      const ours =
        sub === 'failures'
          ? reconciled.has(name.replace(/\.json$/, ''))
          : [...reconciled].some((id) => name.startsWith(`${id}--`));
      if (ours) rmSync(join(folder, name), { force: true });
    }
  }
  const written: WrittenArtifacts = {
    report: `${RECONCILE_DIR}/report.json`,
    failures: [],
    tickets: [],
    unaddressed: new Map(),
  };
  writeFileSync(join(dir, 'report.json'), json);
  for (const tuple of report.tuples) {
    if (tuple.status === 'green') continue;
    const replay = replayFor(tuple);
    mkdirSync(join(dir, 'failures'), { recursive: true });
    const failure = `${RECONCILE_DIR}/failures/${tuple.tuple_id}.json`;
    writeFileSync(join(root, failure), reportJson(failureArtifact(tuple, replay)));
    written.failures.push(failure);
    for (const metric of tuple.metrics.filter((m) => m.status === 'fail')) {
      mkdirSync(join(dir, 'tickets'), { recursive: true });
      const ticket = `${RECONCILE_DIR}/tickets/${ticketFileName(tuple.tuple_id, metric.metric_id)}`;
      writeFileSync(join(root, ticket), ownerTicket(tuple, metric, replay));
      written.tickets.push(ticket);
    }
    const tupleOwned = tupleOwnedProblems(tuple);
    if (tupleOwned.length > 0) {
      mkdirSync(join(dir, 'tickets'), { recursive: true });
      const ticket = `${RECONCILE_DIR}/tickets/${tupleTicketFileName(tuple.tuple_id)}`;
      const tupleFile = `${TUPLES_FOLDER}/${tuple.tuple_id}/tuple.yaml`;
      const owner = tupleOwner(root, tuple.tuple_id);
      writeFileSync(join(root, ticket), tupleTicket(tuple, tupleOwned, owner, tupleFile, replay));
      written.tickets.push(ticket);
      if (!owner) written.unaddressed.set(ticket, `${tupleFile} has no owner`);
    }
  }
  return written;
}
