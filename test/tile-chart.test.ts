/** A leadership tile's chart written as one string (src/site/tile-chart.ts), escaped as Astro escapes. */
import { describe, expect, it } from 'vitest';
import { escapeAttribute, escapeText, tileChartSvg } from '../src/site/tile-chart.ts';

const point = (x: number, carve_out = false) => ({
  x,
  y: 10,
  period_start: `2026-01-01T0${x}:00:00Z`,
  href: `/leadership/t/?a=1&b="2"#period-${x}`,
  display: `<${x}> & 'more'`,
  carve_out,
});

describe('tile chart', () => {
  it('escapes text as Astro does (& < > \' ") and attribute values (& ")', () => {
    expect(escapeText(`a<b>&'c"`)).toBe('a&lt;b&gt;&amp;&#39;c&quot;');
    expect(escapeText('plain')).toBe('plain');
    expect(escapeAttribute(`a&b"c'<d>`)).toBe(`a&amp;b&quot;c'<d>`);
    expect(escapeAttribute(12.5)).toBe('12.5');
  });

  it('draws every point, the line and each carve-out mark, linking to their periods', () => {
    const chart = {
      width: 240,
      height: 64,
      line: '1,2 3,4',
      points: [point(1), point(3, true)],
      carve_outs: [{ x: 3, period_start: '2026-01-01T03:00:00Z', href: '/leadership/t/#period-3' }],
    };
    const svg = tileChartSvg(chart, 't-chart-m.x', `Label's "chart"`);
    expect(svg).toBe(
      '<svg class="tile-chart" width="240" height="64" viewBox="0 0 240 64" aria-labelledby="t-chart-m.x">' +
        '<title id="t-chart-m.x">Label&#39;s &quot;chart&quot;</title>' +
        '<a href="/leadership/t/#period-3" class="carve-out-mark" data-period-start="2026-01-01T03:00:00Z"><rect x="-2" y="0" width="10" height="64"><title>Carve-out period 2026-01-01T03:00:00Z</title></rect></a>' +
        '<polyline points="1,2 3,4"></polyline>' +
        '<a href="/leadership/t/?a=1&amp;b=&quot;2&quot;#period-1" class="point" data-period-start="2026-01-01T01:00:00Z"><circle cx="1" cy="10" r="3"><title>2026-01-01T01:00:00Z: &lt;1&gt; &amp; &#39;more&#39;</title></circle></a>' +
        '<a href="/leadership/t/?a=1&amp;b=&quot;2&quot;#period-3" class="point carve-out" data-period-start="2026-01-01T03:00:00Z"><circle cx="3" cy="10" r="4"><title>2026-01-01T03:00:00Z: &lt;3&gt; &amp; &#39;more&#39; (carve-out period)</title></circle></a>' +
        '</svg>',
    );
  });

  it('draws no line through a single point', () => {
    const svg = tileChartSvg({ width: 10, height: 10, line: '1,2', points: [point(1)], carve_outs: [] }, 'id', 't');
    expect(svg).not.toContain('<polyline');
    expect(svg.match(/<circle /g)).toHaveLength(1);
  });
});
