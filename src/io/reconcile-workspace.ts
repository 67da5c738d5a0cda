/** Reads a workspace's tuples, streams their exports into the core and assembles the report. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LoadedDictionary } from '../core/dictionary.ts';
import { ExportAccumulator, type ExportWindow } from '../core/exports.ts';
import { lineColumnAt } from '../core/located.ts';
import { manifestWindow, type ManifestRead, parseManifest, windowParity } from '../core/manifest.ts';
import { problem, type Problem } from '../core/problems.ts';
import { assembleReport, type ExportRead, reconcileTuple } from '../core/reconcile.ts';
import type { Audience, ReconcileReport, TupleConfig, TupleReport } from '../core/schemas.ts';
import { parseTupleConfig } from '../core/tuple.ts';
import { readExport } from './csv-reader.ts';
import { type DictionaryCatalog, displayPath, listTupleFolders, loadDictionaryCatalog, resolveExportFile, TUPLES_FOLDER } from './workspace.ts';

export interface ReconcileOptions {
  root: string;
  /** only these tuples (all when empty) */
  tupleIds?: readonly string[];
  onProgress?: (done: number, total: number, tupleId: string) => void;
}

export class UnknownTupleError extends Error {}

export async function reconcileWorkspace(options: ReconcileOptions): Promise<ReconcileReport> {
  const { root } = options;
  const catalog = loadDictionaryCatalog(root);
  const folders = listTupleFolders(root);
  const wanted = options.tupleIds && options.tupleIds.length > 0 ? [...new Set(options.tupleIds)] : folders;
  for (const id of wanted) {
    if (!folders.includes(id)) throw new UnknownTupleError(`no tuple "${id}" under ${join(root, TUPLES_FOLDER)}`);
  }
  const tuples: TupleReport[] = [];
  for (const [index, tupleId] of wanted.entries()) {
    tuples.push(await reconcileTupleFolder(root, tupleId, catalog));
    options.onProgress?.(index + 1, wanted.length, tupleId);
  }
  return assembleReport(catalog.current?.dictionary.version ?? null, tuples, catalog.problems);
}

async function reconcileTupleFolder(root: string, tupleId: string, catalog: DictionaryCatalog): Promise<TupleReport> {
  const dir = join(root, TUPLES_FOLDER, tupleId);
  const rel = `${TUPLES_FOLDER}/${tupleId}`;
  const tupleFile = `${rel}/tuple.yaml`;
  let config: TupleConfig | null = null;
  const configProblems: Problem[] = [];
  if (existsSync(join(dir, 'tuple.yaml'))) {
    const parsed = parseTupleConfig(readFileSync(join(dir, 'tuple.yaml'), 'utf8'), tupleFile, tupleId);
    config = parsed.config;
    configProblems.push(...parsed.problems);
  } else {
    configProblems.push(problem('BAD_TUPLE', `missing ${tupleFile}; every tuple folder has one`, { file: tupleFile }));
  }

  const manifests = {} as Record<Audience, ManifestRead>;
  const manifestTexts = {} as Record<Audience, string>;
  const windows = {} as Record<Audience, ExportWindow | null>;
  const windowProblems: Problem[] = [];
  for (const audience of ['leadership', 'partner'] as const) {
    const file = `${rel}/${audience}.manifest.json`;
    const path = join(dir, `${audience}.manifest.json`);
    if (!existsSync(path)) {
      manifests[audience] = { audience, file, manifest: null, problems: [problem('BAD_MANIFEST', `missing ${file}; each export has a JSON manifest beside it`, { file })] };
      windows[audience] = null;
      continue;
    }
    manifestTexts[audience] = readFileSync(path, 'utf8');
    manifests[audience] = parseManifest(manifestTexts[audience], file, audience);
    const window = manifestWindow(manifests[audience]);
    windows[audience] = window.window;
    windowProblems.push(...window.problems);
  }
  const parityProblems = windowParity(manifests.leadership, manifests.partner, tupleId);

  // step 3: the version the manifests cite, with its own definitions
  const dictionaryProblems: Problem[] = [];
  const dictionaries = {} as Record<Audience, LoadedDictionary | null>;
  for (const audience of ['leadership', 'partner'] as const) {
    const manifest = manifests[audience].manifest;
    dictionaries[audience] = manifest ? (catalog.byVersion.get(manifest.dictionary_version) ?? null) : null;
    if (manifest && !dictionaries[audience]) {
      const alreadySaid = dictionaryProblems.some((p) => p.message.includes(`"${manifest.dictionary_version}"`));
      if (!alreadySaid) {
        const known = [...catalog.byVersion.keys()].join(', ') || 'none';
        const where = lineColumnAt(manifestTexts[audience]!, manifestTexts[audience]!.indexOf('"dictionary_version"'));
        dictionaryProblems.push(problem('DICTIONARY_VERSION_UNKNOWN', `dictionary_version "${manifest.dictionary_version}" is neither the current dictionary nor in dictionary/history (known: ${known})`, { file: manifests[audience].file, ...where }));
      }
    }
  }
  const sameDictionary = dictionaries.leadership && dictionaries.leadership === dictionaries.partner ? dictionaries.leadership : null;

  const exportsRead = {} as Record<Audience, ExportRead>;
  for (const audience of ['leadership', 'partner'] as const) {
    const manifest = manifests[audience].manifest;
    if (!manifest) {
      exportsRead[audience] = { summary: null, sha256: null, problems: [] };
      continue;
    }
    const resolved = resolveExportFile(root, dir, manifest.file, manifests[audience].at?.('file') ?? { file: manifests[audience].file });
    if ('problem' in resolved) {
      exportsRead[audience] = { summary: null, sha256: null, problems: [resolved.problem] };
      continue;
    }
    const accumulator = new ExportAccumulator({
      audience,
      file: displayPath(root, join(dir, manifest.file)),
      dictionary: dictionaries[audience],
      window: windows[audience],
      dimensions: config?.dimensions ?? [],
    });
    const read = await readExport(resolved.path, displayPath(root, join(dir, manifest.file)), accumulator);
    const problems = [...read.problems];
    if (read.sha256 !== manifest.sha256) {
      const text = manifestTexts[audience]!;
      const where = lineColumnAt(text, text.indexOf('"sha256"'));
      problems.unshift(problem('CHECKSUM_MISMATCH', `sha256 in the manifest is ${manifest.sha256}, but ${manifest.file} hashes to ${read.sha256}; the export changed after its manifest was written`, { file: manifests[audience].file, ...where }));
    }
    exportsRead[audience] = { summary: accumulator.finish(read.problems.length > 0), sha256: read.sha256, problems };
  }

  return reconcileTuple({
    tupleId,
    config,
    configProblems,
    manifests,
    windowProblems,
    parityProblems,
    dictionary: sameDictionary,
    dictionaryProblems,
    exports: exportsRead,
  });
}
