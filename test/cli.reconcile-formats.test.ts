import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reconcileSummary } from '../src/core/report-format.ts';
import { ReconcileReportSchema } from '../src/core/schemas.ts';
import { runCli } from './helpers/cli.ts';
import { copyWorkspace, editCell, editExport, MINIMAL_EXAMPLE, tempDir } from './helpers/workspace.ts';

const TUPLE = 'globex-2026-w27';

/** A red workspace (one metric's partner value moved) inside `parent/ws`, and its report. */
async function redWorkspace() {
  const root = copyWorkspace(MINIMAL_EXAMPLE);
  editExport(root, TUPLE, 'partner', (text) => editCell(text, 1, 'kpi.orders.total', (old) => String(Number(old) + 7)));
  const json = await runCli(['reconcile', '--root', root, '--json']);
  expect(json.code).toBe(1);
  return { root, report: ReconcileReportSchema.parse(JSON.parse(json.stdout)) };
}

describe('readback reconcile --format', () => {
  it('github: one annotation per problem on the file, line and column it names, under the workspace as the job sees it', async () => {
    const root = copyWorkspace(MINIMAL_EXAMPLE);
    editExport(root, TUPLE, 'partner', (text) => editCell(text, 2, 'kpi.queue.depth', () => '1x5'));
    const cwd = join(root, '..');
    const result = await runCli(['reconcile', '--root', root, '--format', 'github'], cwd);
    expect(result.code).toBe(2);
    const lines = result.stdout.trimEnd().split('\n');
    const json = await runCli(['reconcile', '--root', root, '--json']);
    const report = ReconcileReportSchema.parse(JSON.parse(json.stdout));
    const problems = report.tuples.flatMap((t) => t.problems);
    expect(problems.some((p) => p.code === 'BAD_NUMBER')).toBe(true);
    expect(lines).toHaveLength(problems.length + 1);
    const folder = root.split('/').pop()!;
    for (const [index, p] of problems.entries()) {
      expect(lines[index]).toContain(`::error file=${folder}/${p.file}`);
      if (p.line) expect(lines[index]).toContain(`,line=${p.line}`);
      // a CSV column is a field number, which GitHub would read as a character: the line only
      if (p.column && !p.file!.endsWith('.csv')) expect(lines[index]).toContain(`,col=${p.column}`);
      if (p.file!.endsWith('.csv')) expect(lines[index]).not.toContain(',col=');
      expect(lines[index]).toContain(`title=${p.code} ${TUPLE}`);
    }
    expect(lines.at(-1)).toMatch(/^::error title=readback reconcile::invalid: 1 tuple/);
    expect(result.stderr).toContain(TUPLE); // the human summary still goes to stderr
  });

  it('junit: a suite per tuple, a case per metric and one for the other checks; failures where the report has them', async () => {
    const { root, report } = await redWorkspace();
    const result = await runCli(['reconcile', '--root', root, '--format', 'junit']);
    expect(result.code).toBe(1);
    const tuple = report.tuples[0]!;
    const cases = result.stdout.match(/<testcase /g) ?? [];
    expect(cases).toHaveLength(tuple.metrics.length + 1);
    const failing = tuple.metrics.filter((m) => m.status === 'fail').map((m) => m.metric_id);
    expect(failing).toEqual(['kpi.orders.total']);
    expect(result.stdout).toMatch(
      /<testcase classname="globex-2026-w27" name="kpi.orders.total">\s*<failure type="(PERIOD_)?VARIANCE_EXCEEDED"/,
    );
    const declared = Number(/<testsuites [^>]*failures="(\d+)"/.exec(result.stdout)![1]);
    const failedCases = result.stdout.split('<testcase ').filter((c) => c.includes('<failure')).length;
    expect(declared).toBe(failedCases);
    expect(result.stdout).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/); // every & escaped
  });

  it('markdown: the verdict, each tuple and every problem with its place, for a pull request', async () => {
    const { root, report } = await redWorkspace();
    const result = await runCli(['reconcile', '--root', root, '--format', 'markdown']);
    expect(result.stdout).toMatch(/^## Readback reconcile: red/);
    for (const p of report.tuples[0]!.problems) expect(result.stdout).toContain(`\`${p.code}\``);
    expect(result.stdout).toContain(`| ❌ | \`${TUPLE}\` | red |`);
  });

  it('text prints the summary on stdout; json is --json; a bad or doubled format is a usage error', async () => {
    const { root, report } = await redWorkspace();
    expect((await runCli(['reconcile', '--root', root, '--format', 'text'])).stdout).toBe(
      `${reconcileSummary(report)}\n`,
    );
    const viaFormat = await runCli(['reconcile', '--root', root, '--format', 'json']);
    const viaJson = await runCli(['reconcile', '--root', root, '--json']);
    expect(viaFormat.stdout).toBe(viaJson.stdout);
    expect((await runCli(['reconcile', '--root', root, '--format', 'yaml'])).code).toBe(64);
    expect((await runCli(['reconcile', '--root', root, '--json', '--format', 'github'])).code).toBe(64);
    expect((await runCli(['reconcile', '--root', tempDir(), '--format', 'github'])).stdout).toContain(
      '::error title=NOT_A_WORKSPACE',
    );
  });
});
