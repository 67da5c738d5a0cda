/**
 * Child process for the benchmark: csv-parse alone (streaming, no cast) over files, the
 * reconcile's floor. `--info` adds the per-record line info reconcile asks for.
 */
import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { peakRssMb } from './peak-rss.ts';

const info = process.argv[2] === '--info';
const files = process.argv.slice(info ? 3 : 2);
const started = performance.now();
let records = 0;
for (const file of files) {
  await pipeline(
    createReadStream(file),
    parse({ info }),
    new Writable({
      objectMode: true,
      write(_record, _encoding, callback) {
        records++;
        callback();
      },
    }),
  );
}
process.stdout.write(`${JSON.stringify({ ms: performance.now() - started, records, maxRssMb: peakRssMb() })}\n`);
