import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from './helpers/cli.ts';
import { editCell, editExport, tempDir } from './helpers/workspace.ts';

const TUPLE = 'example-2026-q1';

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(dir, join(prefix, entry.name)) : [join(prefix, entry.name)]))
    .sort();
}

/** The workflow's `npx readback …` steps, in order, as argument lists. */
function readbackSteps(workspace: string): { name: string; args: string[] }[] {
  const workflow = parse(readFileSync(join(workspace, '.github/workflows/readback.yml'), 'utf8'));
  const steps: { name?: string; run?: string }[] = workflow.jobs.readback.steps;
  return steps
    .filter((step) => step.run?.startsWith('npx readback '))
    .map((step) => ({ name: step.name ?? step.run!, args: step.run!.slice('npx readback '.length).split(/\s+/) }));
}

describe('readback init', () => {
  it('writes a workspace that reconciles green and passes the dictionary check at once', async () => {
    const dir = join(tempDir(), 'program');
    const result = await runCli(['init', dir]);
    expect(result.code, result.stderr).toBe(0);
    const written = filesUnder(dir);
    for (const name of [
      'dictionary/metrics.yaml',
      'dictionary/history/1.0.0.yaml',
      'dictionary/history/SHA256SUMS',
      `content/tuples/${TUPLE}/tuple.yaml`,
      `content/tuples/${TUPLE}/leadership.csv`,
      `content/tuples/${TUPLE}/leadership.manifest.json`,
      `content/tuples/${TUPLE}/partner.csv`,
      `content/tuples/${TUPLE}/partner.manifest.json`,
      `content/tuples/${TUPLE}/readback.md`,
      'content/faq.md',
      'readback.config.yaml',
      '.github/workflows/readback.yml',
      '.gitignore',
      'package.json',
    ])
      expect(written).toContain(name);
    // the output names every file it wrote
    for (const name of written) expect(result.stderr).toContain(name);
    expect((await runCli(['reconcile', '--root', dir])).code).toBe(0);
    expect((await runCli(['dictionary', 'check', '--root', dir])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).devDependencies).toHaveProperty('readback');
  });

  it('refuses to overwrite any file and then writes nothing (exit 64); keeps a package.json it finds', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'content'));
    writeFileSync(join(dir, 'content', 'faq.md'), 'our own questions\n');
    const refused = await runCli(['init'], dir);
    expect(refused.code).toBe(64);
    expect(refused.stderr).toContain('content/faq.md');
    expect(filesUnder(dir)).toEqual(['content/faq.md']);
    expect(readFileSync(join(dir, 'content', 'faq.md'), 'utf8')).toBe('our own questions\n');

    const withPackage = tempDir();
    writeFileSync(join(withPackage, 'package.json'), '{"name":"kpi-program"}\n');
    expect((await runCli(['init'], withPackage)).code).toBe(0);
    expect(readFileSync(join(withPackage, 'package.json'), 'utf8')).toBe('{"name":"kpi-program"}\n');
    // a dangling symlink, or a file where a folder goes, is found before anything is written
    const { symlinkSync } = await import('node:fs');
    const dangling = tempDir();
    symlinkSync(join(dangling, 'nowhere'), join(dangling, 'readback.config.yaml'));
    expect((await runCli(['init'], dangling)).code).toBe(64);
    expect(filesUnder(dangling)).toEqual(['readback.config.yaml']); // the link alone, as it was
    const blocked = tempDir();
    writeFileSync(join(blocked, 'content'), 'a file, not a folder');
    const refusedBlocked = await runCli(['init'], blocked);
    expect(refusedBlocked.code).toBe(64);
    expect(filesUnder(blocked)).toEqual(['content']);
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, '');
    expect((await runCli(['init', file])).code).toBe(64);
  });

  it("runs its CI workflow's steps in order: dictionary check, reconcile, build and verify pass", async () => {
    const dir = join(tempDir(), 'program');
    await runCli(['init', dir]);
    const steps = readbackSteps(dir);
    expect(steps.map((s) => s.args[0])).toEqual(['dictionary', 'reconcile', 'build', 'verify']);
    for (const step of steps) {
      const result = await runCli(step.args, dir);
      expect(result.code, `${step.name}: ${result.stderr}`).toBe(0);
    }
    expect(existsSync(join(dir, 'dist', 'annex', TUPLE, 'index.html'))).toBe(true);
  }, 120_000);

  it('on a red export, stops at reconcile with annotations and leaves the tickets where the workflow uploads them', async () => {
    const dir = join(tempDir(), 'program');
    await runCli(['init', dir]);
    editExport(dir, TUPLE, 'partner', (text) =>
      editCell(text, 2, 'm.orders.shipped', (old) => String(Number(old) - 40)),
    );
    const workflow = readFileSync(join(dir, '.github/workflows/readback.yml'), 'utf8');
    const upload = parse(workflow).jobs.readback.steps.find((s: { if?: string }) => s.if === 'failure()');
    const uploaded = join(dir, upload.with.path);
    const reconcile = readbackSteps(dir).find((s) => s.args[0] === 'reconcile')!;
    const result = await runCli(reconcile.args, dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^::error .*title=(PERIOD_)?VARIANCE_EXCEEDED example-2026-q1 m\.orders\.shipped/m);
    expect(filesUnder(uploaded)).toEqual(
      expect.arrayContaining([`failures/${TUPLE}.json`, `tickets/${TUPLE}--m.orders.shipped.md`, 'report.json']),
    );
  });
});
