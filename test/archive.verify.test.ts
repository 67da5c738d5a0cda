/**
 * Sites built by earlier versions of Readback keep verifying: test/fixtures/archive/<name>/ holds
 * sites as a release built them (see the README there), and every reader — `readback verify`, a
 * build publishing over an earlier site — must accept every one of them. A change that stops an
 * archived site verifying is a breaking change to what Readback reads: keep reading the old form
 * beside the new one instead of regenerating the archive.
 */
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { buildSite } from './helpers/site.ts';
import { copyWorkspace, MINIMAL_EXAMPLE, REPO_ROOT, tempDir } from './helpers/workspace.ts';

const ARCHIVE = join(REPO_ROOT, 'test', 'fixtures', 'archive');
const sites = readdirSync(ARCHIVE).filter((name) => statSync(join(ARCHIVE, name)).isDirectory());

describe('archived sites', () => {
  it('are there', () => {
    expect(sites.length).toBeGreaterThan(0);
  });

  it.each(sites)('%s verifies with this version of readback verify', async (name) => {
    const { code, stdout, stderr } = await runCli(['verify', join(ARCHIVE, name)]);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^[1-9]\d* checks passed, 0 mismatches$/m);
    expect(code).toBe(0);
  });

  it.each(sites)('%s is really read: a byte changed in a published report fails verify', async (name) => {
    const copy = tempDir('readback-archive-');
    cpSync(join(ARCHIVE, name), copy, { recursive: true });
    const tuple = readdirSync(join(copy, 'tuples'))[0]!;
    const report = join(copy, 'tuples', tuple, 'report.json');
    writeFileSync(report, readFileSync(report, 'utf8').replace('"status": "green"', '"status": "red"'));
    const { code, stdout } = await runCli(['verify', copy]);
    expect(code).toBe(1);
    expect(stdout).toContain(`tuples/${tuple}/report.json: VERIFY_MISMATCH`);
  });

  it('a build publishes over an archived site: it is taken as an earlier Readback site and its anchors are kept', async () => {
    const out = join(tempDir('readback-archive-out-'), 'dist');
    cpSync(join(ARCHIVE, 'minimal-0.1.0'), out, { recursive: true });
    const built = await buildSite(copyWorkspace(MINIMAL_EXAMPLE), {}, out);
    expect(built.stderr).not.toMatch(/OUTPUT_FOLDER_REFUSED|ANCHOR_REMOVED/);
    expect(built.status).toBe(0);
    const before = JSON.parse(readFileSync(join(ARCHIVE, 'minimal-0.1.0', 'anchors.json'), 'utf8')) as string[];
    const after = new Set(JSON.parse(readFileSync(join(out, 'anchors.json'), 'utf8')) as string[]);
    expect(before.filter((anchor) => !after.has(anchor))).toEqual([]);
  });
});
