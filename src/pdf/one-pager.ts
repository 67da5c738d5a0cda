/**
 * The executive one-pager (SPEC §8): a projection of the same site model the annex renders.
 * Written with createElement so Node runs it without a JSX step.
 */
import { createElement as h, type ReactElement } from 'react';
import { Document, Link, Page, StyleSheet, Text, View } from '@react-pdf/renderer';
import { dateOnly } from '../core/present.ts';
import type { TuplePage } from '../core/site-model.ts';

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
  headline: { borderLeftWidth: 2.5, borderLeftColor: ACCENT, paddingLeft: 10, marginBottom: 10 },
  headlineText: { fontSize: 12, lineHeight: 1.35 },
  value: { fontWeight: 700 },
  citation: { fontFamily: 'JetBrains Mono', fontSize: 7.5, color: ACCENT, textDecoration: 'none', marginTop: 1 },
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
  page: { ...styles.page, fontSize: 9.5, paddingTop: 34, paddingBottom: 62, lineHeight: 1.3 },
  section: { marginTop: 10 },
  heading: { ...styles.heading, marginBottom: 5 },
  headline: { ...styles.headline, marginBottom: 6 },
  headlineText: { fontSize: 10.5, lineHeight: 1.3 },
  body: { fontSize: 9, color: INK },
  carveOut: { marginBottom: 1.5 },
  carveOutText: { fontSize: 8, color: INK },
  carveOutId: { ...styles.carveOutId, fontSize: 7.5 },
  faqLink: { ...styles.faqLink, fontSize: 9, marginBottom: 2 },
});

export function onePager({ tuple, siteUrl, size, compact = false }: OnePagerProps): ReactElement {
  const style = compact ? { ...styles, ...compactStyles } : { ...styles, carveOutText: styles.body };
  const annex = `${siteUrl}/annex/${tuple.tuple_id}/`;
  const window = `${dateOnly(tuple.window.start_inclusive)} to ${dateOnly(tuple.window.end_exclusive)}`;
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
      h(Text, { style: style.meta }, `Window (UTC, start inclusive, end exclusive): ${window}`),
      h(
        Text,
        { style: style.meta },
        `Metric dictionary ${tuple.report.dictionary_version} · leadership and partner exports reconciled within tolerance`,
      ),
      h(
        View,
        { style: style.section },
        h(Text, { style: style.heading }, 'Headlines'),
        ...tuple.headlines.map((headline) =>
          h(
            View,
            { style: style.headline, key: headline.metric_id, wrap: false },
            h(
              Text,
              { style: style.headlineText },
              ...headline.parts.flatMap((part, i) =>
                i === 0 ? [part] : [h(Text, { style: style.value, key: `v${i}` }, headline.value), part],
              ),
            ),
            h(Link, { src: headline.annex_href, style: style.citation }, headline.citation),
          ),
        ),
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
                    `${dateOnly(c.period_start)}: ${c.blast_radius} `,
                    h(
                      Link,
                      { src: `${siteUrl}${c.annex_href}`, style: style.carveOutId },
                      `${c.bypass_audit_id} | freeze ${c.parent_freeze_id}`,
                    ),
                  )
                : h(
                    View,
                    { style: style.carveOut, key: `c${i}`, wrap: false },
                    h(Text, { style: style.carveOutText }, `Week of ${dateOnly(c.period_start)}: ${c.blast_radius}`),
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
          `Dictionary ${tuple.report.dictionary_version} | window ${tuple.window.start_inclusive} to ${tuple.window.end_exclusive} (UTC) | tuple ${tuple.tuple_id}`,
        ),
      ),
    ),
  );
}
