/**
 * Child process for the benchmark: DuckDB computing what reconcile computes over the same two
 * files, with as many threads as it is given (`--threads N`, default 1): each file's SHA-256 (the
 * manifest check), the window's exact aggregates and every period's (DECIMAL arithmetic, no
 * floats). Only runs when `@duckdb/node-api` is installed (`npm i --no-save @duckdb/node-api`); it
 * is not a dependency.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { peakRssMb } from './peak-rss.ts';

const threads = process.argv[2] === '--threads' ? Number(process.argv[3]) : 1;
const files = process.argv.slice(process.argv[2] === '--threads' ? 4 : 2);
const { DuckDBInstance } = await import('@duckdb/node-api' as string);
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
await connection.run(`SET threads = ${threads}`);
const started = performance.now();
const cpuStarted = process.cpuUsage();
const results = [];
const periods = [];
const hashes = [];
// each column read straight into an exact 64-bit DECIMAL of its precision; sums widen to DECIMAL(38)
const types = {
  'm.requests.total': 'DECIMAL(18,0)',
  'm.sla.availability_pct': 'DECIMAL(18,2)',
  'm.api.p95_latency_ms': 'DECIMAL(18,0)',
  'm.orders.shipped': 'DECIMAL(18,0)',
  'm.orders.on_time_pct': 'DECIMAL(18,2)',
  'm.incidents.open': 'DECIMAL(18,0)',
  'm.backlog.tickets': 'DECIMAL(18,0)',
  'm.revenue.billed_minor': 'DECIMAL(18,0)',
};
const typeList = Object.entries(types)
  .map(([column, type]) => `'${column}': '${type}'`)
  .join(', ');
const sha256 = (file: string) =>
  new Promise<string>((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
for (const file of files) {
  // the file's SHA-256, as reconcile checks it against the manifest: before the query on one
  // thread, beside it (on this process's own thread) when DuckDB has more
  const hashed = threads > 1 ? sha256(file) : Promise.resolve(await sha256(file));
  // one scan of the file: every period's exact aggregates (a weighted average as its two sums);
  // the window's are folded from the periods', as reconcile folds them
  await connection.run(`CREATE OR REPLACE TEMP TABLE p AS
    SELECT period_start,
      sum("m.requests.total") AS requests,
      sum("m.sla.availability_pct" * "m.requests.total") AS availability_weighted,
      max("m.api.p95_latency_ms") AS p95,
      sum("m.orders.shipped") AS shipped,
      sum("m.orders.on_time_pct" * "m.orders.shipped") AS on_time_weighted,
      max("m.incidents.open") AS incidents,
      max("m.backlog.tickets") AS backlog,
      sum("m.revenue.billed_minor") AS revenue
    FROM read_csv('${file.replace(/'/g, "''")}', header = true, delim = ',', quote = '"', types = {${typeList}, 'period_start': 'TIMESTAMP'})
    GROUP BY period_start`);
  const window = await connection.runAndReadAll(`SELECT
      sum(requests), sum(availability_weighted) / sum(requests), max(p95), sum(shipped),
      sum(on_time_weighted) / sum(shipped), arg_max(incidents, period_start), arg_max(backlog, period_start), sum(revenue)
    FROM p`);
  results.push(window.getRows()[0]!.map(String));
  // every period's value of the metrics summed or maximised (reconcile reports them per period)
  const perPeriod = await connection.runAndReadAll(
    `SELECT strftime(period_start, '%Y-%m-%dT%H:%M:%SZ'), requests, p95, shipped, revenue FROM p ORDER BY period_start`,
  );
  periods.push(perPeriod.getRows().map((row: unknown[]) => row.map(String)));
  hashes.push(await hashed);
}
const cpu = process.cpuUsage(cpuStarted);
process.stdout.write(
  `${JSON.stringify({ ms: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMb: peakRssMb(), results, periods, hashes })}\n`,
);
