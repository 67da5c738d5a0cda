/**
 * The one object the site renders (SPEC §8): the reconcile report plus what the glossary needs
 * from every dictionary version. Built once per build; pages only read it.
 */
import { formatDecimal } from './decimal.ts';
import { classifyDictionaryChange, type DiffReport } from './diff.ts';
import { epsilonFor, type LoadedDictionary } from './dictionary.ts';
import { renderMarkdown } from './markdown.ts';
import { shortHash } from './hash.ts';
import { displayValue, UNIT_NAME } from './present.ts';
import { fillHeadline, type ReadbackContent } from './readback.ts';
import type { Manifest, Metric, MetricResult, ReconcileReport, TupleConfig, TupleReport } from './schemas.ts';

export interface GlossaryEntry {
  metric_id: string;
  label: string;
  class: Metric['class'];
  unit: Metric['unit'];
  aggregation: Metric['aggregation'];
  weight_metric_id: string | null;
  precision: number;
  epsilon: string;
  epsilon_source: 'metric' | 'class';
  epsilon_written: string;
  definition_html: string;
  formula_ref: string;
  owner: string;
  deprecated_after: string | null;
  superseded_by: string | null;
  /** metrics that name this one in superseded_by */
  supersedes: string[];
  /** the version this metric was last defined in */
  defined_in: string;
  /** the first version without it, when it was removed */
  removed_in: string | null;
  /** every label it has had, oldest first, with the version that introduced it */
  label_history: { version: string; label: string }[];
  /** the published tuples that show it, for annex links */
  tuples: string[];
}

export interface DisplayedMetric extends MetricResult {
  class: Metric['class'];
  /** what people read: grouped digits and unit symbol, from the reconciled strings */
  display: { leadership: string; partner: string; delta: string; epsilon: string };
  annex_href: string;
}

export interface Download {
  /** published name, carrying the UTC window */
  name: string;
  href: string;
  /** where the bytes come from, relative to the workspace root */
  source: string;
  sha256: string;
}

export interface TuplePage {
  tuple_id: string;
  partner: string;
  title: string;
  report: TupleReport;
  tuple_revision_hash: string;
  short_hash: string;
  window: { start_inclusive: string; end_exclusive: string; tz_policy: string };
  manifests: { leadership: Manifest; partner: Manifest };
  metrics: DisplayedMetric[];
  carve_outs: {
    period_start: string;
    bypass_audit_id: string;
    parent_freeze_id: string;
    blast_radius: string;
    anchor: string;
  }[];
  /** the footer line: every freeze id and bypass audit id, "no bypass" shown as the sentinel */
  freeze_ids: string[];
  bypass_ids: string[];
  sentinel: string;
  /** `parts` is the headline text around its {value}, so a renderer can set the number in bold */
  headlines: {
    metric_id: string;
    text: string;
    parts: string[];
    value: string;
    annex_href: string;
    citation: string;
  }[];
  body_html: string;
  body_text: string;
  downloads: { partner_csv: Download; leadership_manifest: Download; partner_manifest: Download; report: Download };
  pdf_href: string;
  readback_href: string;
  /** the latest generated_at of the two manifests: the PDF's creation date, taken from the inputs */
  generated_at: string;
}

export interface FaqEntry {
  id: string;
  question: string;
  answer_html: string;
}

export interface TupleContent {
  config: TupleConfig;
  manifests: { leadership: Manifest; partner: Manifest };
  readback: ReadbackContent;
  /** bytes' SHA-256 of the published report entry */
  report_sha256: string;
  /** relative source paths of the files published under /exports/ */
  sources: { partner_csv: string; leadership_manifest: string; partner_manifest: string };
  sha256: { partner_csv: string; leadership_manifest: string; partner_manifest: string };
}

export interface DictionaryVersionInfo {
  version: string;
  sha256: string;
  released: boolean;
}

export interface SiteModel {
  schema: 'readback.site-model/1';
  site_url: string;
  current_version: string;
  versions: DictionaryVersionInfo[];
  glossary: GlossaryEntry[];
  /** consecutive pairs, oldest first; the last one is what /glossary/diff/ shows */
  diffs: DiffReport[];
  report: ReconcileReport;
  tuples: TuplePage[];
  faq: FaqEntry[];
}

