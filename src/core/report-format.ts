/** The reconcile report as people read it on a terminal. The report itself is the machine interface. */
import { githubData, githubProperty, markdownCell, type OutputFormat, xml } from './ci-text.ts';
import { windowPasses } from './failure.ts';
import { formatLocation, formatProblem, type Problem } from './problems.ts';
import type { ReconcileReport, TupleReport } from './schemas.ts';
import { shortHash } from './hash.ts';

const MARK = { green: 'ok  ', red: 'RED ', invalid: 'BAD ' } as const;

export function reconcileSummary(report: ReconcileReport): string {
  const lines: string[] = [];
  for (const p of report.problems) lines.push(formatProblem(p));
  const width = Math.max(8, ...report.tuples.map((t) => t.tuple_id.length));
  for (const tuple of report.tuples) {
    const hash = tuple.tuple_revision_hash ? `sha256:${shortHash(tuple.tuple_revision_hash)}` : 'no hash';
    const passed = tuple.metrics.filter((m) => m.status === 'pass').length;
    const detail =
      tuple.status === 'green'
        ? `${passed} metrics within epsilon`
        : tuple.problems.length === 0
          ? 'not reconciled: its dictionary is unreadable (see above)'
          : `${tuple.problems.length} problem${tuple.problems.length === 1 ? '' : 's'}`;
    lines.push(`${MARK[tuple.status]}${tuple.tuple_id.padEnd(width)}  ${tuple.status.padEnd(7)}  ${hash}  ${detail}`);
    for (const metric of tuple.metrics.filter((m) => m.status === 'fail')) {
      const periods = (metric.periods ?? []).filter((p) => p.status === 'fail').length;
      const inPeriods = periods > 0 ? `; ${periods} period${periods === 1 ? '' : 's'} apart by more than epsilon` : '';
      const window = windowPasses(metric)
        ? `leadership ${metric.leadership}, partner ${metric.partner} over the window (within epsilon ${metric.epsilon})`
        : `leadership ${metric.leadership}, partner ${metric.partner}, delta ${metric.delta} > epsilon ${metric.epsilon}`;
      lines.push(`      ${metric.metric_id}: ${window}${inPeriods}  (owner ${metric.owner})`);
    }
    for (const p of tuple.problems.filter((p) => p.code !== 'VARIANCE_EXCEEDED')) {
      lines.push(`      ${formatProblem(p)}`);
    }
  }
  const counts = { green: 0, red: 0, invalid: 0 };
  for (const tuple of report.tuples) counts[tuple.status]++;
  lines.push(
    `${report.tuples.length} tuple${report.tuples.length === 1 ? '' : 's'}: ${counts.green} green, ${counts.red} red, ${counts.invalid} invalid (dictionary ${report.dictionary_version ?? 'unreadable'})`,
  );
  return lines.join('\n');
}

export interface ReconcileFormatContext {
  /** how the workspace root is reached from where the CI job runs ('' when it is that folder), `/`-separated */
  rootPath: string;
}

/** The reconcile report for a CI job or a pull request: `readback reconcile --format F`. */
export function formatReconcile(
  report: ReconcileReport,
  format: OutputFormat,
  context: ReconcileFormatContext,
): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'text':
      return `${reconcileSummary(report)}\n`;
    case 'markdown':
      return reconcileMarkdown(report);
    case 'junit':
      return reconcileJunit(report, context);
    case 'github':
      return reconcileGithub(report, context);
  }
}

/** "1 tuple", "3 tuples", "2 hashes" */
export function counted(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
}

function verdictLine(report: ReconcileReport): string {
  const counts = { green: 0, red: 0, invalid: 0 };
  for (const tuple of report.tuples) counts[tuple.status]++;
  return `${counted(report.tuples.length, 'tuple')}: ${counts.green} green, ${counts.red} red, ${counts.invalid} invalid`;
}

/** A problem's file as the CI job sees it: under the workspace root. */
function jobPath(file: string, context: ReconcileFormatContext): string {
  return context.rootPath === '' || context.rootPath === '.' ? file : `${context.rootPath.replace(/\/$/, '')}/${file}`;
}

/** Problems the report lists at run level and on each tuple, each with the tuple it belongs to (null: the run's). */
function allProblems(report: ReconcileReport): { tuple: TupleReport | null; problem: Problem }[] {
  return [
    ...report.problems.map((problem) => ({ tuple: null, problem })),
    ...report.tuples.flatMap((tuple) => tuple.problems.map((problem) => ({ tuple, problem }))),
  ];
}

