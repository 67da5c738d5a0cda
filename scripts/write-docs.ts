/**
 * Rewrites the generated sections of the reference docs (docs/reference/*.md) from the tables the
 * code holds, so the docs cannot drift from them: the problem codes (PROBLEMS), the dictionary
 * diff rules (RULES), the command line's help texts (HELP) and the published JSON Schemas
 * (PUBLISHED_SCHEMAS). The examples are real runs: each bad-input case of test/fixtures/bad/ is
 * reconciled, each dictionary case of test/fixtures/dictionary/ is checked, and the build-time
 * refusals come from the functions that make them.
 *
 * A generated section sits between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`;
 * everything outside the markers is written by hand. Run: npm run docs (a test fails when the
 * committed docs differ from what this writes).
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { HELP } from '../src/cli/main.ts';
import { formatDiff } from '../src/core/diff-format.ts';
import { RULES, type RuleId } from '../src/core/diff.ts';
import { checkDictionary } from '../src/core/governance.ts';
import { PUBLISHED_SCHEMAS, schemaFileName } from '../src/core/json-schemas.ts';
import { partnerSiteUrlProblems } from '../src/core/partner-bundles.ts';
import {
  formatProblem,
  type LeavesOut,
  type Problem,
  PROBLEM_CODES,
  type ProblemCode,
  PROBLEMS,
  type Severity,
  showInvisible,
  STATUS_EXIT_CODE,
} from '../src/core/problems.ts';
import { readHistoryIntegrity } from '../src/io/dictionary-history.ts';
import { reconcileWorkspace } from '../src/io/reconcile-workspace.ts';
import { brokenLinks } from '../src/io/links.ts';
import { verifySite } from '../src/io/verify.ts';
import { CURRENT_DICTIONARY, loadDictionaryCatalog } from '../src/io/workspace.ts';
import {
  buildInProgress,
  outputFolderProblems,
  publish,
  removedAnchors,
  siteUrlProblems,
} from '../src/publish/publish.ts';
import { badCaseNames, badCaseSpec, materializeBadCase } from '../test/helpers/bad-cases.ts';
import { REPO_ROOT, tempDir } from '../test/helpers/workspace.ts';

export const REFERENCE_DIR = join(REPO_ROOT, 'docs', 'reference');
/** removals are judged against a date: the examples pin one so they read the same every day */
const EXAMPLE_TODAY = '2026-11-26';
const STEP_NAMES: Record<number, string> = {
  0: "the workspace's own files",
  1: 'manifests and files',
  2: 'window parity',
  3: 'dictionary version',
  4: 'headers',
  5: 'rows',
  6: 'bypass parity',
  7: 'aggregates',
  8: 'building and publishing',
};
const SEVERITY_EXIT: Record<Severity, number> = {
  invalid: STATUS_EXIT_CODE.invalid,
  red: STATUS_EXIT_CODE.red,
  publish: STATUS_EXIT_CODE.red,
};
const LEAVES_OUT: Record<LeavesOut, string> = {
  rows: 'the rows it concerns are left out of the aggregates and the bypass pairs',
  metric: 'that metric is not compared',
  'bypass-pairs': 'the bypass pairs are not judged',
};

/** One line of a file as a reader can see it: invisible characters and invalid bytes named, long lines cut. */
function shownLine(bytes: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = [...bytes].map((b) => (b < 0x80 ? String.fromCharCode(b) : `<0x${b.toString(16).toUpperCase()}>`)).join('');
  }
  const shown = showInvisible(text.replace(/\r$/, ''));
  return shown.length > 110 ? `${shown.slice(0, 110)}…` : shown;
}

/** The line a problem names, from the workspace it was found in; null when it names none or the file is gone. */
function problemLine(root: string, p: Problem): string | null {
  if (p.file === undefined || p.line === undefined) return null;
  const path = join(root, p.file);
  if (!existsSync(path)) return null;
  const bytes = readFileSync(path);
  let start = 0;
  for (let line = 1; line < p.line; line++) {
    const next = bytes.indexOf(0x0a, start);
    if (next < 0) return null;
    start = next + 1;
  }
  const end = bytes.indexOf(0x0a, start);
  return shownLine(bytes.subarray(start, end < 0 ? bytes.length : end));
}

/** Problems as the command line prints them, with a temporary folder's path made a placeholder. */
function printed(problems: readonly Problem[], folders: Record<string, string> = {}): string {
  let text = problems.map(formatProblem).join('\n');
  for (const [path, placeholder] of Object.entries(folders)) text = text.replaceAll(path, placeholder);
  return text;
}