export interface SiteModelInputs {
  siteUrl: string;
  report: ReconcileReport;
  /** released versions, oldest first */
  history: readonly LoadedDictionary[];
  current: LoadedDictionary;
  today: string;
  /** per green tuple id: what was read of it besides the report */
  content: ReadonlyMap<string, TupleContent>;
  faqMarkdown: string | null;
}

export function buildSiteModel(inputs: SiteModelInputs): SiteModel {
  const { history, current, report } = inputs;
  const pending = !history.some((h) => h.dictionary.version === current.dictionary.version);
  const versions = pending ? [...history, current] : [...history];
  const entries = new Map<string, GlossaryEntry>();
  versions.forEach((loaded, index) => {
    const version = loaded.dictionary.version;
    for (const metric of loaded.dictionary.metrics) {
      const epsilon = epsilonFor(metric, loaded.dictionary);
      const previous = entries.get(metric.metric_id);
      const labels = previous?.label_history ?? [];
      if (labels.at(-1)?.label !== metric.label) labels.push({ version, label: metric.label });
      entries.set(metric.metric_id, {
        metric_id: metric.metric_id,
        label: metric.label,
        class: metric.class,
        unit: metric.unit,
        aggregation: metric.aggregation,
        weight_metric_id: metric.weight_metric_id ?? null,
        precision: metric.precision,
        epsilon: formatDecimal(epsilon.value),
        epsilon_source: epsilon.source,
        epsilon_written: epsilon.written,
        definition_html: renderMarkdown(metric.definition),
        formula_ref: metric.formula_ref,
        owner: metric.owner,
        deprecated_after: metric.deprecated_after ?? null,
        superseded_by: metric.superseded_by ?? null,
        supersedes: [],
        defined_in: version,
        removed_in: null,
        label_history: labels,
        tuples: [],
      });
    }
    const next = versions[index + 1];
    if (next) {
      for (const metric of loaded.dictionary.metrics) {
        if (!next.metricsById.has(metric.metric_id))
          entries.get(metric.metric_id)!.removed_in = next.dictionary.version;
      }
    }
  });
  for (const entry of entries.values()) {
    if (entry.superseded_by) entries.get(entry.superseded_by)?.supersedes.push(entry.metric_id);
  }
  for (const tuple of report.tuples) {
    for (const metric of tuple.metrics) entries.get(metric.metric_id)?.tuples.push(tuple.tuple_id);
  }
  const diffs: DiffReport[] = [];
  for (let i = 1; i < versions.length; i++) {
    diffs.push(
      classifyDictionaryChange(versions[i - 1]!, versions[i]!, { history: versions.slice(0, i), today: inputs.today }),
    );
  }
  const siteUrl = inputs.siteUrl.replace(/\/+$/, '');
  const tuples = report.tuples.map((tuple) =>
    tuplePage(tuple, inputs.content.get(tuple.tuple_id)!, entries, siteUrl, versions),
  );
  return {
    schema: 'readback.site-model/1',
    site_url: siteUrl,
    current_version: current.dictionary.version,
    versions: versions.map((v) => ({
      version: v.dictionary.version,
      sha256: v.sha256,
      released: v !== current || !pending,
    })),
    glossary: [...entries.values()].sort((a, b) => (a.metric_id < b.metric_id ? -1 : 1)),
    diffs,
    report,
    tuples,
    faq: inputs.faqMarkdown ? parseFaq(inputs.faqMarkdown) : [],
  };
}

