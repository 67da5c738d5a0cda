/** Reads what the site shows besides the reconcile report: tuple words, manifests, the FAQ. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Located } from '../core/located.ts';
import { type Problem } from '../core/problems.ts';
import { parseReadback } from '../core/readback.ts';
import { textCharacterProblems } from '../core/text.ts';
import type { Manifest, ReconcileReport, TupleConfig, TupleReport } from '../core/schemas.ts';
import type { TupleContent } from '../core/site-model.ts';
import { targetedMetrics } from '../core/targets.ts';
import { parseTupleConfig } from '../core/tuple.ts';
import { reportJson } from './artifacts.ts';
import { readTextFile } from './text-file.ts';
import { TUPLES_FOLDER } from './workspace.ts';
import type { WordsCache } from './words-cache.ts';

export const FAQ_FILE = 'content/faq.md';

/** The shared FAQ (optional): strict UTF-8, no control or bidirectional-override characters. */
export function readFaq(root: string): Located<string> {
  const path = join(root, FAQ_FILE);
  if (!existsSync(path)) return { value: null, problems: [] };
  const faq = readTextFile(path, FAQ_FILE, 'BAD_READBACK');
  const characters = faq.value === null ? [] : textCharacterProblems(faq.value, FAQ_FILE, 'BAD_READBACK');
  return characters.length > 0 ? { value: null, problems: characters } : faq;
}

const reportBytes = new WeakMap<TupleReport, string>();

/**
 * The published form of a tuple's report entry (what /tuples/<id>/report.json holds), made once
 * per entry: the build hashes it for the site model and writes it, in each site that shows it.
 */
export function tupleReportBytes(tuple: TupleReport): string {
  let bytes = reportBytes.get(tuple);
  if (bytes === undefined) reportBytes.set(tuple, (bytes = reportJson(tuple)));
  return bytes;
}

const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');

export function readSiteContent(
  root: string,
  report: ReconcileReport,
  /** what earlier builds read of the same texts (src/io/words-cache.ts) */
  words?: WordsCache,
): { content: Map<string, TupleContent>; faqMarkdown: string | null; problems: Problem[] } {
  const content = new Map<string, TupleContent>();
  const problems: Problem[] = [];
  for (const tuple of report.tuples) {
    const rel = `${TUPLES_FOLDER}/${tuple.tuple_id}`;
    const dir = join(root, rel);
    const configText = readFileSync(join(dir, 'tuple.yaml'), 'utf8');
    const readbackFile = `${rel}/readback.md`;
    const visible = new Set(tuple.metrics.map((m) => m.metric_id));
    const text = existsSync(join(root, readbackFile))
      ? readTextFile(join(root, readbackFile), readbackFile, 'BAD_READBACK')
      : { value: '', problems: [] };
    const key =
      words && text.value !== null
        ? words.key([rel, configText, text.value, [...visible].sort().join(',')])
        : undefined;
    const known = key === undefined ? undefined : words!.get(key);
    const config =
      known?.config ?? (parseTupleConfig(configText, `${rel}/tuple.yaml`, tuple.tuple_id).config as TupleConfig);
    const parsed = known
      ? { content: known.readback, problems: [] }
      : text.value === null
        ? { content: null, problems: text.problems }
        : text.value === ''
          ? { content: { headlines: [], body: '' }, problems: [] }
          : parseReadback(text.value, readbackFile, visible, targetedMetrics(config));
    if (key !== undefined && !known && config && parsed.content && parsed.problems.length === 0)
      words!.set(key, { config, readback: parsed.content });
    const manifests = {
      leadership: JSON.parse(readFileSync(join(dir, 'leadership.manifest.json'), 'utf8')) as Manifest,
      partner: JSON.parse(readFileSync(join(dir, 'partner.manifest.json'), 'utf8')) as Manifest,
    };
    problems.push(...parsed.problems);
    if (!parsed.content) continue;
    const sources = {
      partner_csv: `${rel}/${manifests.partner.file}`,
      leadership_manifest: `${rel}/leadership.manifest.json`,
      partner_manifest: `${rel}/partner.manifest.json`,
    };
    content.set(tuple.tuple_id, {
      config,
      manifests,
      readback: parsed.content,
      report_sha256: sha256(tupleReportBytes(tuple)),
      sources,
      sha256: {
        partner_csv: sha256(readFileSync(join(root, sources.partner_csv))),
        leadership_manifest: sha256(readFileSync(join(root, sources.leadership_manifest))),
        partner_manifest: sha256(readFileSync(join(root, sources.partner_manifest))),
      },
    });
  }
  const faq = readFaq(root);
  return { content, faqMarkdown: faq.value, problems: [...problems, ...faq.problems] };
}
