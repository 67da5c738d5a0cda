import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { PUBLISHED_SCHEMAS, schemaFileName, schemaFiles } from '../src/core/json-schemas.ts';
import { partnerBundleFolders } from '../src/io/verify.ts';
import { runCli } from './helpers/cli.ts';
import { useBuiltSite } from './helpers/site.ts';
import { copyWorkspace, editCell, editExport, MINIMAL_EXAMPLE, REPO_ROOT } from './helpers/workspace.ts';

const SCHEMAS = join(REPO_ROOT, 'schemas');
const ajv = new Ajv2020({ strict: false, allErrors: true });
const validators = new Map(
  readdirSync(SCHEMAS).map((name) => [name, ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, name), 'utf8')))]),
);

/** Validates an artifact against the schema its own `schema` field names. */
function expectValid(artifact: { schema?: unknown; [field: string]: unknown }, what: string) {
  expect(typeof artifact.schema, `${what} names its schema`).toBe('string');
  const validate = validators.get(schemaFileName(String(artifact.schema)));
  expect(validate, `${what}: schemas/${schemaFileName(String(artifact.schema))}`).toBeDefined();
  const valid = validate!(artifact);
  expect(valid, `${what}: ${JSON.stringify(validate!.errors)}`).toBe(true);
}

describe('the JSON Schemas of the artifacts', () => {
  it('are in schemas/ exactly as generated from the zod schemas (npm run schemas)', () => {
    const generated = schemaFiles();
    expect(readdirSync(SCHEMAS).sort()).toEqual([...generated.keys()].sort());
    for (const [name, text] of generated) expect(readFileSync(join(SCHEMAS, name), 'utf8'), name).toBe(text);
    expect(PUBLISHED_SCHEMAS.map((s) => s.id).sort()).toEqual([
      'readback.dictionary-diff/1',
      'readback.export-manifest/1',
      'readback.reconcile-failure/1',
      'readback.reconcile-report/1',
    ]);
  });

  it('validate every manifest, the reconcile report, a failure artifact and the dictionary diff the sample writes', async () => {
    const root = copyWorkspace();
    for (const tuple of readdirSync(join(root, 'content', 'tuples')))
      for (const audience of ['leadership', 'partner'])
        expectValid(
          JSON.parse(readFileSync(join(root, 'content', 'tuples', tuple, `${audience}.manifest.json`), 'utf8')),
          `${tuple} ${audience} manifest`,
        );
    const report = await runCli(['reconcile', '--root', root, '--json']);
    expect(report.code).toBe(0);
    expectValid(JSON.parse(report.stdout), 'the sample report');
    expectValid(
      JSON.parse(readFileSync(join(root, '.readback', 'reconcile', 'report.json'), 'utf8')),
      '.readback/reconcile/report.json',
    );
    const diff = await runCli(['dictionary', 'diff', '1.0.0', '1.1.0', '--root', root, '--format', 'json']);
    expectValid(JSON.parse(diff.stdout), 'the dictionary diff');

    const red = copyWorkspace(MINIMAL_EXAMPLE);
    editExport(red, 'globex-2026-w27', 'partner', (text) =>
      editCell(text, 1, 'kpi.orders.total', (old) => String(Number(old) + 3)),
    );
    expect((await runCli(['reconcile', '--root', red])).code).toBe(1);
    const failure = JSON.parse(
      readFileSync(join(red, '.readback', 'reconcile', 'failures', 'globex-2026-w27.json'), 'utf8'),
    );
    expectValid(failure, 'the failure artifact');
    expect(failure.failing_metrics[0].largest_period_deltas.length).toBeGreaterThan(0);
  });

  it('refuse what does not match (a missing field, a wrong type)', () => {
    const manifest = JSON.parse(
      readFileSync(join(MINIMAL_EXAMPLE, 'content', 'tuples', 'globex-2026-w27', 'partner.manifest.json'), 'utf8'),
    );
    const validate = validators.get('export-manifest-1.json')!;
    expect(validate({ ...manifest, sha256: 'ABC' })).toBe(false);
    const { run_id: _dropped, ...withoutRun } = manifest;
    expect(validate(withoutRun)).toBe(false);
    expect(validators.get('reconcile-report-1.json')!({ schema: 'readback.reconcile-report/1', status: 'blue' })).toBe(
      false,
    );
  });
});

describe('a built site', () => {
  const site = useBuiltSite();
  it('publishes every schema at /schemas/<name>-<major>.json, in each partner bundle too, listed in SHA256SUMS', () => {
    const bundles = partnerBundleFolders(site.dist);
    expect(bundles.length).toBeGreaterThan(0);
    for (const folder of ['', ...bundles]) {
      const dir = join(site.dist, folder);
      expect(readdirSync(join(dir, 'schemas')).sort(), folder).toEqual(readdirSync(SCHEMAS).sort());
      const sums = readFileSync(join(dir, 'SHA256SUMS'), 'utf8');
      for (const name of readdirSync(SCHEMAS)) {
        const bytes = readFileSync(join(dir, 'schemas', name));
        expect(bytes, `${folder}/schemas/${name}`).toEqual(readFileSync(join(SCHEMAS, name)));
        expect(sums).toContain(`${createHash('sha256').update(bytes).digest('hex')}  schemas/${name}\n`);
      }
    }
  });

  it('is one entry of the reconcile report: valid inside it', () => {
    const tuples = readdirSync(join(site.dist, 'tuples'));
    expect(tuples.length).toBeGreaterThan(0);
    for (const tuple of tuples) {
      const entry = JSON.parse(readFileSync(join(site.dist, 'tuples', tuple, 'report.json'), 'utf8'));
      expectValid(
        {
          schema: 'readback.reconcile-report/1',
          status: entry.status,
          dictionary_version: null,
          tuples: [entry],
          problems: [],
        },
        `tuples/${tuple}/report.json`,
      );
    }
  });
});
