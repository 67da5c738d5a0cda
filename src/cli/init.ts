/** `readback init`: a new workspace that reconciles green and builds at once. */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { draftManifest } from '../core/manifest.ts';
import { type Io, UsageError } from '../io/context.ts';
import { writeRelease } from '../io/dictionary-history.ts';

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TEMPLATE = join(PACKAGE_ROOT, 'templates', 'init');
const TUPLE = 'example-2026-q1';
/** the export run the example's manifests describe */
const RUN = {
  run_id: 'run-2026-02-02T03:00:00Z',
  start_inclusive: '2026-01-05T00:00:00Z',
  end_exclusive: '2026-02-02T00:00:00Z',
  dictionary_version: '1.0.0',
  generated_at: '2026-02-02T03:00:00Z',
};
/** npm leaves a package's .gitignore out of the package, so the template holds it under another name */
const RENAMED: Record<string, string> = { gitignore: '.gitignore' };

function templateFiles(folder = TEMPLATE): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? templateFiles(join(folder, entry.name))
      : [relative(TEMPLATE, join(folder, entry.name)).split('\\').join('/')],
  );
}

/** Every file init writes, relative to DIR, with its bytes (the dictionary history is written by the release). */
function workspaceFiles(): Map<string, Buffer | string> {
  const files = new Map<string, Buffer | string>();
  for (const name of templateFiles()) files.set(RENAMED[name] ?? name, readFileSync(join(TEMPLATE, name)));
  files.set('content/faq.md', readFileSync(join(PACKAGE_ROOT, 'content', 'faq.md')));
  for (const audience of ['leadership', 'partner'] as const) {
    const csv = files.get(`content/tuples/${TUPLE}/${audience}.csv`)!;
    const { manifest, faults } = draftManifest({
      ...RUN,
      audience,
      tuple_id: TUPLE,
      file: `${audience}.csv`,
      sha256: createSha256(csv),
    });
    if (!manifest)
      throw new Error(`the init template's ${audience} manifest: ${faults.map((f) => f.message).join('; ')}`);
    files.set(`content/tuples/${TUPLE}/${audience}.manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);
  }
  return files;
}

function createSha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function packageVersion(): string {
  return JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version as string;
}

function packageJson(): string {
  const version = packageVersion();
  const manifest = {
    private: true,
    type: 'module',
    scripts: { reconcile: 'readback reconcile', build: 'readback build', preview: 'readback preview dist' },
    // Readback is not on the npm registry: its packed tarball, committed beside the data, is what npm ci installs
    devDependencies: { readback: `file:vendor/readback-${version}.tgz` },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** A file is there (a dangling symlink too), or one of its folders is a file: writing it would fail or overwrite. */
function occupied(dir: string, name: string): boolean {
  try {
    if (lstatSync(join(dir, name), { throwIfNoEntry: false })) return true;
  } catch {
    return true; // ENOTDIR: a folder on its way is a file
  }
  const parts = name.split('/').slice(0, -1);
  return parts.some((_, i) => {
    const stat = lstatSync(join(dir, ...parts.slice(0, i + 1)), { throwIfNoEntry: false });
    return stat !== undefined && !stat.isDirectory();
  });
}

export function initCommand(positionals: string[], io: Io): number {
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const dirArg = positionals[0] ?? '.';
  const dir = resolve(io.cwd, dirArg);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`${dirArg} is not a folder`);
  const files = workspaceFiles();
  const history = ['dictionary/history/1.0.0.yaml', 'dictionary/history/SHA256SUMS'];
  const taken = [...files.keys(), ...history].filter((name) => occupied(dir, name));
  if (taken.length > 0)
    throw new UsageError(
      `init would overwrite ${taken.length} file${taken.length === 1 ? '' : 's'} in ${dirArg} (${taken.join(', ')}); nothing was written: init writes a new workspace only`,
    );
  const writePackage = !existsSync(join(dir, 'package.json'));
  if (writePackage) files.set('package.json', packageJson());
  for (const [name, bytes] of files) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), bytes, { flag: 'wx' });
  }
  writeRelease(dir, RUN.dictionary_version);
  const shown = dirArg === '.' ? '' : ` --root ${dirArg}`;
  io.stderr.write(
    [
      `wrote a Readback workspace in ${dir}:`,
      ...[...files.keys(), ...history].sort().map((name) => `  ${name}`),
      '',
      'Next:',
      ...(writePackage
        ? [
            `  copy readback-${packageVersion()}.tgz to vendor/ (npm pack in a Readback checkout makes it) and commit it`,
            '  npm install    (installs readback from vendor/, as the package.json written here says)',
          ]
        : []),
      `  npx readback reconcile${shown}    (green: both exports agree)`,
      `  npx readback build${shown}    (the site and the one-pagers, in dist/)`,
      `  npx readback preview ${dirArg === '.' ? 'dist' : join(dirArg, 'dist')}    (a look at them)`,
      '',
    ].join('\n'),
  );
  return 0;
}
