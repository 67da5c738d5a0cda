/**
 * Tuple words kept by content (src/io/words-cache.ts): what a tuple's tuple.yaml and readback.md
 * read to is taken as kept only for the same texts and the same code, and is what a fresh reading
 * gives.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSiteContent } from '../src/io/site-inputs.ts';
import { WordsCache, WORDS_CACHE_FILE } from '../src/io/words-cache.ts';
import { buildSite } from './helpers/site.ts';
import { copyWorkspace, editYaml, tuplePath } from './helpers/workspace.ts';

describe('tuple words kept by content', () => {
  it('reads what a fresh reading gives, takes the kept words only for the same texts and code', async () => {
    const root = copyWorkspace();
    const built = await buildSite(root);
    expect(built.status, built.stderr).toBe(0);
    const report = built.result.report!;
    const file = join(root, WORDS_CACHE_FILE);
    const fresh = readSiteContent(root, report);

    // the build kept every tuple's words, and they read to what a fresh reading gives
    const kept = JSON.parse(readFileSync(file, 'utf8')) as { tool: string; entries: unknown[] };
    expect(kept.entries).toHaveLength(report.tuples.length);
    const tool = kept.tool;
    const again = readSiteContent(root, report, new WordsCache(file, tool));
    expect(again).toEqual(fresh);

    // a kept entry is what is used: one changed in the file shows, under the same code only
    const entries = kept.entries as [string, { config: { title: string } }][];
    for (const [, words] of entries) words.config.title = `${words.config.title} (kept)`;
    writeFileSync(file, JSON.stringify({ tool, entries }));
    const titles = (content: ReturnType<typeof readSiteContent>) =>
      [...content.content.values()].map((tuple) => tuple.config.title);
    expect(titles(readSiteContent(root, report, new WordsCache(file, tool)))).toEqual(
      titles(fresh).map((title) => `${title} (kept)`),
    );
    expect(readSiteContent(root, report, new WordsCache(file, 'another tool'))).toEqual(fresh);

    // a changed tuple.yaml is read afresh; the other tuples' words are still taken as kept
    const [first, ...rest] = report.tuples.map((tuple) => tuple.tuple_id);
    editYaml(tuplePath(root, first!, 'tuple.yaml'), (text) => text.replace(/^title: .*$/m, 'title: A new title'));
    const changed = readSiteContent(root, report, new WordsCache(file, tool));
    expect(changed.content.get(first!)!.config.title).toBe('A new title');
    for (const id of rest) expect(changed.content.get(id)!.config.title).toMatch(/ \(kept\)$/);
  }, 120_000);
});
