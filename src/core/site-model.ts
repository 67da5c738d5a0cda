/**
 * The one object the site renders (docs/reference/site.md): the reconcile report plus what the glossary needs
 * from every dictionary version. Built once per build; pages only read it.
 */
import { z } from 'zod';
import { formatDecimal } from './decimal.ts';
import { groupByClass } from './diff-format.ts';
import { classifyDictionaryChange, DiffReportSchema, FindingSchema, type DiffReport } from './diff.ts';
import { epsilonFor, type LoadedDictionary } from './dictionary.ts';
import { renderMarkdown } from './markdown.ts';
import { sha256Hex } from './hash.ts';
import {
  bypassColumns,
  chartPoints,
  chartX,
  isCarveOut,
  leadershipOnlyOf,
  leadershipTilesCsv,
  TILE_EXPORT_SUFFIX,
  type TileSeries,
  tileSeries,
} from './leadership.ts';
import { displayValue, NOT_HELD, type ShownAs, tupleFacts, unitName } from './present.ts';
import {
  partnerBundles,
  partnerIdOf,
  PartnerBundleSchema,
  partnerSiteUrl,
  type PartnerBundle,
} from './partner-bundles.ts';
import { fillHeadline, type ReadbackContent } from './readback.ts';
import type { SiteSettings } from './settings.ts';
import { type EvaluatedTarget, EvaluatedTargetSchema, evaluateTarget } from './targets.ts';
import {
  AggregationSchema,
  BypassRowSchema,
  ManifestSchema,
  MetricClassSchema,
  MetricResultSchema,
  ReconcileReportSchema,
  TupleReportSchema,
  UnitSchema,
  type LeadershipOnlyTuple,
  type Manifest,
  type MetricResult,
  type ReconcileReport,
  type TupleConfig,
  type TupleReport,
} from './schemas.ts';

/** An anchor id a row carries, or null when an earlier row on the same page already carries it. */
const AnchorSchema = z.string().nullable();

/** One metric as the glossary shows it, gathered over every dictionary version. */
export const GlossaryEntrySchema = z.object({
  metric_id: z.string(),
  label: z.string(),
  class: MetricClassSchema,
  unit: UnitSchema,
  /** money only: the ISO 4217 code its values are shown in (null: shown as minor units) */
  currency: z.string().nullable(),
  /** the unit in words, the same on every page: @example "milliseconds" */
  unit_name: z.string(),
  aggregation: AggregationSchema,
  weight_metric_id: z.string().nullable(),
  precision: z.number().int(),
  epsilon: z.string(),
  /** the epsilon with its unit symbol, as the annex shows it: @example "1 ms" */
  epsilon_display: z.string(),
  epsilon_source: z.enum(['metric', 'class']),
  epsilon_written: z.string(),
  definition_html: z.string(),
  formula_ref: z.string(),
  owner: z.string(),
  deprecated_after: z.string().nullable(),
  superseded_by: z.string().nullable(),
  /** metrics that name this one in superseded_by */
  supersedes: z.array(z.string()),
  /** the version this metric was last defined in */
  defined_in: z.string(),
  /** the first version without it, when it was removed */
  removed_in: z.string().nullable(),
  /** every label it has had, oldest first, with the version that introduced it */
  label_history: z.array(z.object({ version: z.string(), label: z.string() })),
  /** the published tuples that show it, for annex links */
  tuples: z.array(z.string()),
});
export type GlossaryEntry = z.infer<typeof GlossaryEntrySchema>;

/** A reconciled metric as the annex and the readback show it. */
export const DisplayedMetricSchema = MetricResultSchema.extend({
  class: MetricClassSchema,
  /** money only: the currency the cited dictionary version gives it, null for none (values then in minor units) */
  currency: z.string().nullable(),
  /** the unit in words, the same as the glossary's */
  unit_name: z.string(),
  /** what people read (src/core/present.ts displayValue): grouped digits and unit symbol, or the currency */
  display: z.object({ leadership: z.string(), partner: z.string(), delta: z.string(), epsilon: z.string() }),
  /** @example "/annex/acme-2026-q2/#m.orders.shipped" */
  annex_href: z.string(),
  /** the partner's SLA target for this metric (tuple.yaml), evaluated once here; null: none set */
  target: EvaluatedTargetSchema.nullable(),
});
export type DisplayedMetric = z.infer<typeof DisplayedMetricSchema>;

