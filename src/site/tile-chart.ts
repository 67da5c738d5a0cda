/**
 * A leadership tile's per-period chart as SVG markup, written as one string. The chart is most of
 * a leadership page's markup (an element, a link and a title per period), and a template renders
 * each of those elements through a call of its own: the leadership index (every tuple's tiles)
 * took about half a second of a rebuild's pages for 200 tuples of 24 periods. The markup is what
 * the template wrote, byte for byte, escaped as Astro escapes (`&`, `<`, `>`, `'` and `"` in text;
 * `&` and `"` in attribute values).
 */
import type { LeadershipTile } from '../core/site-model.ts';

const TEXT = /[&<>'"]/;
const TEXT_ALL = /[&<>'"]/g;
const TEXT_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&#39;', '"': '&quot;' };
/** text between tags */
export const escapeText = (value: string) =>
  TEXT.test(value) ? value.replace(TEXT_ALL, (c) => TEXT_ENTITIES[c]!) : value;
/** an attribute's value, inside double quotes */
export function escapeAttribute(value: string | number): string {
  const text = String(value);
  return text.includes('&') || text.includes('"') ? text.replaceAll('&', '&amp;').replaceAll('"', '&quot;') : text;
}

/** The chart's `<svg>`, labelled by its `<title>` (id `titleId`, text `title`). */
export function tileChartSvg(chart: LeadershipTile['chart'], titleId: string, title: string): string {
  const a = escapeAttribute;
  const id = a(titleId);
  let svg = `<svg class="tile-chart" width="${a(chart.width)}" height="${a(chart.height)}" viewBox="0 0 ${a(chart.width)} ${a(chart.height)}" aria-labelledby="${id}"><title id="${id}">${escapeText(title)}</title>`;
  for (const c of chart.carve_outs)
    svg += `<a href="${a(c.href)}" class="carve-out-mark" data-period-start="${a(c.period_start)}"><rect x="${a(c.x - 5)}" y="0" width="10" height="${a(chart.height)}"><title>${escapeText(`Carve-out period ${c.period_start}`)}</title></rect></a>`;
  if (chart.points.length > 1) svg += `<polyline points="${a(chart.line)}"></polyline>`;
  for (const p of chart.points) {
    const text = `${p.period_start}: ${p.display}${p.carve_out ? ' (carve-out period)' : ''}`;
    svg += `<a href="${a(p.href)}" class="${p.carve_out ? 'point carve-out' : 'point'}" data-period-start="${a(p.period_start)}"><circle cx="${a(p.x)}" cy="${a(p.y)}" r="${p.carve_out ? 4 : 3}"><title>${escapeText(text)}</title></circle></a>`;
  }
  return `${svg}</svg>`;
}
