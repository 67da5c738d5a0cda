/** Writes the reconcile report, failure artifacts and owner tickets under `.readback/reconcile/` (SPEC §6). */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { failureArtifact, ownerTicket, ticketFileName } from '../core/failure.ts';
import type { ReconcileReport, TupleReport } from '../core/schemas.ts';

export const RECONCILE_DIR = '.readback/reconcile';

export interface WrittenArtifacts {
  report: string;
  failures: string[];
  tickets: string[];
}

/** Pretty, stable JSON: the report's key order is fixed by the core, so the same run writes the same bytes. */
export function reportJson(report: unknown): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function writeReconcileArtifacts(root: string, report: ReconcileReport, replayCommand: (tuple: TupleReport) => string): WrittenArtifacts {
  const dir = join(root, RECONCILE_DIR);
  // stale failures and tickets from an earlier run would mislead: start clean
  rmSync(join(dir, 'failures'), { recursive: true, force: true });
  rmSync(join(dir, 'tickets'), { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const written: WrittenArtifacts = { report: `${RECONCILE_DIR}/report.json`, failures: [], tickets: [] };
  writeFileSync(join(dir, 'report.json'), reportJson(report));
  for (const tuple of report.tuples) {
    if (tuple.status === 'green') continue;
    const replay = replayCommand(tuple);
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
  }
  return written;
}