/** A file published under /exports/ or /tuples/. */
export const DownloadSchema = z.object({
  /** published name, carrying the UTC window */
  name: z.string(),
  href: z.string(),
  /** where the bytes come from, relative to the workspace root */
  source: z.string(),
  sha256: z.string(),
});
export type Download = z.infer<typeof DownloadSchema>;

/** A period with a bypass: one row of the annex's carve-out weeks. */
export const CarveOutSchema = BypassRowSchema.extend({
  /** one line of blast radius from tuple.yaml */
  blast_radius: z.string(),
  /** where links to this bypass land: @example "/annex/acme-2026-q2/#bypass-BYP-2026-0412" */
  annex_href: z.string(),
  /** `bypass-<bypass_audit_id>` on the first row of that id, null on the rows after it */
  anchor: AnchorSchema,
});
export type CarveOut = z.infer<typeof CarveOutSchema>;

/** A readback headline with its number filled in from the reconciled data. */
export const PublishedHeadlineSchema = z.object({
  metric_id: z.string(),
  text: z.string(),
  /** the headline text around its {value}, so a renderer can set the number in bold */
  parts: z.array(z.string()),
  value: z.string(),
  /** absolute, built from the site URL */
  annex_href: z.string(),
  /** @example "(m.orders.shipped, sha256:5b282af41731)" */
  citation: z.string(),
  /** the metric's target, as the annex shows it; null: none set */
  target: EvaluatedTargetSchema.nullable(),
});
export type PublishedHeadline = z.infer<typeof PublishedHeadlineSchema>;

/** A value as a table cell shows it: the report's decimal (null: the period holds none) and its display text. */
export const ShownValueSchema = z.object({ value: z.string().nullable(), display: z.string() });

/**
 * docs/reference/site.md: the per-period table of a tuple, one row per period, with the bypass and freeze ids
 * always shown. The annex shows both sides and the delta of each metric; the leadership page
 * leadership's values only (its cells have no partner or delta).
 */
export const PeriodTableSchema = z.object({
  /** what "no bypass" is published as */
  sentinel: z.string(),
  columns: z.array(
    z.object({
      metric_id: z.string(),
      label: z.string(),
      /** listed under leadership_only (the leadership page only) */
      leadership_only: z.boolean(),
    }),
  ),
  rows: z.array(
    z.object({
      period_start: z.string(),
      /** `period-<YYYYMMDDTHHMMSSZ>`; null on a row whose instant another row already anchors */
      anchor: AnchorSchema,
      /** the period's bypass ids, space-separated, or the sentinel */
      bypass_audit_id: z.string(),
      /** the freeze ids in the same order, or the sentinel */
      parent_freeze_id: z.string(),
      /** a bypass id is among them */
      carve_out: z.boolean(),
      /** one per column */
      cells: z.array(
        z.object({
          leadership: ShownValueSchema,
          partner: ShownValueSchema.optional(),
          delta: ShownValueSchema.optional(),
        }),
      ),
    }),
  ),
});
export type PeriodTable = z.infer<typeof PeriodTableSchema>;

/** A downloadable file generated from the report (no source file in the workspace). */
export const GeneratedDownloadSchema = DownloadSchema.omit({ source: true });

