/**
 * `readback build --tuple ID…`: refresh the named tuples in a published site and keep every other
 * tuple exactly as it was published, so one partner's red export holds back no other partner.
 */
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { problem, type Problem } from '../core/problems.ts';
import { assembleReport } from '../core/reconcile.ts';
import { type ReconcileReport, ReconcileReportSchema } from '../core/schemas.ts';
import { readTextFile } from '../io/text-file.ts';

/** The whole report a site was built from, at the internal site's root (leadership-only values included). */
export const PUBLISHED_REPORT = 'reconcile-report.json';

export function readPublishedReport(dist: string): { report: ReconcileReport | null; problems: Problem[] } {
  const path = join(dist, PUBLISHED_REPORT);
  if (!existsSync(path))
    return {
      report: null,
      problems: [
        problem(
          'NOT_A_SITE',
          `--tuple refreshes tuples of a published site, but ${dist} holds no ${PUBLISHED_REPORT}: build the whole workspace first (readback build)`,
          { file: PUBLISHED_REPORT },
        ),
      ],
    };
  const text = readTextFile(path, PUBLISHED_REPORT, 'NOT_A_SITE', { bom: 'refuse' });
  if (text.value === null) return { report: null, problems: text.problems };
  let json: unknown;
  try {
    json = JSON.parse(text.value);
  } catch (error) {
    return {
      report: null,
      problems: [
        problem('NOT_A_SITE', `${PUBLISHED_REPORT} is not JSON: ${(error as Error).message}`, {
          file: PUBLISHED_REPORT,
        }),
      ],
    };
  }
  const parsed = ReconcileReportSchema.safeParse(json);
  if (!parsed.success)
    return {
      report: null,
      problems: [problem('NOT_A_SITE', `${PUBLISHED_REPORT} is not a reconcile report`, { file: PUBLISHED_REPORT })],
    };
  return { report: parsed.data, problems: [] };
}

/**
 * The report of the refreshed site: the named tuples as reconciled now, every other tuple as it
 * was published, in tuple id order as a whole build orders them.
 */
export function mergeRefreshed(
  previous: ReconcileReport,
  fresh: ReconcileReport,
  refreshed: ReadonlySet<string>,
): ReconcileReport {
  const byId = (a: { tuple_id: string }, b: { tuple_id: string }) =>
    a.tuple_id < b.tuple_id ? -1 : a.tuple_id > b.tuple_id ? 1 : 0;
  const tuples = [
    ...previous.tuples.filter((t) => !refreshed.has(t.tuple_id)),
    ...fresh.tuples.filter((t) => refreshed.has(t.tuple_id)),
  ].sort(byId);
  const leadershipOnly = [
    ...(previous.leadership_only ?? []).filter((t) => !refreshed.has(t.tuple_id)),
    ...(fresh.leadership_only ?? []).filter((t) => refreshed.has(t.tuple_id)),
  ].sort(byId);
  return assembleReport(fresh.dictionary_version, tuples, [...fresh.problems], leadershipOnly);
}

/** What a site publishes for one tuple alone, relative to that site's folder. */
export function tupleOwnPaths(tupleId: string, internal: boolean): string[] {
  return [
    `annex/${tupleId}`,
    `readback/${tupleId}`,
    `readback/${tupleId}.pdf`,
    `exports/${tupleId}`,
    `tuples/${tupleId}`,
    ...(internal ? [`leadership/${tupleId}`] : []),
  ];
}

/**
 * Puts back, in the staged site, what the previous site published for each tuple that was not
 * refreshed, byte for byte: its pages, one-pager, exports and report entry, in every site it is in.
 */
export function keepPublishedTuples(
  previousDist: string,
  staging: string,
  sites: readonly { folder: string; tuples: readonly string[] }[],
  refreshed: ReadonlySet<string>,
): Problem[] {
  // a kept tuple must be where it was published: one whose partner changed is refreshed, not kept
  const moved = sites.flatMap((site) =>
    site.tuples
      .filter((id) => !refreshed.has(id) && !existsSync(join(previousDist, site.folder, 'tuples', id)))
      .map((id) =>
        problem(
          'NOT_A_SITE',
          `tuple ${id} is not published in ${site.folder || 'the internal site'} of the published site (did its partner change?): name it with --tuple too, or build the whole workspace`,
          { file: join(site.folder, 'tuples', id) },
        ),
      ),
  );
  if (moved.length > 0) return moved;
  for (const site of sites) {
    for (const tupleId of site.tuples) {
      if (refreshed.has(tupleId)) continue;
      for (const path of tupleOwnPaths(tupleId, site.folder === '')) {
        const from = join(previousDist, site.folder, path);
        const to = join(staging, site.folder, path);
        rmSync(to, { recursive: true, force: true });
        if (existsSync(from)) cpSync(from, to, { recursive: true });
      }
    }
  }
  return [];
}
