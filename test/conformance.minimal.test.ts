/** The independent worked example must reconcile exactly as its expected.json says. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reconcileWorkspace } from '../src/io/reconcile-workspace.ts';
import { copyWorkspace, MINIMAL_EXAMPLE, SHARED_MINIMAL_EXAMPLE } from './helpers/workspace.ts';

const expected = JSON.parse(readFileSync(join(MINIMAL_EXAMPLE, 'expected.json'), 'utf8'));

describe('the minimal conformance workspace (test/fixtures/minimal)', () => {
  it('reports the expected values, dictionary hash and tuple revision hash', async () => {
    const report = await reconcileWorkspace({ root: copyWorkspace(MINIMAL_EXAMPLE) });
    expect(report.status).toBe(expected.status);
    const tuple = report.tuples.find((t) => t.tuple_id === expected.tuple_id)!;
    expect(tuple.status).toBe(expected.status);
    expect(tuple.dictionary_sha256).toBe(expected.dictionary_sha256);
    expect(tuple.tuple_revision_hash).toBe(expected.tuple_revision_hash);
    const byId = Object.fromEntries(
      tuple.metrics.map((m) => [
        m.metric_id,
        { leadership: m.leadership, partner: m.partner, delta: m.delta, status: m.status },
      ]),
    );
    expect(byId).toEqual(expected.metrics);
  });

  // the copy kept here must not drift from the contract's, when that is beside the checkout
  it.skipIf(!existsSync(SHARED_MINIMAL_EXAMPLE))('is byte for byte the example beside the contract', () => {
    const files = (dir: string, prefix = ''): string[] =>
      readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? files(dir, join(prefix, entry.name)) : [join(prefix, entry.name)],
      );
    expect(files(MINIMAL_EXAMPLE).sort()).toEqual(files(SHARED_MINIMAL_EXAMPLE).sort());
    for (const file of files(SHARED_MINIMAL_EXAMPLE))
      expect(readFileSync(join(MINIMAL_EXAMPLE, file)), file).toEqual(readFileSync(join(SHARED_MINIMAL_EXAMPLE, file)));
  });
});
