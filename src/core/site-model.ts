/**
 * The one object the site renders (SPEC §8): the reconcile report plus what the glossary needs
 * from every dictionary version. Built once per build; pages only read it.
 */
import { formatDecimal } from './decimal.ts';
import { classifyDictionaryChange, type DiffReport } from './diff.ts';
import { epsilonFor, type LoadedDictionary } from './dictionary.ts';
import { renderMarkdown } from './markdown.ts';
import type { Metric, ReconcileReport } from './schemas.ts';

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
}

export interface SiteModelInputs {
  siteUrl: string;
  report: ReconcileReport;
  /** released versions, oldest first */
  history: readonly LoadedDictionary[];
  current: LoadedDictionary;
  today: string;
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
        if (!next.metricsById.has(metric.metric_id)) entries.get(metric.metric_id)!.removed_in = next.dictionary.version;
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
    diffs.push(classifyDictionaryChange(versions[i - 1]!, versions[i]!, { history: versions.slice(0, i), today: inputs.today }));
  }
  return {
    schema: 'readback.site-model/1',
    site_url: inputs.siteUrl.replace(/\/+$/, ''),
    current_version: current.dictionary.version,
    versions: versions.map((v) => ({ version: v.dictionary.version, sha256: v.sha256, released: v !== current || !pending })),
    glossary: [...entries.values()].sort((a, b) => (a.metric_id < b.metric_id ? -1 : 1)),
    diffs,
    report,
  };
}