/** Everything the annex, the HTML readback and the PDF of one green tuple show. */
export const TuplePageSchema = z.object({
  tuple_id: z.string(),
  partner: z.string(),
  /** the bundle this tuple is published in (docs/reference/workspace.md, §8.2) */
  partner_id: z.string(),
  title: z.string(),
  report: TupleReportSchema,
  tuple_revision_hash: z.string(),
  /** the canonical JSON the tuple revision hash is the SHA-256 of, printed for auditors */
  hash_document: z.string(),
  short_hash: z.string(),
  window: z.object({ start_inclusive: z.string(), end_exclusive: z.string(), tz_policy: z.string() }),
  manifests: z.object({ leadership: ManifestSchema, partner: ManifestSchema }),
  metrics: z.array(DisplayedMetricSchema),
  carve_outs: z.array(CarveOutSchema),
  /** the footer line: every freeze id and bypass audit id, "no bypass" shown as the sentinel */
  freeze_ids: z.array(z.string()),
  bypass_ids: z.array(z.string()),
  sentinel: z.string(),
  headlines: z.array(PublishedHeadlineSchema),
  /** the questions the readback (page and PDF) links to, each to its annex anchor; none about a freeze nothing shipped in */
  faq_links: z.array(z.object({ question: z.string(), anchor: z.string() })),
  body_html: z.string(),
  body_text: z.string(),
  downloads: z.object({
    partner_csv: DownloadSchema,
    leadership_manifest: DownloadSchema,
    partner_manifest: DownloadSchema,
    report: DownloadSchema,
  }),
  pdf_href: z.string(),
  readback_href: z.string(),
  /** the latest generated_at of the two manifests: the PDF's creation date, taken from the inputs */
  generated_at: z.string(),
  /** docs/reference/site.md: the annex's per-period table, both sides (the partner export's bypass pairs) */
  period_table: PeriodTableSchema,
});
export type TuplePage = z.infer<typeof TuplePageSchema>;

/** One tile of the leadership page: a metric's window value, its status and its per-period chart. */
export const LeadershipTileSchema = z.object({
  metric_id: z.string(),
  label: z.string(),
  unit_name: z.string(),
  /** leadership's value over the window, as the report writes it */
  value: z.string(),
  /** with its unit, as the annex shows values */
  display: z.string(),
  /** against the partner export's value; `leadership-only` when the partner export does not hold the metric */
  status: z.enum(['pass', 'fail', 'leadership-only']),
  leadership_only: z.boolean(),
  /** the partner's SLA target for this metric, met or missed as on the annex; null when none is set */
  target: EvaluatedTargetSchema.nullable(),
  /** @example "/leadership/acme-2026-q2/#m.orders.shipped" */
  href: z.string(),
  chart: z.object({
    width: z.number(),
    height: z.number(),
    /** the line through the points, as an SVG polyline's `points` */
    line: z.string(),
    /** one per period that has a value, linking to its row of the period table */
    points: z.array(
      z.object({
        x: z.number(),
        y: z.number(),
        period_start: z.string(),
        href: z.string(),
        display: z.string(),
        carve_out: z.boolean(),
      }),
    ),
    /** where the carve-out periods sit on the x axis (marked whether or not the period has a value) */
    carve_outs: z.array(z.object({ x: z.number(), period_start: z.string(), href: z.string() })),
  }),
});
export type LeadershipTile = z.infer<typeof LeadershipTileSchema>;

/** docs/reference/site.md: `/leadership/<tuple_id>/`: the internal site only, never a partner's bundle. */
export const LeadershipPageSchema = z.object({
  tuple_id: z.string(),
  partner: z.string(),
  title: z.string(),
  status: z.enum(['green', 'red', 'invalid']),
  window: z.object({ start_inclusive: z.string(), end_exclusive: z.string() }),
  tuple_revision_hash: z.string(),
  /** periods whose rows carry a bypass audit id */
  carve_out_count: z.number().int(),
  tiles: z.array(LeadershipTileSchema),
  /** leadership's values, with the leadership export's bypass pairs */
  period_table: PeriodTableSchema,
  tile_export: GeneratedDownloadSchema,
  href: z.string(),
  annex_href: z.string(),
});
export type LeadershipPage = z.infer<typeof LeadershipPageSchema>;

/** One `## Question` of content/faq.md. */
export const FaqEntrySchema = z.object({
  id: z.string(),
  question: z.string(),
  answer_html: z.string(),
});
export type FaqEntry = z.infer<typeof FaqEntrySchema>;

/** A dictionary version the site publishes at /dictionary/<version>.json. */
export const DictionaryVersionInfoSchema = z.object({
  version: z.string(),
  sha256: z.string(),
  /** false for the current dictionary when its version is not in the history yet */
  released: z.boolean(),
});
export type DictionaryVersionInfo = z.infer<typeof DictionaryVersionInfoSchema>;

