/**
 * The executive one-pager (docs/reference/site.md): a projection of the same site model the annex renders.
 * Written with createElement so Node runs it without a JSX step.
 */
import { createElement as h, type ReactElement } from 'react';
import { Circle, Document, Line, Link, Page, Polyline, StyleSheet, Svg, Text, View } from '@react-pdf/renderer';
import { humanDate, humanWindow } from '../core/present.ts';
import type { PublishedHeadline, TuplePage } from '../core/site-model.ts';
import { polylinePoints, sparkline, type SparklineBox } from '../core/sparkline.ts';

export type PageSize = 'LETTER' | 'A4';

export interface OnePagerProps {
  tuple: TuplePage;
  siteUrl: string;
  size: PageSize;
  /** tighter type and spacing, one line per carve-out week: for a readback that would not fit one page */
  compact?: boolean;
}

const INK = '#16191d';
const MUTED = '#5b6470';
const ACCENT = '#0b5cad';
const RULE = '#d9dde3';
const MET = '#1a7f37';
const MISSED = '#b42318';
const CARVE_OUT = '#9a6700';

const styles = StyleSheet.create({
  page: {
    fontFamily: 'Inter',
    fontSize: 10.5,
    color: INK,
    paddingTop: 46,
    paddingBottom: 70,
    paddingHorizontal: 54,
    lineHeight: 1.4,
  },
  kicker: { fontSize: 8, letterSpacing: 1.2, color: MUTED, textTransform: 'uppercase', marginBottom: 6 },
  title: { fontSize: 19, fontWeight: 700, lineHeight: 1.2, marginBottom: 8 },
  meta: { fontSize: 9, color: MUTED, marginBottom: 2 },
  section: { marginTop: 16 },
  heading: {
    fontSize: 9,
    fontWeight: 700,
    letterSpacing: 1,
    textTransform: 'uppercase',
    color: MUTED,
    borderBottomWidth: 0.75,
    borderBottomColor: RULE,
    paddingBottom: 3,
    marginBottom: 8,
  },
  headingRow: { flexDirection: 'row', justifyContent: 'space-between' },
  headingNote: { fontWeight: 400, letterSpacing: 0, textTransform: 'none' },
  legend: { flexDirection: 'row', alignItems: 'center' },
  legendMark: { marginLeft: 8, marginRight: 3 },
  headline: {
    flexDirection: 'row',
    alignItems: 'center',
    borderLeftWidth: 2.5,
    borderLeftColor: ACCENT,
    paddingLeft: 10,
    marginBottom: 9,
  },
  headlineWords: { flexGrow: 1, flexShrink: 1, flexBasis: 0, paddingRight: 14 },
  value: { fontSize: 16, fontWeight: 700, lineHeight: 1.15 },
  headlineText: { fontSize: 10.5, lineHeight: 1.3 },
  proof: { flexDirection: 'row', flexWrap: 'wrap', alignItems: 'baseline', marginTop: 2 },
  target: { fontSize: 8.5, color: INK, marginRight: 8 },
  met: { color: MET, fontWeight: 700 },
  missed: { color: MISSED, fontWeight: 700 },
  citation: { fontFamily: 'JetBrains Mono', fontSize: 6.8, color: MUTED, textDecoration: 'none' },
  spark: { flexShrink: 0 },
  body: { fontSize: 10, color: INK },
  carveOut: { marginBottom: 5 },
  carveOutId: { fontFamily: 'JetBrains Mono', fontSize: 8.5, color: ACCENT, textDecoration: 'none' },
  faqLink: { color: ACCENT, textDecoration: 'none', fontSize: 10, marginBottom: 4 },
  footer: {
    position: 'absolute',
    left: 54,
    right: 54,
    bottom: 26,
    borderTopWidth: 0.75,
    borderTopColor: RULE,
    paddingTop: 5,
  },
  footerLine: { fontFamily: 'JetBrains Mono', fontSize: 6.6, color: MUTED, lineHeight: 1.45 },
});

/** The compact layout's changes to the styles above. */
const compactStyles = StyleSheet.create({
  page: { ...styles.page, fontSize: 9.5, paddingTop: 30, paddingBottom: 58, lineHeight: 1.3 },
  section: { marginTop: 8 },
  heading: { ...styles.heading, marginBottom: 4 },
  headline: { ...styles.headline, marginBottom: 3.5 },
  value: { fontSize: 9.5, fontWeight: 700, lineHeight: 1.25 },
  headlineText: { fontSize: 9, lineHeight: 1.25 },
  proof: { ...styles.proof, marginTop: 0 },
  target: { ...styles.target, fontSize: 7 },
  citation: { ...styles.citation, fontSize: 6.2 },
  body: { fontSize: 9, color: INK },
  carveOut: { marginBottom: 1.5 },
  carveOutText: { fontSize: 8, color: INK },
  carveOutId: { ...styles.carveOutId, fontSize: 7.5 },
  faqLink: { ...styles.faqLink, fontSize: 9, marginBottom: 2 },
});

