/**
 * The one-pagers' fonts are read from memory (src/pdf/render.ts): a font named by a file is read
 * with an asynchronous file call, which in a build waits behind every file being written on
 * Node's few file threads. The first render in this file's fresh module graph loads the fonts.
 */
import fs from 'node:fs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SiteModel } from '../src/core/site-model.ts';
import { renderOnePager } from '../src/pdf/render.ts';
import { useBuiltSite } from './helpers/site.ts';

const site = useBuiltSite();

afterEach(() => vi.restoreAllMocks());

describe('one-pager fonts', () => {
  it('embeds its fonts without reading a font file asynchronously', async () => {
    const model = JSON.parse(readFileSync(join(site.root, '.readback/site/model.json'), 'utf8')) as SiteModel;
    const readFile = vi.spyOn(fs.promises, 'readFile');
    const open = vi.spyOn(fs.promises, 'open');
    const pdf = (await renderOnePager(model.tuples[0]!, model.site_url, 'LETTER')).toString('latin1');
    // the fonts are in the document
    expect(pdf).toMatch(/\/BaseFont \/[A-Z]{6}\+Inter/);
    expect(pdf).toMatch(/\/BaseFont \/[A-Z]{6}\+JetBrains/);
    const fontCalls = [...readFile.mock.calls, ...open.mock.calls].filter(([path]) =>
      /\.(ttf|woff2?|otf)$/.test(String(path)),
    );
    expect(fontCalls).toEqual([]);
  });
});