/** `2026-04-06T00:00:00Z` → `20260406T000000Z`, safe in any file name. */
export function compactInstant(instant: string): string {
  return instant.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

function tuplePage(
  tuple: TupleReport,
  content: TupleContent,
  glossary: Map<string, GlossaryEntry>,
  siteUrl: string,
  versions: readonly LoadedDictionary[],
): TuplePage {
  const id = tuple.tuple_id;
  const annex = `/annex/${id}/`;
  const short = `sha256:${shortHash(tuple.tuple_revision_hash!)}`;
  const dictionary = versions.find((v) => v.dictionary.version === tuple.dictionary_version);
  const sentinel = dictionary?.dictionary.bypass_sentinel ?? 'NO_BYPASS';
  const metrics: DisplayedMetric[] = tuple.metrics.map((m) => ({
    ...m,
    class: glossary.get(m.metric_id)?.class ?? 'count',
    display: {
      leadership: displayValue(m.leadership, m.unit),
      partner: displayValue(m.partner, m.unit),
      delta: displayValue(m.delta, m.unit),
      epsilon: displayValue(m.epsilon, m.unit),
    },
    annex_href: `${annex}#${m.metric_id}`,
  }));
  const byId = new Map(metrics.map((m) => [m.metric_id, m]));
  const blast = content.config.bypasses ?? {};
  const carveOuts = tuple.bypasses
    .filter((b) => b.bypass_audit_id !== sentinel)
    .map((b) => ({ ...b, blast_radius: blast[b.bypass_audit_id] ?? '', anchor: `bypass-${b.bypass_audit_id}` }));
  const window = {
    start_inclusive: tuple.window!.start_inclusive,
    end_exclusive: tuple.window!.end_exclusive,
    tz_policy: content.manifests.partner.window_tz_policy,
  };
  const stem = `${id}_${compactInstant(window.start_inclusive)}_${compactInstant(window.end_exclusive)}`;
  const download = (name: string, source: string, sha256: string): Download => ({
    name,
    href: `/exports/${id}/${name}`,
    source,
    sha256,
  });
  const headlines = content.readback.headlines.map((h) => {
    const metric = byId.get(h.metric_id)!;
    // SPEC §8 / DECISIONS: headlines show the partner export's value, the number partners can download
    const value = metric.display.partner;
    const filled = fillHeadline(h.text, { value: '{value}', unit: UNIT_NAME[metric.unit], label: metric.label });
    return {
      metric_id: h.metric_id,
      text: fillHeadline(h.text, { value, unit: UNIT_NAME[metric.unit], label: metric.label }),
      parts: filled.split('{value}'),
      value,
      annex_href: `${siteUrl}${metric.annex_href}`,
      citation: `(${h.metric_id}, ${short})`,
    };
  });
  const generatedAt = [content.manifests.leadership.generated_at, content.manifests.partner.generated_at]
    .sort()
    .at(-1)!;
  return {
    tuple_id: id,
    partner: content.config.partner,
    title: content.config.title,
    report: tuple,
    tuple_revision_hash: tuple.tuple_revision_hash!,
    short_hash: short,
    window,
    manifests: content.manifests,
    metrics,
    carve_outs: carveOuts,
    freeze_ids: [...new Set(tuple.bypasses.map((b) => b.parent_freeze_id).filter((f) => f !== ''))].sort(),
    bypass_ids: carveOuts.length > 0 ? [...new Set(carveOuts.map((b) => b.bypass_audit_id))].sort() : [sentinel],
    sentinel,
    headlines,
    body_html: renderMarkdown(content.readback.body),
    body_text: content.readback.body.trim(),
    downloads: {
      partner_csv: download(`${stem}_partner.csv`, content.sources.partner_csv, content.sha256.partner_csv),
      leadership_manifest: download(
        `${stem}_leadership.manifest.json`,
        content.sources.leadership_manifest,
        content.sha256.leadership_manifest,
      ),
      partner_manifest: download(
        `${stem}_partner.manifest.json`,
        content.sources.partner_manifest,
        content.sha256.partner_manifest,
      ),
      report: { name: 'report.json', href: `/tuples/${id}/report.json`, source: '', sha256: content.report_sha256 },
    },
    pdf_href: `/readback/${id}.pdf`,
    readback_href: `/readback/${id}/`,
    generated_at: generatedAt,
  };
}

/** `content/faq.md`: one entry per `## Question` heading. */
export function parseFaq(markdown: string): FaqEntry[] {
  const entries: FaqEntry[] = [];
  const parts = markdown.split(/^## +/m).slice(1);
  for (const part of parts) {
    const newline = part.indexOf('\n');
    const question = (newline === -1 ? part : part.slice(0, newline)).trim();
    const answer = newline === -1 ? '' : part.slice(newline + 1).trim();
    let id = `faq-${question
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')}`;
    while (entries.some((e) => e.id === id)) id += '-';
    entries.push({ id, question, answer_html: renderMarkdown(answer) });
  }
  return entries;
}