/** A classified dictionary change as a diff page shows it. */
export const DiffPageFindingSchema = FindingSchema.extend({
  /** the metric_id on the metric's first row as the page lists them (grouped by class), null elsewhere */
  anchor: AnchorSchema,
});
export const DiffPageSchema = DiffReportSchema.extend({ findings: z.array(DiffPageFindingSchema) });
export type DiffPage = z.infer<typeof DiffPageSchema>;

/** The one object the site renders. */
/** What readback.config.yaml sets for every page of every site (src/core/settings.ts). */
export const SiteLookSchema = z.object({
  /** the program's name in every header; null: "Readback" */
  title: z.string().nullable(),
  /** the colour of links and marks, #rrggbb; null: Readback's own */
  accent: z.string().nullable(),
  /** the logo as published at each site's root, and the workspace file it is copied from */
  logo: z.object({ href: z.string(), source: z.string() }).nullable(),
});
export type SiteLook = z.infer<typeof SiteLookSchema>;

export const SiteModelSchema = z.object({
  schema: z.literal('readback.site-model/1'),
  look: SiteLookSchema,
  /** without a trailing slash; a partner bundle's may hold a path: @example "https://readback.example.com" */
  site_url: z.string(),
  /** the partner this site is for (a partner bundle, docs/reference/site.md); null for the internal site */
  partner_id: z.string().nullable(),
  /** the partner bundles the internal site lists at /partners/ (none in a bundle) */
  partners: z.array(PartnerBundleSchema),
  current_version: z.string(),
  versions: z.array(DictionaryVersionInfoSchema),
  glossary: z.array(GlossaryEntrySchema),
  /** consecutive pairs, oldest first; the last one is what /glossary/diff/ shows */
  diffs: z.array(DiffPageSchema),
  report: ReconcileReportSchema,
  tuples: z.array(TuplePageSchema),
  /** one per tuple in `tuples`, with the leadership-only values: what /leadership/ shows */
  leadership: z.array(LeadershipPageSchema),
  faq: z.array(FaqEntrySchema),
});
export type SiteModel = z.infer<typeof SiteModelSchema>;

/** Reads back the model the build wrote; one that does not fit the schema is a bug, reported in full. */
export function parseSiteModel(json: unknown, source: string): SiteModel {
  const parsed = SiteModelSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${source} is not a readback site model:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
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
  /** READBACK_PARTNER_SITE_URL: where each partner bundle is deployed (default `<site>/partners/<partner_id>`) */
  partnerSiteUrl?: string;
  /** readback.config.yaml's title, accent and logo */
  settings?: SiteSettings;
}

