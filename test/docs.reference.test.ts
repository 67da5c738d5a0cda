/**
 * The reference docs (docs/reference/) are what users have instead of the code: their generated
 * sections are exactly what `npm run docs` writes from the code's tables, every field of every
 * input is documented, and the hash replay recipe works with standard tools.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReadbackFrontMatterSchema } from '../src/core/readback.ts';
import { DictionarySchema, ManifestSchema, MetricSchema, TupleConfigSchema } from '../src/core/schemas.ts';
import { referenceDocs } from '../scripts/write-docs.ts';
import { REPO_ROOT } from './helpers/workspace.ts';

const doc = (name: string) => readFileSync(join(REPO_ROOT, 'docs', 'reference', name), 'utf8');
const hasJq = spawnSync('jq', ['--version']).status === 0;

describe('the reference docs', () => {
  it('are what npm run docs writes from the code (problem codes, diff rules, help texts, schemas, examples)', async () => {
    const written = await referenceDocs();
    expect(written.size).toBeGreaterThan(0);
    for (const [path, text] of written) expect(readFileSync(join(REPO_ROOT, path), 'utf8'), path).toBe(text);
  });

  it('document every field of the dictionary, a metric, tuple.yaml, a manifest and readback.md', () => {
    const workspace = doc('workspace.md');
    const schemas = [DictionarySchema, MetricSchema, TupleConfigSchema, ManifestSchema, ReadbackFrontMatterSchema];
    for (const schema of schemas)
      for (const field of Object.keys(schema.shape))
        expect(workspace, field).toMatch(new RegExp(`^\\| \`${field}\``, 'm'));
  });

  it('are linked from the README', () => {
    expect(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')).toContain('](docs/reference/README.md)');
  });

  it.skipIf(!hasJq)('give a replay recipe that recomputes every hash of a site and its bundle', () => {
    const recipe = /## Replay every hash[\s\S]*?```sh\n([\s\S]*?)```/.exec(doc('hashes.md'))![1]!;
    const site = join(REPO_ROOT, 'test', 'fixtures', 'archive', 'minimal-0.1.0');
    for (const dir of [site, join(site, 'partners', 'globex')]) {
      const run = spawnSync('bash', ['-euo', 'pipefail', '-c', recipe], { cwd: dir, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const lines = run.stdout.trim().split('\n');
      expect(lines.map((line) => line.split(' ')[0])).toEqual([
        'dictionary_sha256',
        'partner_sha256',
        'partner_manifest_sha256',
        'leadership_sha256',
        'tuple_revision_hash',
        'artifact_id',
        'SHA256SUMS',
      ]);
      for (const line of lines) {
        const [what, recomputed, published] = line.split(' ');
        expect(recomputed, what).toMatch(/^(sha256:)?[0-9a-f]{64}$|^ok$/);
        expect(recomputed, what).toBe(published);
      }
    }
  });
});