/** The sparkline's box in each layout, in points. */
const SPARK_BOX: Record<'regular' | 'compact', SparklineBox> = {
  regular: { width: 120, height: 26 },
  compact: { width: 90, height: 14 },
};

type Style = typeof styles & Partial<typeof compactStyles> & { carveOutText: object };

/**
 * A headline's per-period series (the partner export's, as the headline's value is), its target
 * as a dashed line, and its carve-out periods marked. Coordinates come from src/core/sparkline.ts.
 */
function headlineSparkline(tuple: TuplePage, headline: PublishedHeadline, box: SparklineBox, style: Style) {
  const periods = tuple.metrics.find((m) => m.metric_id === headline.metric_id)?.periods ?? [];
  if (periods.length < 2) return null;
  const drawing = sparkline(
    periods.map((p) => p.partner),
    box,
    headline.target?.operand,
  );
  const carveOuts = new Set(tuple.carve_outs.map((c) => c.period_start));
  // a margin for the stroke and the markers, so nothing is clipped at the box's edge
  const pad = 3;
  return h(
    View,
    { style: [style.spark, { width: box.width + 2 * pad }] },
    h(
      Svg,
      {
        width: box.width + 2 * pad,
        height: box.height + 2 * pad,
        viewBox: `${-pad} ${-pad} ${box.width + 2 * pad} ${box.height + 2 * pad}`,
      },
      drawing.referenceY === null
        ? null
        : h(Line, {
            x1: 0,
            x2: box.width,
            y1: Number(drawing.referenceY),
            y2: Number(drawing.referenceY),
            stroke: headline.target?.status === 'missed' ? MISSED : MET,
            strokeWidth: 0.6,
            strokeDasharray: '2 1.5',
          }),
      ...drawing.runs.map((run, i) =>
        run.length === 1
          ? // a period between two without a value: a dot, as a line needs two points
            h(Circle, { key: `r${i}`, cx: Number(run[0]!.x), cy: Number(run[0]!.y), r: 1.2, fill: ACCENT })
          : h(Polyline, { key: `r${i}`, points: polylinePoints(run), fill: 'none', stroke: ACCENT, strokeWidth: 1.1 }),
      ),
      ...drawing.points.flatMap((point, i) =>
        point && carveOuts.has(periods[i]!.period_start)
          ? [h(Circle, { key: `c${i}`, cx: Number(point.x), cy: Number(point.y), r: 1.9, fill: CARVE_OUT })]
          : [],
      ),
    ),
  );
}

/** What the sparklines' marks mean, drawn with the same marks; only the marks this page uses. */
function sparklineLegend(tuple: TuplePage, style: Style) {
  const mark = (shape: ReactElement) =>
    h(Svg, { width: 12, height: 6, viewBox: '0 0 12 6', style: style.legendMark }, shape);
  return h(
    View,
    { style: style.legend },
    h(Text, { style: style.headingNote }, 'Trend per period, partner export'),
    ...(tuple.headlines.some((headline) => headline.target)
      ? [
          mark(h(Line, { x1: 1, x2: 11, y1: 3, y2: 3, stroke: MUTED, strokeWidth: 0.8, strokeDasharray: '2 1.5' })),
          h(Text, { style: style.headingNote }, 'target'),
        ]
      : []),
    ...(tuple.carve_outs.length > 0
      ? [
          mark(h(Circle, { cx: 6, cy: 3, r: 2, fill: CARVE_OUT })),
          h(Text, { style: style.headingNote }, 'carve-out week'),
        ]
      : []),
  );
}

/** The value first, then the sentence, then its target and its citation in small type. */
function headlineBlock(tuple: TuplePage, headline: PublishedHeadline, index: number, style: Style, compact: boolean) {
  const target = headline.target;
  const sentence = headline.parts.join(headline.value);
  const box = SPARK_BOX[compact ? 'compact' : 'regular'];
  return h(
    View,
    // two headlines may cite one metric: the position keys them
    { style: style.headline, key: `h${index}`, wrap: false },
    h(
      View,
      { style: style.headlineWords },
      ...(compact
        ? // one line less: the value leads the sentence, in bold
          [h(Text, { style: style.headlineText }, h(Text, { style: style.value }, `${headline.value}  `), sentence)]
        : [h(Text, { style: style.value }, headline.value), h(Text, { style: style.headlineText }, sentence)]),
      h(
        View,
        { style: style.proof },
        target
          ? h(
              Text,
              { style: style.target },
              `Target ${target.display}: `,
              h(Text, { style: target.status === 'met' ? style.met : style.missed }, target.status),
            )
          : null,
        h(Link, { src: headline.annex_href, style: style.citation }, headline.citation),
      ),
    ),
    headlineSparkline(tuple, headline, box, style),
  );
}

