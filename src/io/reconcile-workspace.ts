/** Reads a workspace's tuples, streams their exports into the core and assembles the report. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type LoadedDictionary } from '../core/dictionary.ts';
import { type ExportWindow } from '../core/exports.ts';
import {
  checksumProblem,
  citedDictionaryProblems,
  manifestWindow,
  type ManifestRead,
  parseManifest,
  windowParity,
} from '../core/manifest.ts';
import { problem, type Problem } from '../core/problems.ts';
import { assembleReport, type ExportRead, reconcileTupleWithLeadershipOnly } from '../core/reconcile.ts';
import type { Audience, LeadershipOnlyTuple, ReconcileReport, TupleConfig, TupleReport } from '../core/schemas.ts';
import type { TargetPositions } from '../core/targets.ts';
import { parseTupleConfig } from '../core/tuple.ts';
import { ExportReaders, WORKER_THRESHOLD_BYTES } from './export-reader-pool.ts';
import type { ReconcileCache } from './reconcile-cache.ts';
import { readFaq } from './site-inputs.ts';
import { readTextFile } from './text-file.ts';
import {
  type DictionaryCatalog,
  displayPath,
  listTupleFolders,
  loadDictionaryCatalog,
  resolveExportFile,
  TUPLES_FOLDER,
  workspaceProblems,
} from './workspace.ts';

export interface ReconcileOptions {
  root: string;
  /** only these tuples (all when empty) */
  tupleIds?: readonly string[];
  onProgress?: (done: number, total: number, tupleId: string) => void;
  /**
   * read exports in worker threads: true always, false never; unset, a large export
   * (WORKER_THRESHOLD_BYTES) in a worker thread, but when both of a tuple's are large, the partner
   * export in this one
   */
  workers?: boolean;
  /** the workspace's dictionaries, when the caller has loaded them already (the build has) */
  catalog?: DictionaryCatalog;
  /** where tuples reconciled by earlier builds are kept, reused when nothing they read has changed */
  cache?: ReconcileCache;
}

export class UnknownTupleError extends Error {}

/** Whether a tuple folder holds a file large enough to be read in a worker thread (a guess, made before its manifests are read). */
function holdsLargeFile(dir: string): boolean {
  try {
    return readdirSync(dir, { withFileTypes: true }).some(
      (entry) => entry.isFile() && statSync(join(dir, entry.name)).size >= WORKER_THRESHOLD_BYTES,
    );
  } catch {
    return false;
  }
}

/** The same file under two names: one path (symlinks resolved) or one inode (hard links). */
function sameFile(a: string, b: string): boolean {
  if (a === b) return true;
  const [x, y] = [statSync(a), statSync(b)];
  return x.dev === y.dev && x.ino === y.ino;
}

export async function reconcileWorkspace(options: ReconcileOptions): Promise<ReconcileReport> {
  const { root } = options;
  const shape = workspaceProblems(root);
  // a folder that is no workspace gets no dictionary problems on top: one finding says what is missing
  if (shape.some((p) => p.code === 'NOT_A_WORKSPACE')) return assembleReport(null, [], shape);
  const readers = new ExportReaders();
  try {
    // a large export ahead: its reader thread loads while this one reads the dictionaries and manifests
    if (shape.length === 0 && !options.cache && options.workers !== false) {
      const first = options.tupleIds?.[0] ?? listTupleFolders(root)[0];
      if (first !== undefined && holdsLargeFile(join(root, TUPLES_FOLDER, first))) readers.warm();
    }
    return await reconcileTuples(options, shape, readers);
  } finally {
    await readers.close();
  }
}

