/**
 * Child process for the benchmark: DuckDB, one thread, computing the same exact aggregates as
 * reconcile over the same two files (DECIMAL arithmetic, no floats). Only runs when
 * `@duckdb/node-api` is installed (`npm i --no-save @duckdb/node-api`); it is not a dependency.
 */
import { peakRssMb } from './peak-rss.ts';

const files = process.argv.slice(2);
const { DuckDBInstance } = await import('@duckdb/node-api' as string);
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
await connection.run('SET threads = 1');
const started = performance.now();
const results = [];
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
for (const file of files) {
  const sql = `
    SELECT
      sum("m.requests.total"),
      sum("m.sla.availability_pct" * "m.requests.total") / sum("m.requests.total"),
      max("m.api.p95_latency_ms"),
      sum("m.orders.shipped"),
      sum("m.orders.on_time_pct" * "m.orders.shipped") / sum("m.orders.shipped"),
      arg_max("m.incidents.open", period_start),
      arg_max("m.backlog.tickets", period_start),
      sum("m.revenue.billed_minor")
    FROM read_csv('${file.replace(/'/g, "''")}', header = true, delim = ',', quote = '"', types = {${typeList}})`;
  const reader = await connection.runAndReadAll(sql);
  results.push(reader.getRows()[0]!.map(String));
}
process.stdout.write(`${JSON.stringify({ ms: performance.now() - started, maxRssMb: peakRssMb(), results })}\n`);
