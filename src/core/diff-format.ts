/** docs/reference/dictionary-changes.md: one diff, five formats. Every finding carries its rule id and fingerprint in each. */
import { githubData, githubProperty, markdownCell, OUTPUT_FORMATS, type OutputFormat, xml } from './ci-text.ts';
import { CLASS_ORDER, type DiffReport, type Finding } from './diff.ts';

export const DIFF_FORMATS = OUTPUT_FORMATS;
export type DiffFormat = OutputFormat;

export interface FormatContext {
  /** file annotations point at (the TO side), and the line of each metric in it */
  file: string;
  metricLines: ReadonlyMap<string, number>;
  /** "check" or "diff": names the suite and the heading */
  command: 'check' | 'diff';
}

export function formatDiff(report: DiffReport, format: DiffFormat, context: FormatContext): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'text':
      return formatText(report);
    case 'markdown':
      return formatMarkdown(report);
    case 'junit':
      return formatJunit(report, context);
    case 'github':
      return formatGithub(report, context);
  }
}

function verdict(report: DiffReport): string {
  const violations = report.findings.filter((f) => f.violation).length;
  return report.ok ? 'passes check' : `fails check (${violations} violation${violations === 1 ? '' : 's'})`;
}

function show(value: string | number | null): string {
  if (value === null) return '—';
  const text = String(value).replace(/\s+/g, ' ').trim();
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function formatText(report: DiffReport): string {
  const lines = [
    `dictionary ${report.from} → ${report.to}: ${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}, needs a ${report.required_bump} bump, got ${report.actual_bump}; ${verdict(report)}`,
  ];
  for (const f of report.findings) {
    const mark = f.violation ? '✗' : '·';
    lines.push(
      `${mark} ${f.class.padEnd(10)} ${f.rule.padEnd(28)} ${(f.metric_id ?? '(dictionary)').padEnd(28)} [${f.fingerprint}] ${f.message}`,
    );
    if (f.note) lines.push(`  ${''.padEnd(10)} note: ${f.note}`);
  }
  return `${lines.join('\n')}\n`;
}

export function groupByClass<F extends Finding>(findings: readonly F[]): [string, F[]][] {
  return CLASS_ORDER.map((c) => [c, findings.filter((f) => f.class === c)] as [string, F[]]).filter(
    ([, list]) => list.length > 0,
  );
}

function formatMarkdown(report: DiffReport): string {
  const out = [
    `## Metric dictionary ${report.from} → ${report.to}`,
    '',
    `**${report.ok ? 'Passes' : 'Fails'} \`readback dictionary check\`** · changes need a **${report.required_bump}** bump · version rose by **${report.actual_bump}** · ${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}`,
    '',
  ];
  if (report.findings.length === 0) out.push('No changes.', '');
  for (const [cls, list] of groupByClass(report.findings)) {
    out.push(`### ${cls[0]!.toUpperCase()}${cls.slice(1)} (${list.length})`, '');
    out.push('| | Rule | Metric | Before | After | Intent note | Fingerprint |', '|---|---|---|---|---|---|---|');
    for (const f of list) {
      const cells = [
        f.violation ? '❌' : '✅',
        `\`${f.rule}\``,
        f.metric_id ? `\`${f.metric_id}\`` : '(dictionary)',
        markdownCell(show(f.before)),
        markdownCell(show(f.after)),
        markdownCell(f.note ?? (f.note_required ? '**missing**' : '—')),
        `\`${f.fingerprint}\``,
      ];
      out.push(`| ${cells.join(' | ')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

function formatJunit(report: DiffReport, context: FormatContext): string {
  const failures = report.findings.filter((f) => f.violation).length;
  const suite = `readback dictionary ${context.command} ${report.from}..${report.to}`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="readback" tests="${report.findings.length}" failures="${failures}">`,
    `  <testsuite name="${xml(suite)}" tests="${report.findings.length}" failures="${failures}">`,
  ];
  for (const f of report.findings) {
    const name = `${f.rule} ${f.metric_id ?? '(dictionary)'} [${f.fingerprint}]`;
    lines.push(`    <testcase classname="dictionary.${f.class}" name="${xml(name)}" file="${xml(context.file)}">`);
    if (f.violation)
      lines.push(
        `      <failure type="${f.rule}" message="${xml(f.message)}">${xml(`${f.message}\nbefore: ${show(f.before)}\nafter: ${show(f.after)}`)}</failure>`,
      );
    else lines.push(`      <system-out>${xml(f.note ? `${f.message}\nnote: ${f.note}` : f.message)}</system-out>`);
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

/** GitHub workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions */
function formatGithub(report: DiffReport, context: FormatContext): string {
  const lines = report.findings.map((f) => {
    const level = f.violation
      ? 'error'
      : f.class === 'cosmetic' || f.class === 'clarifying' || f.class === 'additive'
        ? 'notice'
        : 'warning';
    const line = f.metric_id ? (context.metricLines.get(f.metric_id) ?? 1) : 1;
    const title = `${f.rule} [${f.fingerprint}]`;
    return `::${level} file=${githubProperty(context.file)},line=${line},title=${githubProperty(title)}::${githubData(f.note ? `${f.message} (note: ${f.note})` : f.message)}`;
  });
  lines.push(
    `::${report.ok ? 'notice' : 'error'} title=${githubProperty('readback dictionary')}::${githubData(`${report.from} → ${report.to}: ${verdict(report)}`)}`,
  );
  return `${lines.join('\n')}\n`;
}