const fence = (text: string, language = 'text') => `\`\`\`${language}\n${text}\n\`\`\``;

interface Example {
  /** how the input came about: a corpus case's name or a sentence */
  title: string;
  /** the offending input, as written */
  input: string | null;
  output: string;
  /** the problems of the example's code, printed */
  own: string;
}

/** Reconciles every bad-input case; its examples grouped by the code it stands for, in case order. */
async function corpusExamples(): Promise<Map<ProblemCode, Example[]>> {
  const examples = new Map<ProblemCode, Example[]>();
  for (const name of badCaseNames()) {
    const spec = badCaseSpec(name);
    const root = materializeBadCase(name, spec);
    const report = await reconcileWorkspace({ root });
    const problems = [...report.problems, ...report.tuples.flatMap((t) => t.problems)];
    const own = problems.filter((p) => p.code === spec.code);
    const first = own[0];
    const line = first ? problemLine(root, first) : null;
    const folders = { [root]: '<workspace>' };
    const example: Example = {
      title: `\`${name}\``,
      input: first && line !== null ? `${first.file}, line ${first.line}:\n  ${line}` : null,
      output: printed(problems, folders),
      own: printed(own, folders),
    };
    examples.set(spec.code, [...(examples.get(spec.code) ?? []), example]);
    rmSync(root, { recursive: true, force: true });
  }
  return examples;
}

/** The refusals no bad input of the corpus makes: the workspace's shape, the dictionary check, the build and verify. */
async function otherExamples(): Promise<Map<ProblemCode, Example[]>> {
  const examples = new Map<ProblemCode, Example[]>();
  const add = (code: ProblemCode, title: string, problems: Problem[], folders: Record<string, string> = {}) => {
    const output = printed(problems, folders);
    const own = printed(
      problems.filter((p) => p.code === code),
      folders,
    );
    examples.set(code, [...(examples.get(code) ?? []), { title, input: null, output, own }]);
  };

  const empty = tempDir('readback-docs-');
  add(
    'NOT_A_WORKSPACE',
    '`readback reconcile --root` an empty folder',
    (await reconcileWorkspace({ root: empty })).problems,
    {
      [empty]: '<folder>',
    },
  );
  const noTuples = tempDir('readback-docs-');
  cpSync(join(REPO_ROOT, 'test', 'fixtures', 'base', 'dictionary'), join(noTuples, 'dictionary'), { recursive: true });
  mkdirSync(join(noTuples, 'content', 'tuples'), { recursive: true });
  add(
    'NO_TUPLES',
    'a workspace whose `content/tuples/` is empty',
    (await reconcileWorkspace({ root: noTuples })).problems,
    {
      [noTuples]: '<workspace>',
    },
  );

  // the build's dictionary check: a unit changed under an existing id
  const changed = tempDir('readback-docs-');
  cpSync(
    join(REPO_ROOT, 'test', 'fixtures', 'dictionary', 'semantics-changed', 'dictionary'),
    join(changed, 'dictionary'),
    {
      recursive: true,
    },
  );
  cpSync(join(REPO_ROOT, 'test', 'fixtures', 'base', 'content'), join(changed, 'content'), { recursive: true });
  const refused = await publish({ root: changed, out: join(changed, 'dist'), today: EXAMPLE_TODAY, log: () => {} });
  add(
    'DICTIONARY_CHECK_FAILED',
    "`npm run build` after a metric's `formula_ref` was changed under its id",
    refused.problems,
  );

  add('BUILD_IN_PROGRESS', 'a second `readback build --out dist` while one runs', [
    buildInProgress('/home/me/kpi/dist', {
      acquired: false,
      path: '/home/me/kpi/dist.lock',
      holder: {
        build: 'b-1',
        pid: 4242,
        host: 'ci-runner-1',
        since: '2026-07-03T02:00:00.000Z',
        command: 'readback build',
      },
    }),
  ]);
  add(
    'SITE_URL_NOT_ORIGIN',
    '`READBACK_SITE_URL=https://kpi.example.org/reports`',
    siteUrlProblems('https://kpi.example.org/reports'),
  );
  add(
    'BAD_SETTING',
    '`READBACK_PARTNER_SITE_URL=https://partners.example.org/acme`',
    partnerSiteUrlProblems('https://partners.example.org/acme'),
  );
  add(
    'OUTPUT_FOLDER_REFUSED',
    '`readback build --root /home/me/kpi --out /home/me`',
    outputFolderProblems('/home/me/kpi', '/home/me'),
  );
  add(
    'BROKEN_LINK',
    'a readback whose text links another site, and an annex anchor that does not exist',
    brokenLinks(
      {
        pages: new Map([
          ['/readback/acme-2026-q2/', new Set(['content'])],
          ['/annex/acme-2026-q2/', new Set(['window', 'metrics'])],
        ]),
        links: [
          { from: '/readback/acme-2026-q2/', href: 'https://status.example.net/' },
          { from: '/readback/acme-2026-q2/', href: '/annex/acme-2026-q2/#carve-outs' },
        ],
      },
      'https://kpi.example.org',
    ),
  );
  add(
    'ANCHOR_REMOVED',
    'a build whose site no longer has an anchor the previous one published',
    removedAnchors(['/annex/acme-2026-q2/#m.sla.availability_pct'], [], new Set()),
  );
  add('NOT_A_SITE', '`readback verify` a folder that holds no built site', verifySite(join(empty, 'site')).problems, {
    [empty]: '<folder>',
  });

  // an archived site whose published partner export was edited afterwards
  const site = tempDir('readback-docs-');
  cpSync(join(REPO_ROOT, 'test', 'fixtures', 'archive', 'minimal-0.1.0'), site, { recursive: true });
  const exportsDir = join(site, 'exports', 'globex-2026-w27');
  const csv = readdirSync(exportsDir).find((name) => name.endsWith('_partner.csv'))!;
  writeFileSync(join(exportsDir, csv), `${readFileSync(join(exportsDir, csv), 'utf8')}\n`);
  add(
    'VERIFY_MISMATCH',
    '`readback verify dist` after a line was added to the published partner CSV',
    verifySite(site).problems,
  );
  for (const folder of [empty, noTuples, changed, site]) rmSync(folder, { recursive: true, force: true });
  return examples;
}

