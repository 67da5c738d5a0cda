/** What the verify workers read of each page, kept for the next build (src/publish/page-reads.ts). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepPageReads, type PageRead, pageReadsJson, readPageReads } from '../src/publish/page-reads.ts';
import { tempDir } from './helpers/workspace.ts';

const read = (n: number): [string, PageRead] => [
  `annex/t${n}/index.html`,
  {
    stamp: `1:${n}:20:30`,
    hash: String(n).repeat(64).slice(0, 64),
    ids: [`m-${n}`, 'x"y'],
    hrefs: ['/a/', `/b/#${n}`],
  },
];

describe('the pages read, kept', () => {
  it("are written from each worker's list as the JSON of them all, and read back the same", async () => {
    const file = join(tempDir(), 'pages-read.json');
    const first = [read(1), read(2)];
    const second = [read(3)];
    // a worker that read no page hands over an empty list
    await keepPageReads(file, 'tool "t"', [pageReadsJson(first), pageReadsJson([]), pageReadsJson(second)]);
    expect(readFileSync(file, 'utf8')).toBe(JSON.stringify({ tool: 'tool "t"', pages: [...first, ...second] }));
    expect(readPageReads(file, 'tool "t"')).toEqual(new Map([...first, ...second]));
    expect(readPageReads(file, 'another tool')).toEqual(new Map());
    await keepPageReads(file, 't', [pageReadsJson([])]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ tool: 't', pages: [] });
  });
});