async function reconcileTuples(
  options: ReconcileOptions,
  shape: Problem[],
  readers: ExportReaders,
): Promise<ReconcileReport> {
  const { root } = options;
  const catalog = options.catalog ?? loadDictionaryCatalog(root);
  if (shape.length > 0)
    return assembleReport(catalog.current?.dictionary.version ?? null, [], [...catalog.problems, ...shape]);
  const folders = listTupleFolders(root);
  const wanted = options.tupleIds && options.tupleIds.length > 0 ? [...new Set(options.tupleIds)] : folders;
  for (const id of wanted) {
    if (!folders.includes(id)) throw new UnknownTupleError(`no tuple "${id}" under ${join(root, TUPLES_FOLDER)}`);
  }
  const tuples: TupleReport[] = [];
  const leadershipOnly: LeadershipOnlyTuple[] = [];
  const cache = options.cache;
  for (const [index, tupleId] of wanted.entries()) {
    const key = cache?.key(tupleId, join(root, TUPLES_FOLDER, tupleId));
    let reconciled = key ? cache!.get(key) : null;
    if (!reconciled) {
      reconciled = await reconcileTupleFolder(root, tupleId, catalog, options, readers);
      if (key) cache!.put(key, reconciled);
    }
    tuples.push(reconciled.entry);
    if (reconciled.leadershipOnly) leadershipOnly.push(reconciled.leadershipOnly);
    options.onProgress?.(index + 1, wanted.length, tupleId);
  }
  // the shared FAQ is checked with the inputs it is published beside
  return assembleReport(
    catalog.current?.dictionary.version ?? null,
    tuples,
    [...catalog.problems, ...readFaq(root).problems],
    leadershipOnly,
  );
}