function exampleText(example: Example): string {
  const parts = [`Example — ${example.title}:`, ''];
  if (example.input !== null) parts.push(fence(example.input), '');
  parts.push(fence(example.output));
  return parts.join('\n');
}

function problemSection(code: ProblemCode, examples: readonly Example[]): string {
  const rule = PROBLEMS[code] as { step: number; severity: Severity; leavesOut?: LeavesOut; means: string };
  const step = STEP_NAMES[rule.step];
  if (step === undefined) throw new Error(`write-docs: step ${rule.step} of ${code} has no name`);
  const facts = [
    `step ${rule.step} (${step})`,
    `${rule.severity}, exit ${SEVERITY_EXIT[rule.severity]}`,
    ...(rule.leavesOut ? [`then ${LEAVES_OUT[rule.leavesOut]}`] : []),
  ];
  const parts = [`### \`${code}\``, '', `${facts.join(' · ')}`, '', `**Means:** ${rule.means}.`];
  const [first, ...more] = examples;
  if (first) parts.push('', exampleText(first));
  if (more.length > 0)
    parts.push(
      '',
      `More inputs refused with \`${code}\`:`,
      '',
      fence(more.map((example) => `# ${example.title.replaceAll('`', '')}\n${example.own}`).join('\n')),
    );
  return parts.join('\n');
}

const cell = (text: string) => text.replaceAll('|', '\\|');

function problemsTable(): string {
  const rows = PROBLEM_CODES.map((code) => {
    const rule = PROBLEMS[code];
    return `| [\`${code}\`](#${code.toLowerCase()}) | ${rule.step} | ${rule.severity} | ${SEVERITY_EXIT[rule.severity]} | ${cell(rule.means)} |`;
  });
  return ['| code | step | severity | exit | means |', '|---|---|---|---|---|', ...rows].join('\n');
}

function diffRulesTable(): string {
  const rows = (Object.keys(RULES) as RuleId[]).map((id) => {
    const rule = RULES[id];
    const bump = rule.bump === 'none' ? '—' : rule.bump;
    return `| [\`${id}\`](#${id.toLowerCase()}) | ${cell(rule.means)} | ${rule.class} | ${bump} | ${rule.noteRequired ? 'yes' : 'no'} |`;
  });
  return ['| rule | change | class | bump | intent note |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** `readback dictionary check` on each dictionary case, grouped by the rule it stands for. */
function diffExamples(): string {
  const folder = join(REPO_ROOT, 'test', 'fixtures', 'dictionary');
  const byRule = new Map<string, { name: string; text: string }[]>();
  for (const name of readdirSync(folder).sort()) {
    const root = join(folder, name);
    const { rule } = JSON.parse(readFileSync(join(root, 'expected.json'), 'utf8')) as { rule: string };
    const catalog = loadDictionaryCatalog(root);
    const report = checkDictionary(catalog.current!, catalog.history, readHistoryIntegrity(root), EXAMPLE_TODAY);
    const text = formatDiff(report, 'text', {
      file: CURRENT_DICTIONARY,
      metricLines: catalog.current!.metricLines,
      command: 'check',
    }).trimEnd();
    byRule.set(rule, [...(byRule.get(rule) ?? []), { name, text }]);
  }
  return (Object.keys(RULES) as RuleId[])
    .map((id) => {
      const rule = RULES[id];
      const parts = [`### \`${id}\``, '', `**Change:** ${rule.means}.`];
      for (const { name, text } of byRule.get(id) ?? [])
        parts.push('', `\`readback dictionary check\` — \`${name}\`:`, '', fence(text));
      return parts.join('\n');
    })
    .join('\n\n');
}

function cliSection(): string {
  const topics = ['main', ...Object.keys(HELP).filter((topic) => topic !== 'main')];
  return topics
    .map((topic) => {
      const command = topic === 'main' ? 'readback --help' : `readback help ${topic}`;
      return [`### \`${command}\``, '', fence(HELP[topic]!)].join('\n');
    })
    .join('\n\n');
}

function schemasTable(): string {
  const rows = PUBLISHED_SCHEMAS.map((entry) => {
    const file = schemaFileName(entry.id);
    return `| \`${entry.id}\` | \`schemas/${file}\` | \`/schemas/${file}\` | ${cell(entry.description)} |`;
  });
  return ['| `schema` | in the package | on every site | what |', '|---|---|---|---|', ...rows].join('\n');
}

/** Every generated section, by name. */
export async function generatedSections(): Promise<Map<string, string>> {
  const examples = await corpusExamples();
  for (const [code, more] of await otherExamples()) examples.set(code, [...(examples.get(code) ?? []), ...more]);
  return new Map([
    ['problems-table', problemsTable()],
    ['problems', PROBLEM_CODES.map((code) => problemSection(code, examples.get(code) ?? [])).join('\n\n')],
    ['diff-rules', diffRulesTable()],
    ['diff-examples', diffExamples()],
    ['cli', cliSection()],
    ['schemas', schemasTable()],
    [
      'ci-workflow',
      fence(readFileSync(join(REPO_ROOT, 'templates/init/.github/workflows/readback.yml'), 'utf8').trimEnd(), 'yaml'),
    ],
  ]);
}

const MARKED = /(<!-- generated:([a-z-]+) -->\n)[\s\S]*?(<!-- \/generated:\2 -->)/g;

/** The document with each marked section replaced; an unknown section name is an error. */
export function fillSections(text: string, sections: ReadonlyMap<string, string>, file: string): string {
  return text.replace(MARKED, (_whole, open: string, name: string, close: string) => {
    const content = sections.get(name);
    if (content === undefined) throw new Error(`${file}: no generated section "${name}"`);
    return `${open}${content}\n${close}`;
  });
}

/** Every reference document as the script writes it, by path relative to the repository. */
export async function referenceDocs(): Promise<Map<string, string>> {
  const sections = await generatedSections();
  const docs = new Map<string, string>();
  const used = new Set<string>();
  for (const name of readdirSync(REFERENCE_DIR)
    .filter((n) => n.endsWith('.md'))
    .sort()) {
    const path = join(REFERENCE_DIR, name);
    const text = readFileSync(path, 'utf8');
    for (const match of text.matchAll(MARKED)) used.add(match[2]!);
    docs.set(relative(REPO_ROOT, path), fillSections(text, sections, name));
  }
  const unused = [...sections.keys()].filter((name) => !used.has(name));
  if (unused.length > 0) throw new Error(`write-docs: no document holds the section(s) ${unused.join(', ')}`);
  return docs;
}

if (import.meta.main) {
  for (const [path, text] of await referenceDocs()) {
    const full = join(REPO_ROOT, path);
    if (readFileSync(full, 'utf8') === text) continue;
    writeFileSync(full, text);
    process.stderr.write(`wrote ${path}\n`);
  }
}
