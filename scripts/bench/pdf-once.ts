/** Child process for the benchmark: render a site model's first one-pager, cold then warm. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TuplePage } from '../../src/core/site-model.ts';
import { renderOnePager } from '../../src/pdf/render.ts';

const modelPath = process.argv[2] ?? join(resolve(import.meta.dirname, '..', '..'), '.readback', 'site', 'model.json');
const model = JSON.parse(readFileSync(modelPath, 'utf8')) as { tuples: TuplePage[]; site_url: string };
const tuple = model.tuples[0]!;
let started = performance.now();
await renderOnePager(tuple, model.site_url, 'LETTER');
const coldMs = performance.now() - started;
const runs = 10;
started = performance.now();
for (let i = 0; i < runs; i++) await renderOnePager(tuple, model.site_url, 'LETTER');
process.stdout.write(`${JSON.stringify({ coldMs, warmMs: (performance.now() - started) / runs })}\n`);
