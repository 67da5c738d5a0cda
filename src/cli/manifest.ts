/** `readback manifest write`: the sidecar a pipeline writes right after it writes an export. */
import { createHash } from 'node:crypto';
import { createReadStream, lstatSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { draftManifest, type ManifestDraft } from '../core/manifest.ts';
import { type Io, UsageError } from '../io/context.ts';

const OPTION_OF: Record<keyof ManifestDraft, string> = {
  audience: '--audience',
  tuple_id: '--tuple',
  run_id: '--run',
  start_inclusive: '--start',
  end_exclusive: '--end',
  dictionary_version: '--dictionary',
  generated_at: '--generated-at',
  file: 'FILE',
  sha256: 'FILE',
};

export interface ManifestWriteOptions {
  audience?: string;
  tuple?: string;
  run?: string;
  start?: string;
  end?: string;
  dictionary?: string;
  generatedAt?: string;
  positionals: string[];
  now: Date;
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The nearest folder holding `file` that is named `tupleId`, or null. */
function tupleFolderOf(file: string, tupleId: string): string | null {
  for (let folder = dirname(file); folder !== dirname(folder); folder = dirname(folder)) {
    if (basename(folder) === tupleId) return folder;
  }
  return null;
}

export async function manifestCommand(options: ManifestWriteOptions, io: Io): Promise<number> {
  const [subcommand, fileArg, ...extra] = options.positionals;
  if (subcommand !== 'write')
    throw new UsageError(
      subcommand === undefined ? 'manifest needs a subcommand: write' : `unknown subcommand "manifest ${subcommand}"`,
    );
  const missing = (
    [
      ['--audience', options.audience],
      ['--tuple', options.tuple],
      ['--run', options.run],
      ['--start', options.start],
      ['--end', options.end],
      ['--dictionary', options.dictionary],
    ] as const
  )
    .filter(([, value]) => value === undefined)
    .map(([name]) => name);
  if (missing.length > 0) throw new UsageError(`manifest write needs ${missing.join(', ')}`);
  if (fileArg === undefined) throw new UsageError('manifest write needs FILE: the export it describes');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);

  const file = resolve(io.cwd, fileArg);
  const stat = lstatSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile()) {
    const what = stat === undefined ? 'no such file' : stat.isSymbolicLink() ? 'a symbolic link' : 'not a file';
    io.stderr.write(`readback: ${fileArg}: ${what}; give the export file itself\n`);
    return 2;
  }
  const tupleFolder = tupleFolderOf(file, options.tuple!);
  if (tupleFolder === null) {
    io.stderr.write(
      `readback: ${fileArg}: not inside the tuple folder: the export of tuple ${options.tuple} belongs in a folder named ${options.tuple} (content/tuples/${options.tuple}/)\n`,
    );
    return 2;
  }
  const { manifest, faults } = draftManifest({
    audience: options.audience!,
    tuple_id: options.tuple!,
    run_id: options.run!,
    start_inclusive: options.start!,
    end_exclusive: options.end!,
    dictionary_version: options.dictionary!,
    generated_at: options.generatedAt ?? options.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    file: relative(tupleFolder, file).split(sep).join('/'),
    sha256: await sha256Of(file),
  });
  if (!manifest) {
    for (const fault of faults) io.stderr.write(`readback: ${OPTION_OF[fault.field]} ${fault.message}\n`);
    io.stderr.write('Nothing was written.\n');
    return 2;
  }
  const target = join(tupleFolder, `${manifest.audience}.manifest.json`);
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(temporary, target);
  io.stderr.write(`wrote ${relative(io.cwd, target) || target} (sha256 ${manifest.sha256.slice(0, 12)}…)\n`);
  return 0;
}