async function reconcileTupleFolder(
  root: string,
  tupleId: string,
  catalog: DictionaryCatalog,
  options: ReconcileOptions,
  readers: ExportReaders,
): Promise<ReturnType<typeof reconcileTupleWithLeadershipOnly>> {
  const dir = join(root, TUPLES_FOLDER, tupleId);
  const rel = `${TUPLES_FOLDER}/${tupleId}`;
  const tupleFile = `${rel}/tuple.yaml`;
  let config: TupleConfig | null = null;
  let targetPositions: TargetPositions = new Map();
  const configProblems: Problem[] = [];
  if (existsSync(join(dir, 'tuple.yaml'))) {
    const text = readTextFile(join(dir, 'tuple.yaml'), tupleFile, 'BAD_TUPLE');
    const parsed =
      text.value === null
        ? { config: null, problems: text.problems, targetPositions }
        : parseTupleConfig(text.value, tupleFile, tupleId);
    config = parsed.config;
    targetPositions = parsed.targetPositions;
    configProblems.push(...parsed.problems);
  } else {
    configProblems.push(problem('BAD_TUPLE', `missing ${tupleFile}; every tuple folder has one`, { file: tupleFile }));
  }

  const manifests = {} as Record<Audience, ManifestRead>;
  const windows = {} as Record<Audience, ExportWindow | null>;
  const windowProblems: Problem[] = [];
  for (const audience of ['leadership', 'partner'] as const) {
    const file = `${rel}/${audience}.manifest.json`;
    const path = join(dir, `${audience}.manifest.json`);
    if (!existsSync(path)) {
      manifests[audience] = {
        audience,
        file,
        manifest: null,
        problems: [problem('BAD_MANIFEST', `missing ${file}; each export has a JSON manifest beside it`, { file })],
      };
      windows[audience] = null;
      continue;
    }
    const text = readTextFile(path, file, 'BAD_MANIFEST', { bom: 'refuse' });
    manifests[audience] =
      text.value === null
        ? { audience, file, manifest: null, problems: text.problems }
        : parseManifest(text.value, file, audience);
    const window = manifestWindow(manifests[audience]);
    windows[audience] = window.window;
    windowProblems.push(...window.problems);
  }
  const parityProblems = windowParity(manifests.leadership, manifests.partner, tupleId);

  // step 3: the version the manifests cite, with its own definitions
  const reads = [manifests.leadership, manifests.partner];
  const someUnreadable = catalog.problems.length > 0;
  const dictionaryProblems = citedDictionaryProblems(reads, [...catalog.byVersion.keys()], someUnreadable);
  const dictionaries = {} as Record<Audience, LoadedDictionary | null>;
  for (const read of reads) {
    const version = read.manifest?.dictionary_version;
    dictionaries[read.audience] = version === undefined ? null : (catalog.byVersion.get(version) ?? null);
  }
  const sameDictionary =
    dictionaries.leadership && dictionaries.leadership === dictionaries.partner ? dictionaries.leadership : null;

  // each manifest's file, found inside the tuple folder
  const resolved = {} as Record<Audience, { path: string } | { problem: Problem } | null>;
  for (const audience of ['leadership', 'partner'] as const) {
    const manifest = manifests[audience].manifest;
    const where = manifests[audience].at?.('file') ?? { file: manifests[audience].file };
    resolved[audience] = manifest ? resolveExportFile(root, dir, manifest.file, where) : null;
  }
  // two names for one file (a symlink or a hard link) would have reconcile compare an export with itself
  const [a, b] = [resolved.leadership, resolved.partner];
  if (a && b && 'path' in a && 'path' in b && sameFile(a.path, b.path)) {
    resolved.leadership = {
      problem: problem(
        'BAD_MANIFEST',
        `${manifests.leadership.manifest!.file} and ${manifests.partner.manifest!.file} are the same file (a link): each audience's export is a file of its own`,
        manifests.leadership.at?.('file') ?? { file: manifests.leadership.file },
      ),
    };
  }

  // both exports stream at once: a large export in a worker thread, but at most one, the first:
  // when both are large the partner export is read in this thread, which would otherwise only
  // wait (a second worker thread cost more CPU than it saved time: each thread warms its own
  // compiled code, docs/PERFORMANCE.md)
  const large = (audience: Audience) => {
    const found = resolved[audience];
    return !!found && !('problem' in found) && statSync(found.path).size >= WORKER_THRESHOLD_BYTES;
  };
  const inWorker = (audience: Audience) =>
    options.workers ?? (large(audience) && !(audience === 'partner' && large('leadership')));
  const readSide = async (audience: Audience): Promise<ExportRead> => {
    const manifest = manifests[audience].manifest;
    const found = resolved[audience];
    if (!manifest || !found) return { summary: null, sha256: null, problems: [] };
    if ('problem' in found) return { summary: null, sha256: null, problems: [found.problem] };
    const file = displayPath(root, join(dir, manifest.file));
    const context = {
      audience,
      file,
      dictionary: dictionaries[audience],
      window: windows[audience],
      dimensions: config?.dimensions ?? [],
    };
    const { read, summary } = await readers.read(found.path, file, context, { worker: inWorker(audience) });
    const problems = [...read.problems];
    const checksum = checksumProblem(manifests[audience], read.sha256);
    if (checksum) problems.unshift(checksum);
    return { summary, sha256: read.sha256, problems };
  };
  const [leadershipRead, partnerRead] = await Promise.all([readSide('leadership'), readSide('partner')]);
  const exportsRead: Record<Audience, ExportRead> = { leadership: leadershipRead, partner: partnerRead };

  const readbackFile = `${rel}/readback.md`;
  const readbackPath = join(dir, 'readback.md');
  const readbackText = existsSync(readbackPath) ? readTextFile(readbackPath, readbackFile, 'BAD_READBACK') : null;
  const readback = readbackText && { file: readbackFile, text: readbackText.value, problems: readbackText.problems };

  return reconcileTupleWithLeadershipOnly({
    readback,
    tupleId,
    config,
    configProblems,
    targets: { file: tupleFile, positions: targetPositions },
    manifests,
    windowProblems,
    parityProblems,
    dictionary: sameDictionary,
    dictionaryProblems,
    dictionaryUnreadable: someUnreadable && !sameDictionary && reads.some((read) => read.manifest !== null),
    exports: exportsRead,
  });
}
