import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../src/core/markdown.ts';

describe('renderMarkdown', () => {
  it('renders markdown', () => {
    expect(renderMarkdown('Share of **requests** answered, see [kpi](https://example.com/kpi).')).toBe(
      '<p>Share of <strong>requests</strong> answered, see <a href="https://example.com/kpi">kpi</a>.</p>',
    );
  });
  it.each([
    ['<script>alert(1)</script>', /<script/i],
    ['[x](javascript:alert(1))', /javascript:/i],
    ['<img src=x onerror=alert(1)>', /onerror/i],
    ['<iframe src="https://evil.example"></iframe>', /<iframe/i],
    ['<svg><script>alert(1)</script></svg>', /<svg|<script/i],
    ['<a href="&#106;avascript:alert(1)">x</a>', /javascript|&#106;/i],
    ['[x](JaVaScRiPt:alert(1))', /javascript:/i],
    ['<div style="background:url(javascript:alert(1))">x</div>', /style=/i],
  ])('neutralises %s', (input, forbidden) => {
    expect(renderMarkdown(input)).not.toMatch(forbidden);
  });
});

describe('parseReadback', async () => {
  const { parseReadback } = await import('../src/core/readback.ts');
  it.each([
    ['text: Up 5 at {value}', 14],
    ['text: "Up 5 at {value}"', 15],
  ])('points at the typed number in %s', (line, column) => {
    const doc = `---\nheadlines:\n  - metric_id: m.a.b\n    ${line}\n---\nbody\n`;
    const { problems } = parseReadback(doc, 'readback.md', new Set(['m.a.b']));
    expect(problems).toEqual([expect.objectContaining({ code: 'BAD_READBACK', line: 4, column })]);
  });
});
