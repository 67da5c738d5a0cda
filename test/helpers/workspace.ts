/** Builds throw-away Readback workspaces on disk for tests. */
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The conformance workspace, with its independently computed expected.json, kept in this repository. */
export const MINIMAL_EXAMPLE = join(REPO_ROOT, 'test', 'fixtures', 'minimal');
/** Where the contract's own copy of it may sit beside a checkout (not needed to run the tests). */
export const SHARED_MINIMAL_EXAMPLE = join(REPO_ROOT, '..', 'shared', 'examples', 'minimal');

const made: string[] = [];

/** A fresh folder under the system's temp folder, removed after the test file (test/setup.ts). */
export function tempDir(prefix = 'readback-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes the folders this test file made with `tempDir`. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** Copies a workspace (the bundled sample by default) into a fresh temp folder. */
export function copyWorkspace(source = REPO_ROOT): string {
  const root = tempDir();
  cpSync(join(source, 'dictionary'), join(root, 'dictionary'), { recursive: true });
  cpSync(join(source, 'content'), join(root, 'content'), { recursive: true });
  return root;
}

export type Audience = 'leadership' | 'partner';

export function tuplePath(root: string, tupleId: string, name: string): string {
  return join(root, 'content', 'tuples', tupleId, name);
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Rewrites the manifest's sha256 so only the change under test is wrong. */
export function rehash(root: string, tupleId: string, audience: Audience): void {
  const manifestPath = tuplePath(root, tupleId, `${audience}.manifest.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.sha256 = sha256(readFileSync(tuplePath(root, tupleId, manifest.file)));
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
}

export function editExport(
  root: string,
  tupleId: string,
  audience: Audience,
  edit: (text: string) => string,
  options = { rehash: true },
): void {
  const path = tuplePath(root, tupleId, `${audience}.csv`);
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
  if (options.rehash) rehash(root, tupleId, audience);
}

export function writeExportBytes(root: string, tupleId: string, audience: Audience, bytes: Buffer | string): void {
  writeFileSync(tuplePath(root, tupleId, `${audience}.csv`), bytes);
  rehash(root, tupleId, audience);
}

export function editManifest(
  root: string,
  tupleId: string,
  audience: Audience,
  edit: (manifest: Record<string, unknown>) => Record<string, unknown>,
): void {
  const path = tuplePath(root, tupleId, `${audience}.manifest.json`);
  writeFileSync(path, `${JSON.stringify(edit(JSON.parse(readFileSync(path, 'utf8'))), null, 2)}\n`);
}

export function editYaml(path: string, edit: (text: string) => string): void {
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
}

/** Parses a CSV with plain cells (no quotes) into rows of cells, for tests that edit one cell. */
export function editCell(text: string, row: number, column: string, value: (old: string) => string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(eol);
  const header = lines[0]!.split(',');
  const index = header.indexOf(column);
  if (index === -1) throw new Error(`no column ${column}`);
  const cells = lines[row]!.split(',');
  cells[index] = value(cells[index]!);
  lines[row] = cells.join(',');
  return lines.join(eol);
}

/**
 * The data rows of a CSV with plain cells grouped by period_start, in the order the periods first
 * appear: each group lists its rows as `editCell` numbers them (the header is row 0; a row's line is its number + 1).
 */
export function periodRows(text: string): { period_start: string; rows: number[] }[] {
  const lines = text.trimEnd().split(/\r?\n/);
  const column = lines[0]!.split(',').indexOf('period_start');
  const groups = new Map<string, number[]>();
  lines.slice(1).forEach((line, index) => {
    const period = line.split(',')[column]!;
    if (!groups.has(period)) groups.set(period, []);
    groups.get(period)!.push(index + 1);
  });
  return [...groups].map(([period_start, rows]) => ({ period_start, rows }));
}

export interface SyntheticMetric {
  metric_id: string;
  class: 'count' | 'rate' | 'latency' | 'money';
  unit: 'count' | 'milliseconds' | 'percentage_points' | 'money_minor_units';
  aggregation: 'sum' | 'max' | 'last_observed' | 'weighted_average';
  precision: number;
  weight_metric_id?: string;
  epsilon?: string;
  epsilon_bp?: number;
  deprecated_after?: string | null;
}

export interface SyntheticWorkspace {
  metrics: SyntheticMetric[];
  rounding?: 'half_up' | 'half_even';
  version?: string;
  /** header + rows for each side, as CSV text lines */
  leadership: string[];
  partner: string[];
  tupleId?: string;
  start?: string;
  end?: string;
  bypasses?: Record<string, string>;
  leadershipOnly?: string[];
  dimensions?: string[];
}

/** A complete one-tuple workspace from a few metrics and CSV lines. */
export function syntheticWorkspace(spec: SyntheticWorkspace): { root: string; tupleId: string } {
  const root = tempDir();
  const tupleId = spec.tupleId ?? 'synthetic-tuple';
  const version = spec.version ?? '1.0.0';
  const dictionary = {
    version,
    rounding: spec.rounding ?? 'half_up',
    bypass_sentinel: 'NO_BYPASS',
    classes: { count: { epsilon: '0' }, rate: { epsilon_bp: 5 }, latency: { epsilon: '1' }, money: { epsilon: '0' } },
    changes: [],
    metrics: spec.metrics.map((m) => ({
      metric_id: m.metric_id,
      label: m.metric_id.split('.').pop(),
      class: m.class,
      unit: m.unit,
      aggregation: m.aggregation,
      ...(m.weight_metric_id ? { weight_metric_id: m.weight_metric_id } : {}),
      precision: m.precision,
      ...(m.epsilon !== undefined ? { epsilon: m.epsilon } : {}),
      ...(m.epsilon_bp !== undefined ? { epsilon_bp: m.epsilon_bp } : {}),
      definition: `Test metric ${m.metric_id}.`,
      formula_ref: `${m.metric_id} v1`,
      owner: `team:${m.metric_id.split('.')[1] ?? 'owners'} <owners@example.com>`,
      deprecated_after: m.deprecated_after ?? null,
    })),
  };
  mkdirSync(join(root, 'dictionary', 'history'), { recursive: true });
  writeFileSync(join(root, 'dictionary', 'metrics.yaml'), stringify(dictionary));
  writeFileSync(join(root, 'dictionary', 'history', `${version}.yaml`), stringify(dictionary));
  const dir = join(root, 'content', 'tuples', tupleId);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'tuple.yaml'),
    stringify({
      tuple_id: tupleId,
      partner: 'Test Partner',
      title: 'Test readback',
      dimensions: spec.dimensions ?? [],
      leadership_only: spec.leadershipOnly ?? [],
      bypasses: spec.bypasses ?? {},
    }),
  );
  for (const audience of ['leadership', 'partner'] as const) {
    const csv = `${spec[audience].join('\n')}\n`;
    writeFileSync(join(dir, `${audience}.csv`), csv);
    const manifest = {
      schema: 'readback.export-manifest/1',
      audience,
      tuple_id: tupleId,
      run_id: 'run-test',
      window_tz_policy: 'UTC',
      start_inclusive: spec.start ?? '2026-01-01T00:00:00Z',
      end_exclusive: spec.end ?? '2026-02-01T00:00:00Z',
      dictionary_version: version,
      file: `${audience}.csv`,
      sha256: sha256(csv),
      generated_at: '2026-02-01T01:00:00Z',
    };
    writeFileSync(join(dir, `${audience}.manifest.json`), `${JSON.stringify(manifest, null, 2)}\n`);
  }
  writeFileSync(join(dir, 'readback.md'), `---\ntuple_id: ${tupleId}\nheadlines: []\n---\n`);
  return { root, tupleId };
}

/** The SHA-256 of every file under `dir`, by path relative to it: to compare two published folders byte for byte. */
export function fileSums(dir: string, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(join(dir, prefix))) {
    const path = join(prefix, name);
    if (statSync(join(dir, path)).isDirectory()) for (const [k, v] of fileSums(dir, path)) out.set(k, v);
    else
      out.set(
        path,
        createHash('sha256')
          .update(readFileSync(join(dir, path)))
          .digest('hex'),
      );
  }
  return out;
}