function reconcileMarkdown(report: ReconcileReport): string {
  const icon = { green: '✅', red: '❌', invalid: '⛔' } as const;
  const out = [
    `## Readback reconcile: ${report.status}`,
    '',
    `${verdictLine(report)} · dictionary ${report.dictionary_version ?? 'unreadable'}`,
    '',
  ];
  if (report.tuples.length > 0) {
    out.push(
      '| | Tuple | Status | Tuple revision hash | Metrics within epsilon | Problems |',
      '|---|---|---|---|---|---|',
    );
    for (const tuple of report.tuples) {
      const passed = tuple.metrics.filter((m) => m.status === 'pass').length;
      const hash = tuple.tuple_revision_hash ? `\`sha256:${shortHash(tuple.tuple_revision_hash)}\`` : '—';
      out.push(
        `| ${icon[tuple.status]} | \`${tuple.tuple_id}\` | ${tuple.status} | ${hash} | ${passed} of ${tuple.metrics.length} | ${tuple.problems.length} |`,
      );
    }
    out.push('');
  }
  const listed = allProblems(report);
  if (listed.length > 0) {
    out.push('### Problems', '', '| Tuple | Code | Where | Metric | What |', '|---|---|---|---|---|');
    for (const { tuple, problem } of listed) {
      const where = formatLocation(problem);
      out.push(
        `| ${tuple ? `\`${tuple.tuple_id}\`` : '(run)'} | \`${problem.code}\` | ${where ? `\`${markdownCell(where)}\`` : '—'} | ${problem.metric_id ? `\`${problem.metric_id}\`` : '—'} | ${markdownCell(problem.message)} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

/** One test suite per tuple: a test case per metric, and one for the checks that are no metric's. */
function reconcileJunit(report: ReconcileReport, context: ReconcileFormatContext): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  const failure = (problems: readonly Problem[]) =>
    problems
      .map(
        (p) =>
          `      <failure type="${p.code}" message="${xml(p.message)}">${xml(formatProblem({ ...p, ...(p.file ? { file: jobPath(p.file, context) } : {}) }))}</failure>`,
      )
      .join('\n');
  for (const tuple of report.tuples) {
    const cases: string[] = [];
    const metricProblems = (id: string) => tuple.problems.filter((p) => p.metric_id === id);
    for (const metric of tuple.metrics) {
      const problems = metricProblems(metric.metric_id);
      const body =
        metric.status === 'fail' || problems.length > 0
          ? failure(
              problems.length > 0
                ? problems
                : [
                    {
                      code: 'VARIANCE_EXCEEDED',
                      message: `leadership ${metric.leadership}, partner ${metric.partner}, delta ${metric.delta} > epsilon ${metric.epsilon}`,
                    },
                  ],
            )
          : `      <system-out>${xml(`leadership ${metric.leadership}, partner ${metric.partner}, delta ${metric.delta}, epsilon ${metric.epsilon}`)}</system-out>`;
      cases.push(
        `    <testcase classname="${xml(tuple.tuple_id)}" name="${xml(metric.metric_id)}">\n${body}\n    </testcase>`,
      );
    }
    const reported = new Set(tuple.metrics.map((m) => m.metric_id));
    const others = tuple.problems.filter((p) => !p.metric_id || !reported.has(p.metric_id));
    cases.push(
      `    <testcase classname="${xml(tuple.tuple_id)}" name="inputs and parity">${others.length > 0 ? `\n${failure(others)}\n    ` : ''}</testcase>`,
    );
    const failed = cases.filter((c) => c.includes('<failure')).length;
    tests += cases.length;
    failures += failed;
    suites.push(
      `  <testsuite name="${xml(`readback reconcile ${tuple.tuple_id}`)}" tests="${cases.length}" failures="${failed}">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  if (report.problems.length > 0) {
    tests += 1;
    failures += 1;
    suites.push(
      `  <testsuite name="readback reconcile" tests="1" failures="1">\n    <testcase classname="readback" name="workspace">\n${failure(report.problems)}\n    </testcase>\n  </testsuite>`,
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="readback reconcile" tests="${tests}" failures="${failures}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

/** One annotation per problem, on the file, line and column it names; a last line with the verdict. */
function reconcileGithub(report: ReconcileReport, context: ReconcileFormatContext): string {
  const lines = allProblems(report).map(({ tuple, problem }) => {
    const properties = [
      ...(problem.file ? [`file=${githubProperty(jobPath(problem.file, context))}`] : []),
      ...(problem.line ? [`line=${problem.line}`] : []),
      // a CSV problem's column is the field number, not the character GitHub would mark: the line only
      ...(problem.column && !problem.file?.endsWith('.csv') ? [`col=${problem.column}`] : []),
      `title=${githubProperty(`${problem.code}${tuple ? ` ${tuple.tuple_id}` : ''}${problem.metric_id ? ` ${problem.metric_id}` : ''}`)}`,
    ];
    return `::error ${properties.join(',')}::${githubData(problem.message)}`;
  });
  lines.push(
    `::${report.status === 'green' ? 'notice' : 'error'} title=${githubProperty('readback reconcile')}::${githubData(`${report.status}: ${verdictLine(report)}`)}`,
  );
  return `${lines.join('\n')}\n`;
}
