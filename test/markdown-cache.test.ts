/**
 * Markdown a build rendered is kept for the next build of the same code (src/io/markdown-cache.ts):
 * taken as rendered only under the identity of the code that rendered it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../src/core/markdown.ts';
import { keepRendered, recallRendered } from '../src/io/markdown-cache.ts';
import { tempDir } from './helpers/workspace.ts';

describe('markdown kept between builds', () => {
  it('keeps what was rendered, and takes it back only for the same code', () => {
    const file = join(tempDir(), 'markdown.json');
    const n = Math.random();
    const text = `A *definition* kept ${n}`;
    const html = renderMarkdown(text);
    expect(html).toBe(`<p>A <em>definition</em> kept ${n}</p>`);
    keepRendered(file, 'tool-a');
    const kept = JSON.parse(readFileSync(file, 'utf8')) as { tool: string; texts: [string, string][] };
    expect(kept.tool).toBe('tool-a');
    expect(kept.texts).toContainEqual([text, html]);

    // what is recalled is what renderMarkdown gives: a text kept with other HTML shows it is taken as kept
    const other = `Another text ${Math.random()}`;
    writeFileSync(file, JSON.stringify({ tool: 'tool-b', texts: [[other, '<p>as kept</p>']] }));
    recallRendered(file, 'tool-a'); // another code's: not taken
    expect(renderMarkdown(other)).toBe(`<p>${other}</p>`);
    const third = `A third text ${Math.random()}`;
    writeFileSync(file, JSON.stringify({ tool: 'tool-b', texts: [[third, '<p>as kept</p>']] }));
    recallRendered(file, 'tool-b');
    expect(renderMarkdown(third)).toBe('<p>as kept</p>');
    // an unreadable file is no cache
    writeFileSync(file, '{');
    expect(() => recallRendered(file, 'tool-b')).not.toThrow();
  });
});