export function onePager({ tuple, siteUrl, size, compact = false }: OnePagerProps): ReactElement {
  const style: Style = compact ? { ...styles, ...compactStyles } : { ...styles, carveOutText: styles.body };
  const annex = `${siteUrl}/annex/${tuple.tuple_id}/`;
  const window = humanWindow(tuple.window);
  const faq = tuple.faq_links.map(({ question, anchor }): [string, string] => [question, `#${anchor}`]);
  return h(
    Document,
    {
      title: tuple.title,
      author: 'Readback',
      subject: `Executive readback for ${tuple.partner}, ${tuple.window.start_inclusive} to ${tuple.window.end_exclusive} (UTC), dictionary ${tuple.report.dictionary_version}, ${tuple.tuple_revision_hash}`,
      keywords: tuple.metrics.map((m) => m.metric_id).join(' '),
      language: 'en',
      creator: 'Readback',
      producer: 'Readback',
      creationDate: new Date(tuple.generated_at),
      modificationDate: new Date(tuple.generated_at),
    },
    h(
      Page,
      { size, style: style.page },
      h(Text, { style: style.kicker }, `Executive readback · ${tuple.partner}`),
      h(Text, { style: style.title }, tuple.title),
      h(Text, { style: style.meta }, `Reporting window ${window}`),
      h(
        Text,
        { style: style.meta },
        `Metric dictionary ${tuple.report.dictionary_version} · leadership and partner exports reconciled within tolerance`,
      ),
      h(
        View,
        { style: style.section },
        h(
          View,
          { style: [style.heading, style.headingRow] },
          h(Text, null, 'Headlines'),
          sparklineLegend(tuple, style),
        ),
        ...tuple.headlines.map((headline, index) => headlineBlock(tuple, headline, index, style, compact)),
      ),
      tuple.body_text
        ? h(
            View,
            { style: style.section },
            ...tuple.body_text
              .split(/\n\s*\n/)
              .map((paragraph, i) => h(Text, { style: style.body, key: `p${i}` }, paragraph.replace(/\s*\n\s*/g, ' '))),
          )
        : null,
      h(
        View,
        { style: style.section },
        h(Text, { style: style.heading }, 'Carve-out weeks'),
        tuple.carve_outs.length === 0
          ? h(
              Text,
              { style: style.body },
              `None: no change shipped during a release freeze in this window (${tuple.sentinel}).`,
            )
          : tuple.carve_outs.map((c, i) =>
              compact
                ? h(
                    Text,
                    { style: [style.carveOut, style.carveOutText], key: `c${i}`, wrap: false },
                    `${humanDate(c.period_start)}: ${c.blast_radius} `,
                    h(
                      Link,
                      { src: `${siteUrl}${c.annex_href}`, style: style.carveOutId },
                      `${c.bypass_audit_id} | freeze ${c.parent_freeze_id}`,
                    ),
                  )
                : h(
                    View,
                    { style: style.carveOut, key: `c${i}`, wrap: false },
                    h(Text, { style: style.carveOutText }, `Week of ${humanDate(c.period_start)}: ${c.blast_radius}`),
                    h(
                      Link,
                      { src: `${siteUrl}${c.annex_href}`, style: style.carveOutId },
                      `${c.bypass_audit_id} | freeze ${c.parent_freeze_id}`,
                    ),
                  ),
            ),
      ),
      h(
        View,
        { style: style.section },
        h(Text, { style: style.heading }, 'Questions'),
        ...faq.map(([question, anchor]) =>
          h(Link, { src: `${annex}${anchor}`, style: style.faqLink, key: anchor }, question),
        ),
      ),
      h(
        View,
        { style: style.footer, fixed: true },
        h(Text, { style: style.footerLine }, `Tuple revision hash ${tuple.tuple_revision_hash}`),
        h(Text, { style: style.footerLine }, `Artifact id ${tuple.report.artifact_id}`),
        h(
          Text,
          { style: style.footerLine },
          `Dictionary ${tuple.report.dictionary_version} | window ${tuple.window.start_inclusive} to ${tuple.window.end_exclusive} (UTC, end exclusive) | tuple ${tuple.tuple_id}`,
        ),
      ),
    ),
  );
}
