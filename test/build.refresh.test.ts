import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '../src/core/problems.ts';
import { publish } from '../src/publish/publish.ts';
import { tupleOwnPaths } from '../src/publish/refresh.ts';
import { runCli } from './helpers/cli.ts';
import { buildSite, copyBuiltSample } from './helpers/site.ts';
import { copyWorkspace, editCell, editExport, fileSums } from './helpers/workspace.ts';

const ACME = 'acme-2026-q2';
const GLOBEX = 'globex-2026-06';

const refresh = (root: string, tuples: string[]) =>
  publish({ root, out: join(root, 'dist'), today: '2026-11-26', refreshTuples: tuples, log: () => {} });

/** Every file a site publishes for one tuple alone, in the internal site and its bundle. */
function ownedBy(files: Iterable<string>, tupleId: string): string[] {
  const roots = tupleOwnPaths(tupleId, true);
  return [...files].filter((file) => {
    const inSite = file.replace(/^partners\/[^/]+\//, '');
    return roots.some((root) => inSite === root || inSite.startsWith(`${root}/`));
  });
}

describe('readback build --tuple', () => {
  it('refreshes the named tuple and keeps every other tuple byte for byte, even one that is now red', async () => {
    const root = copyWorkspace();
    const first = await buildSite(root);
    expect(first.status, first.stderr).toBe(0);
    const before = fileSums(first.dist);

    // nothing changed: a refresh publishes the very same site
    const same = await refresh(root, [ACME]);
    expect(same.problems).toEqual([]);
    expect(fileSums(first.dist)).toEqual(before);

    // acme's exports change (both sides agree); globex's partner export goes red
    for (const audience of ['leadership', 'partner'] as const)
      editExport(root, ACME, audience, (text) =>
        editCell(text, 1, 'm.orders.shipped', (old) => String(Number(old) + 10)),
      );
    editExport(root, GLOBEX, 'partner', (text) =>
      editCell(text, 1, 'm.orders.shipped', (old) => String(Number(old) + 1)),
    );
    const full = await buildSite(root);
    expect(full.status).toBe(1); // a whole build is held back by globex
    expect(fileSums(first.dist)).toEqual(before);

    const result = await refresh(root, [ACME]);
    expect(result.problems).toEqual([]);
    expect(result.published).not.toBeNull();
    const after = fileSums(first.dist);
    const others = [...before.keys()].filter((f) => !ownedBy([f], ACME).length);
    const kept = [GLOBEX, 'initech-2026-06'].flatMap((id) => ownedBy(before.keys(), id));
    expect(kept.length).toBeGreaterThan(20);
    for (const file of kept) expect(after.get(file), file).toBe(before.get(file));
    // acme is published anew, in the internal site and in its bundle
    const acmeFiles = ownedBy(after.keys(), ACME);
    expect(acmeFiles.some((f) => f.startsWith('partners/'))).toBe(true);
    expect(acmeFiles.filter((f) => after.get(f) !== before.get(f)).length).toBeGreaterThan(5);
    const entry = JSON.parse(readFileSync(join(first.dist, 'tuples', ACME, 'report.json'), 'utf8'));
    const fresh = result.report!.tuples.find((t) => t.tuple_id === ACME)!;
    expect(entry.tuple_revision_hash).toBe(fresh.tuple_revision_hash);
    expect(others.length).toBeGreaterThan(0);
    // the site still verifies as a whole
    const verified = await runCli(['verify', first.dist]);
    expect(verified.code, verified.stdout).toBe(0);
  }, 240_000);

  it('refuses a red named tuple, a folder with no published site, and an unknown tuple (usage)', async () => {
    const none = await refresh(copyWorkspace(), [ACME]);
    expect(none.problems.map((p) => p.code)).toEqual(['NOT_A_SITE']);
    expect(exitCodeOf(none.problems)).toBe(1);

    const { root, dist } = copyBuiltSample();
    const unknown = await runCli(['build', '--root', root, '--tuple', 'no-such-tuple']);
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain('no-such-tuple');
    const before = fileSums(dist);
    editExport(root, ACME, 'partner', (text) =>
      editCell(text, 1, 'm.orders.shipped', (old) => String(Number(old) + 1)),
    );
    const red = await refresh(root, [ACME]);
    expect(exitCodeOf(red.problems)).toBe(1);
    expect(fileSums(dist)).toEqual(before);

    // a kept tuple whose partner changed is not kept: it must be refreshed too
    const moved = copyBuiltSample();
    const yaml = join(moved.root, 'content', 'tuples', 'globex-2026-06', 'tuple.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/^partner: .*$/m, 'partner: Acme Logistics'));
    const refused = await refresh(moved.root, [ACME]);
    expect(refused.problems.map((p) => p.code)).toContain('NOT_A_SITE');
    expect(refused.problems[0]!.message).toContain('did its partner change');

    // a kept tuple whose folder is gone is a refusal with its code, not a fault
    const gone = copyBuiltSample();
    rmSync(join(gone.root, 'content', 'tuples', 'initech-2026-06'), { recursive: true });
    const missing = await refresh(gone.root, [ACME]);
    expect(missing.problems.map((p) => p.code)).toEqual(['NOT_A_SITE']);
  }, 120_000);
});
