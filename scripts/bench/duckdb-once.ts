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
for (const file of files) {
  const d = (column: string, scale: number) => `CAST("${column}" AS DECIMAL(38, ${scale}))`;
  const sql = `
    SELECT
      sum(${d('m.requests.total', 0)}),
      sum(${d('m.sla.availability_pct', 2)} * ${d('m.requests.total', 0)}) / sum(${d('m.requests.total', 0)}),
      max(${d('m.api.p95_latency_ms', 0)}),
      sum(${d('m.orders.shipped', 0)}),
      sum(${d('m.orders.on_time_pct', 2)} * ${d('m.orders.shipped', 0)}) / sum(${d('m.orders.shipped', 0)}),
      arg_max(${d('m.incidents.open', 0)}, period_start),
      arg_max(${d('m.backlog.tickets', 0)}, period_start),
      sum(${d('m.revenue.billed_minor', 0)})
    FROM read_csv('${file.replace(/'/g, "''")}', header = true, all_varchar = true, delim = ',', quote = '"')`;
  const reader = await connection.runAndReadAll(sql);
  results.push(reader.getRows()[0]!.map(String));
}
process.stdout.write(`${JSON.stringify({ ms: performance.now() - started, maxRssMb: peakRssMb(), results })}\n`);
