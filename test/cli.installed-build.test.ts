/**
 * A KPI program's repository installs Readback and holds only data: `npm pack` the repository,
 * install the tarball into a fresh folder, and run the installed `readback init`, `build` and
 * `verify` there (compiled lib/, Astro building the package's own pages from inside node_modules).
 *
 * The tarball is unpacked into node_modules/readback and its declared dependencies are linked from
 * this repository's node_modules, as npm lays them out (hoisted): `npm install <tarball>` needs the
 * registry's package documents to resolve them, which an offline npm cache does not hold, and a
 * test must not need the network. Only `dependencies` are linked, so a module the build needs that
 * is declared only for development is missing here, as it would be for a user.
 *
 * Two builds: one as npm installs the package (writable), one with the package folder unwritable.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from './helpers/workspace.ts';

/** node on PATH is the one running the tests (the repository pins Node 24), as a user's own would be */
const env = {
  ...process.env,
  PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH}`,
  ASTRO_TELEMETRY_DISABLED: '1',
};

function packAndInstall(consumer: string): string {
  const packs = tempDir('readback-pack-');
  // prepack builds lib/ (build:lib)
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', packs], { cwd: REPO_ROOT, env, encoding: 'utf8' }),
  ) as { filename: string; files: { path: string }[] }[];
  const shipped = packed[0]!.files.map((file) => file.path);
  for (const needed of [
    'lib/cli/main.js',
    'lib/cli/astro-worker.js',
    'lib/cli/worker.js',
    'lib/cli/verify-worker.js',
    'lib/cli/search-worker.js',
    'lib/cli/export-worker.js',
    'src/pages/partners/index.astro',
    'src/layouts/Base.astro',
    'src/site/data.ts',
    'astro.config.mjs',
  ])
    expect(shipped).toContain(needed);
  const installed = join(consumer, 'node_modules', 'readback');
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', join(packs, packed[0]!.filename), '-C', installed, '--strip-components=1']);
  rmSync(packs, { recursive: true, force: true });
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    bin: Record<string, string>;
  };
  for (const dependency of Object.keys(manifest.dependencies)) {
    mkdirSync(dirname(join(consumer, 'node_modules', dependency)), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules', dependency), join(consumer, 'node_modules', dependency));
  }
  mkdirSync(join(consumer, 'node_modules', '.bin'));
  symlinkSync(join('..', 'readback', manifest.bin.readback!), join(consumer, 'node_modules', '.bin', 'readback'));
  return installed;
}

/** Two more tuples like init's example, so the one-pagers (one per tuple and site) render in worker threads. */
function addTuples(root: string, ids: string[]): void {
  const tuples = join(root, 'content', 'tuples');
  const [example] = readdirSync(tuples);
  for (const id of ids) {
    cpSync(join(tuples, example!), join(tuples, id), { recursive: true });
    const yaml = join(tuples, id, 'tuple.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(`tuple_id: ${example}`, `tuple_id: ${id}`));
    for (const audience of ['leadership', 'partner']) {
      const path = join(tuples, id, `${audience}.manifest.json`);
      const sidecar = JSON.parse(readFileSync(path, 'utf8')) as { tuple_id: string };
      writeFileSync(path, `${JSON.stringify({ ...sidecar, tuple_id: id }, null, 2)}\n`);
    }
  }
}

let consumer: string;
let installed: string;

beforeAll(() => {
  consumer = tempDir('readback-repo-');
  writeFileSync(join(consumer, 'package.json'), '{ "name": "kpi-readbacks", "private": true }\n');
  installed = packAndInstall(consumer);
}, 180_000); // npm pack compiles lib/

/** The installed `readback`, run as a user's repository runs it (its bin link, its cwd). */
const readback = (...args: string[]) =>
  spawnSync(join(consumer, 'node_modules', '.bin', 'readback'), args, { cwd: consumer, env, encoding: 'utf8' });

function expectPublished(build: ReturnType<typeof readback>, dist: string, tuples: number): void {
  expect(build.stderr).not.toContain('MODULE_NOT_FOUND');
  expect(build.stderr).not.toContain('ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING');
  expect(build.stderr).toContain(`published ${dist} (${tuples} tuple`);
  expect(build.status).toBe(0);
}

function expectVerified(dist: string): void {
  const verify = readback('verify', dist);
  expect(verify.stderr).not.toContain('were not checked'); // pdfjs-dist came with the package
  expect(verify.stderr).toMatch(/^\d+ checks passed, 0 mismatches$/m);
  expect(verify.status).toBe(0);
}

it('builds and verifies a workspace from the installed package', { timeout: 120_000 }, () => {
  const init = readback('init');
  expect(init.stderr + init.stdout).not.toContain('ERR_');
  expect(init.status).toBe(0);
  expect(existsSync(join(consumer, 'dictionary', 'metrics.yaml'))).toBe(true);
  const tuples = ['example-2026-q1-b', 'example-2026-q1-c'];
  addTuples(consumer, tuples);
  tuples.unshift(readdirSync(join(consumer, 'content', 'tuples')).sort()[0]!);

  const dist = join(consumer, 'dist');
  expectPublished(readback('build'), dist, 3);
  const [partner, ...others] = readdirSync(join(dist, 'partners'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  expect(others).toEqual([]);
  for (const site of [dist, join(dist, 'partners', partner!)]) {
    expect(existsSync(join(site, 'SHA256SUMS'))).toBe(true);
    expect(existsSync(join(site, 'pagefind', 'pagefind-entry.json'))).toBe(true);
    for (const tuple of tuples) {
      expect(readFileSync(join(site, 'annex', tuple, 'index.html'), 'utf8')).toContain(tuple);
      expect(
        readFileSync(join(site, 'readback', `${tuple}.pdf`))
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
    }
  }
  // the build's working folder and Astro's caches are gone from the installed package
  expect(readdirSync(join(installed, '.readback', 'astro'))).toEqual([]);
  expect(existsSync(join(installed, 'node_modules'))).toBe(false);
  expectVerified('dist');
});

it(
  'builds from a copy of its pages in the workspace when the package folder cannot be written',
  { timeout: 120_000 },
  () => {
    expect(readback('init', 'other').status).toBe(0);
    const workspace = join(consumer, 'other');
    // where the build would make its working folder in the package is not a folder: it cannot be written
    rmSync(join(installed, '.readback'), { recursive: true, force: true });
    writeFileSync(join(installed, '.readback'), '');
    try {
      expectPublished(readback('build', '--root', 'other'), join(workspace, 'dist'), 1);
      expect(readFileSync(join(installed, '.readback'), 'utf8')).toBe('');
    } finally {
      rmSync(join(installed, '.readback'));
    }
    // the copy was made in the workspace, and went with the build
    expect(readdirSync(join(workspace, '.readback', 'astro'))).toEqual([]);
    expectVerified(join('other', 'dist'));
  },
);