/** The internal site's model, or (given `bundle`) the model of that partner's bundle before it is narrowed. */
export function buildSiteModel(
  inputs: SiteModelInputs,
  bundle?: PartnerBundle,
  /** a bundle's glossary holds only the metrics its tuples show: the others need not be built */
  shown?: ReadonlySet<string>,
): SiteModel {
  const { history, current, report } = inputs;
  const pending = !history.some((h) => h.dictionary.version === current.dictionary.version);
  const versions = pending ? [...history, current] : [...history];
  const entries = new Map<string, GlossaryEntry>();
  versions.forEach((loaded, index) => {
    const version = loaded.dictionary.version;
    for (const metric of loaded.dictionary.metrics) {
      if (shown && !shown.has(metric.metric_id)) continue;
      const epsilon = epsilonFor(metric, loaded.dictionary);
      const shownAs = { unit: metric.unit, currency: metric.currency ?? null };
      const previous = entries.get(metric.metric_id);
      const labels = previous?.label_history ?? [];
      if (labels.at(-1)?.label !== metric.label) labels.push({ version, label: metric.label });
      entries.set(metric.metric_id, {
        metric_id: metric.metric_id,
        label: metric.label,
        class: metric.class,
        unit: metric.unit,
        currency: shownAs.currency,
        unit_name: unitName(shownAs),
        aggregation: metric.aggregation,
        weight_metric_id: metric.weight_metric_id ?? null,
        precision: metric.precision,
        epsilon: formatDecimal(epsilon.value),
        epsilon_display: displayValue(formatDecimal(epsilon.value), shownAs),
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
        if (shown && !shown.has(metric.metric_id)) continue;
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
  const diffs: DiffPage[] = [];
  // a bundle has no dictionary-diff pages: only the internal site classifies the changes
  for (let i = 1; i < (bundle ? 0 : versions.length); i++) {
    diffs.push(
      diffPage(
        classifyDictionaryChange(versions[i - 1]!, versions[i]!, {
          history: versions.slice(0, i),
          today: inputs.today,
        }),
      ),
    );
  }
  const siteUrl = inputs.siteUrl.replace(/\/+$/, '');
  const tuples = report.tuples.map((tuple) =>
    tuplePage(tuple, inputs.content.get(tuple.tuple_id)!, entries, siteUrl, versions),
  );
  // leadership's pages are the internal site's alone
  const leadership = bundle
    ? []
    : tuples.map((page) => leadershipPage(page, leadershipOnlyOf(report, page.tuple_id), versions));
  const logo = inputs.settings?.logo;
  return {
    schema: 'readback.site-model/1',
    look: {
      title: inputs.settings?.title ?? null,
      accent: inputs.settings?.accent ?? null,
      logo: logo ? { href: `/logo${/\.[A-Za-z]+$/.exec(logo)![0].toLowerCase()}`, source: logo } : null,
    },
    site_url: siteUrl,
    partner_id: bundle?.partner_id ?? null,
    partners: bundle
      ? []
      : partnerBundles(
          report.tuples.map((t) => ({ tuple_id: t.tuple_id, config: inputs.content.get(t.tuple_id)!.config })),
          (id) => partnerSiteUrl(siteUrl, id, inputs.partnerSiteUrl),
        ),
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
    leadership,
    faq: inputs.faqMarkdown ? parseFaq(inputs.faqMarkdown) : [],
  };
}

/**
 * The rows that carry an anchor: of the rows naming the same anchor, only the first in page order
 * (an id appears once in a page; links to it land on its first row).
 */
function anchorCarriers<Row>(rowsInPageOrder: readonly Row[], anchorOf: (row: Row) => string | null): Set<Row> {
  const seen = new Set<string>();
  const carriers = new Set<Row>();
  for (const row of rowsInPageOrder) {
    const anchor = anchorOf(row);
    if (anchor === null || seen.has(anchor)) continue;
    seen.add(anchor);
    carriers.add(row);
  }
  return carriers;
}

/** docs/reference/site.md: one #<metric_id> anchor per metric on a diff page, on its first row as the page groups them. */
export function diffPage(diff: DiffReport): DiffPage {
  const carriers = anchorCarriers(
    groupByClass(diff.findings).flatMap(([, findings]) => findings),
    (finding) => finding.metric_id,
  );
  return {
    ...diff,
    findings: diff.findings.map((finding) => ({
      ...finding,
      anchor: carriers.has(finding) ? finding.metric_id : null,
    })),
  };
}

/** `2026-04-06T00:00:00Z` → `20260406T000000Z`, safe in any file name. */
export function compactInstant(instant: string): string {
  // the usual shape cut together (a site model names some hundred thousand periods), any other replaced
  if (WHOLE_SECONDS.test(instant))
    return `${instant.slice(0, 4)}${instant.slice(5, 7)}${instant.slice(8, 13)}${instant.slice(14, 16)}${instant.slice(17)}`;
  return instant.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

const WHOLE_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/**
 * A tuple's page as a site on base URL `to` holds it, from the one on `from`: its headlines link to
 * the annex of the site they are published in, and nothing else on it names a base URL. Equal to
 * what {@link buildSiteModel} makes on `to` exactly when the two sites show the tuple alike (the
 * build compares before it reuses one one-pager for the other, src/pdf/rebase.ts).
 */
export function tuplePageOnBase(tuple: TuplePage, from: string, to: string): TuplePage {
  return {
    ...tuple,
    headlines: tuple.headlines.map((headline) => ({
      ...headline,
      annex_href: headline.annex_href.startsWith(`${from}/`)
        ? `${to}/${headline.annex_href.slice(from.length + 1)}`
        : headline.annex_href,
    })),
  };
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
  const facts = tupleFacts(tuple);
  const short = facts.short_hash;
  const dictionary = versions.find((v) => v.dictionary.version === tuple.dictionary_version);
  const sentinel = dictionary?.dictionary.bypass_sentinel ?? 'NO_BYPASS';
  const metrics: DisplayedMetric[] = tuple.metrics.map((m) => {
    // the currency of the version the tuple cites: a tuple replays its own dictionary
    const shownAs = { unit: m.unit, currency: dictionary?.metricsById.get(m.metric_id)?.currency ?? null };
    return {
      ...m,
      class: glossary.get(m.metric_id)?.class ?? 'count',
      currency: shownAs.currency,
      unit_name: unitName(shownAs),
      display: {
        leadership: displayValue(m.leadership, shownAs),
        partner: displayValue(m.partner, shownAs),
        delta: displayValue(m.delta, shownAs),
        epsilon: displayValue(m.epsilon, shownAs),
      },
      annex_href: `${annex}#${m.metric_id}`,
      target: targetOf(content.config, m, shownAs),
    };
  });
  const byId = new Map(metrics.map((m) => [m.metric_id, m]));
  const blast = content.config.bypasses ?? {};
  const bypasses = tuple.bypasses.filter((b) => b.bypass_audit_id !== sentinel);
  const bypassAnchor = (b: { bypass_audit_id: string }) => `bypass-${b.bypass_audit_id}`;
  const carriers = anchorCarriers(bypasses, bypassAnchor);
  const carveOuts: CarveOut[] = bypasses.map((b) => ({
    ...b,
    blast_radius: blast[b.bypass_audit_id] ?? '',
    annex_href: `${annex}#${bypassAnchor(b)}`,
    anchor: carriers.has(b) ? bypassAnchor(b) : null,
  }));
  const window = {
    start_inclusive: tuple.window!.start_inclusive,
    end_exclusive: tuple.window!.end_exclusive,
    tz_policy: content.manifests.partner.window_tz_policy,
  };
  const stem = exportStem(id, window);
  const download = (name: string, source: string, sha256: string): Download => ({
    name,
    href: `/exports/${id}/${name}`,
    source,
    sha256,
  });
  const headlines = content.readback.headlines.map((h) => {
    const metric = byId.get(h.metric_id)!;
    // docs/reference/site.md / DECISIONS: headlines show the partner export's value, the number partners can download
    const value = metric.display.partner;
    const words = {
      unit: metric.unit_name,
      label: metric.label,
      ...(metric.target && { target: metric.target.display, status: metric.target.status }),
    };
    const filled = fillHeadline(h.text, { value: '{value}', ...words });
    return {
      metric_id: h.metric_id,
      text: fillHeadline(h.text, { value, ...words }),
      parts: filled.split('{value}'),
      value,
      annex_href: `${siteUrl}${metric.annex_href}`,
      citation: `(${h.metric_id}, ${short})`,
      target: metric.target,
    };
  });
  const generatedAt = [content.manifests.leadership.generated_at, content.manifests.partner.generated_at]
    .sort()
    .at(-1)!;
  return {
    tuple_id: id,
    partner: content.config.partner,
    partner_id: partnerIdOf(content.config),
    title: content.config.title,
    report: tuple,
    tuple_revision_hash: tuple.tuple_revision_hash!,
    hash_document: facts.hash_document,
    short_hash: short,
    window,
    manifests: content.manifests,
    metrics,
    carve_outs: carveOuts,
    freeze_ids: [...new Set(tuple.bypasses.map((b) => b.parent_freeze_id).filter((f) => f !== ''))].sort(),
    bypass_ids: carveOuts.length > 0 ? [...new Set(carveOuts.map((b) => b.bypass_audit_id))].sort() : [sentinel],
    sentinel,
    headlines,
    faq_links: readbackQuestions(carveOuts.length > 0),
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
    period_table: periodTable(tuple, tileSeries(tuple, undefined), metrics, sentinel, 'both'),
  };
}

/** What every published name of a tuple's exports starts with: its id and its UTC window. */
function exportStem(id: string, window: { start_inclusive: string; end_exclusive: string }): string {
  return `${id}_${compactInstant(window.start_inclusive)}_${compactInstant(window.end_exclusive)}`;
}

/** Labels and units of the metrics a page shows, from the dictionary version the tuple cites. */
type MetricFacts = Pick<DisplayedMetric, 'metric_id' | 'label' | 'unit' | 'currency'>;

const shown = (value: string | null, shownAs: ShownAs) => ({
  value,
  display: value === null ? NOT_HELD : displayValue(value, shownAs),
});

/**
 * docs/reference/site.md: a tuple's per-period table. `sides` both: each metric's two values and delta with the
 * partner export's bypass pairs (the annex); leadership: leadership's values with its own pairs.
 */
function periodTable(
  tuple: TupleReport,
  series: readonly TileSeries[],
  facts: readonly MetricFacts[],
  sentinel: string,
  sides: 'both' | 'leadership',
): PeriodTable {
  const byId = new Map(facts.map((m) => [m.metric_id, m]));
  const compared = new Map(tuple.metrics.map((m) => [m.metric_id, m.periods ?? []]));
  const periods = tuple.periods ?? [];
  const anchors = anchorCarriers(periods, (period) => periodAnchor(period.period_start));
  return {
    sentinel,
    columns: series.map((s) => ({
      metric_id: s.metric_id,
      label: byId.get(s.metric_id)!.label,
      leadership_only: s.leadership_only,
    })),
    rows: periods.map((period, index) => {
      const pairs = sides === 'both' ? period.partner_bypasses : period.leadership_bypasses;
      return {
        period_start: period.period_start,
        anchor: anchors.has(period) ? periodAnchor(period.period_start) : null,
        ...bypassColumns(pairs, sentinel),
        carve_out: isCarveOut(pairs, sentinel),
        cells: series.map((s) => {
          const shownAs = byId.get(s.metric_id)!;
          const leadership = shown(s.periods[index]?.leadership ?? null, shownAs);
          if (sides === 'leadership') return { leadership };
          const both = compared.get(s.metric_id)?.[index];
          return {
            leadership,
            partner: shown(both?.partner ?? null, shownAs),
            delta: shown(both?.delta ?? null, shownAs),
          };
        }),
      };
    }),
  };
}

/** docs/reference/site.md: `period-<YYYYMMDDTHHMMSSZ>`, the anchor of a period's row. */
export function periodAnchor(periodStart: string): string {
  return `period-${compactInstant(periodStart)}`;
}

const CHART_BOX = { width: 240, height: 64, padding: 6 };

/** docs/reference/site.md: the leadership page of one published tuple: its tiles, per-period table and tile export. */
function leadershipPage(
  page: TuplePage,
  leadershipOnly: LeadershipOnlyTuple | undefined,
  versions: readonly LoadedDictionary[],
): LeadershipPage {
  const tuple = page.report;
  const id = tuple.tuple_id;
  const href = `/leadership/${id}/`;
  const dictionary = versions.find((v) => v.dictionary.version === tuple.dictionary_version);
  const series = tileSeries(tuple, leadershipOnly);
  const compared = new Map(page.metrics.map((m) => [m.metric_id, m]));
  const facts: MetricFacts[] = series.map((s) => {
    const metric = compared.get(s.metric_id) ?? dictionary!.metricsById.get(s.metric_id)!;
    return { metric_id: s.metric_id, label: metric.label, unit: metric.unit, currency: metric.currency ?? null };
  });
  const table = periodTable(tuple, series, facts, page.sentinel, 'leadership');
  const periodHref = (index: number) => `${href}#${periodAnchor(table.rows[index]!.period_start)}`;
  const tiles = series.map((s, index): LeadershipTile => {
    const shownAs = facts[index]!;
    const at = chartPoints(
      s.periods.map((p) => p.leadership),
      CHART_BOX,
    );
    const points = at.flatMap((point, i) =>
      point === null
        ? []
        : [
            {
              ...point,
              period_start: table.rows[i]!.period_start,
              href: periodHref(i),
              display: table.rows[i]!.cells[index]!.leadership.display,
              carve_out: table.rows[i]!.carve_out,
            },
          ],
    );
    return {
      metric_id: s.metric_id,
      label: shownAs.label,
      unit_name: unitName(shownAs),
      value: s.leadership,
      display: displayValue(s.leadership, shownAs),
      status: s.leadership_only ? 'leadership-only' : compared.get(s.metric_id)!.status,
      leadership_only: s.leadership_only,
      target: compared.get(s.metric_id)?.target ?? null,
      href: `${href}#${s.metric_id}`,
      chart: {
        width: CHART_BOX.width,
        height: CHART_BOX.height,
        line: points.map((p) => `${p.x},${p.y}`).join(' '),
        points,
        carve_outs: table.rows.flatMap((row, i) =>
          row.carve_out
            ? [{ x: chartX(i, table.rows.length, CHART_BOX), period_start: row.period_start, href: periodHref(i) }]
            : [],
        ),
      },
    };
  });
  const csv = leadershipTilesCsv(tuple, series, page.sentinel);
  const name = `${exportStem(id, page.window)}${TILE_EXPORT_SUFFIX}`;
  return {
    tuple_id: id,
    partner: page.partner,
    title: page.title,
    status: tuple.status,
    window: { start_inclusive: page.window.start_inclusive, end_exclusive: page.window.end_exclusive },
    tuple_revision_hash: page.tuple_revision_hash,
    carve_out_count: table.rows.filter((row) => row.carve_out).length,
    tiles,
    period_table: table,
    tile_export: { name, href: `/exports/${id}/${name}`, sha256: sha256Hex(csv) },
    href,
    annex_href: `/annex/${id}/`,
  };
}

/** The partner's target for a metric, evaluated against the value partners see (docs/DECISIONS.md). */
function targetOf(config: TupleConfig, metric: MetricResult, shownAs: ShownAs): EvaluatedTarget | null {
  const written = config.targets?.[metric.metric_id];
  return written === undefined ? null : evaluateTarget(written, metric.partner, shownAs);
}

/**
 * One partner's bundle (docs/reference/site.md): the site model of its tuples alone, on its own base URL. The
 * report holds only its tuple entries (each byte for byte the internal one); the glossary only the
 * metrics those tuples show, each listing only them and naming no other metric; the dictionary
 * versions only those they cite; and no dictionary diff.
 */
export function buildPartnerSiteModel(inputs: SiteModelInputs, bundle: PartnerBundle): SiteModel {
  const own = new Set(bundle.tuples);
  const tuples = inputs.report.tuples.filter((t) => own.has(t.tuple_id));
  // only what a report is: a field the internal report gains later stays out until it is meant for partners
  const report: ReconcileReport = {
    schema: inputs.report.schema,
    status: inputs.report.status,
    dictionary_version: inputs.report.dictionary_version,
    tuples,
    problems: [],
  };
  const shown = new Set(tuples.flatMap((t) => t.metrics.map((m) => m.metric_id)));
  const model = buildSiteModel({ ...inputs, siteUrl: bundle.site_url, report }, bundle, shown);
  const cited = new Set(tuples.map((t) => t.dictionary_version));
  return {
    ...model,
    // leadership's pages and tile exports are the internal site's alone
    leadership: [],
    versions: model.versions.filter((v) => cited.has(v.version)),
    glossary: model.glossary
      .filter((entry) => shown.has(entry.metric_id))
      .map((entry) => ({
        ...entry,
        superseded_by: entry.superseded_by !== null && shown.has(entry.superseded_by) ? entry.superseded_by : null,
        supersedes: entry.supersedes.filter((id) => shown.has(id)),
      })),
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

/** The questions a readback links to in its annex; the freeze question only when something shipped during one. */
function readbackQuestions(hasCarveOuts: boolean): { question: string; anchor: string }[] {
  return [
    { question: 'Where does each number come from? Both exports, side by side', anchor: 'metrics' },
    { question: 'Which period is this, exactly?', anchor: 'window' },
    ...(hasCarveOuts ? [{ question: 'What shipped during the release freeze?', anchor: 'carve-out-weeks' }] : []),
    { question: 'How can I check these figures myself?', anchor: 'provenance' },
    { question: 'More questions and answers', anchor: 'faq' },
  ];
}
