/** What users read stands alone: no page, help text, doc or schema sends them to a document they do not have. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { REPO_ROOT } from './helpers/workspace.ts';

const OUTSIDE = /\bSPEC\b|\.\.\/shared|SPEC\.md/;

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path, ext);
    return ext.test(entry.name) ? [path] : [];
  });
}

describe('user-facing text', () => {
  it('in the README, docs/, schemas/ and the pages names no document outside the repository', () => {
    const texts = [
      'README.md',
      ...files('docs', /\.md$/),
      ...files('schemas', /\.json$/),
      ...files('src/pages', /\.astro$/),
    ];
    const pages = files('src/layouts', /\.astro$/).concat(files('src/components', /\.astro$/));
    const offending = [...texts, ...pages].filter((file) => OUTSIDE.test(readFileSync(join(REPO_ROOT, file), 'utf8')));
    expect(offending).toEqual([]);
  });

  it('in everything the package ships (sources and their comments included) names no document outside it', () => {
    const shipped = [
      ...files('src', /\.(ts|astro|mjs)$/),
      ...files('templates', /./),
      ...files('bin', /./),
      'astro.config.mjs',
      'content/faq.md',
    ];
    const offending = shipped.filter((file) => OUTSIDE.test(readFileSync(join(REPO_ROOT, file), 'utf8')));
    expect(offending).toEqual([]);
  });

  it('in every --help names no document outside the repository', async () => {
    for (const topic of ['main', 'reconcile', 'dictionary', 'verify', 'build', 'init', 'manifest', 'preview']) {
      const { stdout } = await runCli(topic === 'main' ? ['--help'] : ['help', topic]);
      expect(stdout.length, topic).toBeGreaterThan(50);
      expect(stdout, topic).not.toMatch(OUTSIDE);
    }
  });
});
