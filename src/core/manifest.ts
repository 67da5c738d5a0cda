/** docs/reference/workspace.md–§5 steps 1–2: export manifests and window parity. */
import type { ExportWindow } from './exports.ts';
import { parseJson, validate } from './located.ts';
import { findingKey, problem, type Problem, type SourceLocation } from './problems.ts';
import { showDifference } from './text.ts';
import { type Audience, AudienceSchema, type Manifest, ManifestSchema } from './schemas.ts';
import { SEMVER, SHA256_HEX, TUPLE_ID } from './ids.ts';
import { instantToMs, parseUtcInstant, rfc3339Variant } from './timestamps.ts';

export interface ManifestRead {
  audience: Audience;
  /** manifest path relative to the workspace root */
  file: string;
  manifest: Manifest | null;
  problems: Problem[];
  /** where each top-level key is written, for problems about its value */
  at?: (key: keyof Manifest) => SourceLocation;
}

/**
 * Step 1: valid JSON of the manifest schema, for the audience its file name says, naming a
 * file inside the tuple folder (a relative path without `..`; the reader also refuses symlinks
 * that leave the folder).
 */
export function parseManifest(text: string, file: string, audience: Audience): ManifestRead {
  const parsed = parseJson(text, file, 'BAD_MANIFEST');
  const checked = validate(ManifestSchema, parsed, file, 'BAD_MANIFEST', 'the manifest');
  const at = (key: string) => ({ file, ...(parsed.locate([key]) ?? {}) });
  const manifest = checked.value;
  if (!manifest) return { audience, file, manifest: null, problems: checked.problems, at };
  const problems: Problem[] = [];
  if (manifest.audience !== audience) {
    problems.push(
      problem(
        'BAD_MANIFEST',
        `audience is "${manifest.audience}" but this is the ${audience} manifest (${audience}.manifest.json)`,
        at('audience'),
      ),
    );
  }
  if (!isInsideFolder(manifest.file)) {
    problems.push(
      problem(
        'BAD_MANIFEST',
        `file "${manifest.file}" must name a file inside the tuple folder (a plain relative name, no "..", no absolute path)`,
        at('file'),
      ),
    );
  } else if (manifest.file.split('/').pop() !== exportFileName(audience)) {
    // a manifest names its own audience's export: the leadership manifest naming partner.csv would
    // have reconcile compare the partner export with itself while leadership.csv holds anything
    problems.push(
      problem(
        'BAD_MANIFEST',
        `file "${manifest.file}" is not the ${audience} export: the ${audience} manifest names ${exportFileName(audience)} (in this folder or a subfolder of it)`,
        at('file'),
        undefined,
        { actual: manifest.file, expected: exportFileName(audience) },
      ),
    );
  }
  if (parseUtcInstant(manifest.generated_at) === null) {
    problems.push(
      problem(
        'BAD_MANIFEST',
        `generated_at "${manifest.generated_at}" is not an RFC 3339 UTC timestamp with a Z suffix`,
        at('generated_at'),
      ),
    );
  }
  return { audience, file, manifest: problems.length === 0 ? manifest : null, problems, at };
}

/** The file an audience's export is written to (docs/reference/workspace.md layout). */
export function exportFileName(audience: Audience): string {
  return `${audience}.csv`;
}

export function isInsideFolder(path: string): boolean {
  if (path.startsWith('/') || path.includes('\\') || /^[A-Za-z]:/.test(path) || path.includes('\u0000')) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/** Step 2, one side: the window is UTC, written with `Z`, and not empty. */
export function manifestWindow(read: ManifestRead): { window: ExportWindow | null; problems: Problem[] } {
  const manifest = read.manifest;
  if (!manifest) return { window: null, problems: [] };
  const problems: Problem[] = [];
  const at = (key: keyof Manifest) => read.at?.(key) ?? { file: read.file };
  if (manifest.window_tz_policy !== 'UTC') {
    problems.push(
      problem(
        'WINDOW_NOT_UTC',
        `window_tz_policy is "${manifest.window_tz_policy}"; expected "UTC"`,
        at('window_tz_policy'),
      ),
    );
  }
  const instant = (key: 'start_inclusive' | 'end_exclusive') => {
    const parsed = parseUtcInstant(manifest[key]);
    if (parsed === null)
      problems.push(
        problem(
          'WINDOW_NOT_UTC',
          `${key} "${manifest[key]}" is not an RFC 3339 UTC timestamp with a Z suffix`,
          at(key),
          undefined,
          { actual: manifest[key], expected: 'YYYY-MM-DDTHH:MM:SSZ' },
        ),
      );
    return parsed;
  };
  const start = instant('start_inclusive');
  const end = instant('end_exclusive');
  if (start !== null && end !== null && start >= end) {
    problems.push(
      problem(
        'WINDOW_NOT_UTC',
        `the window is empty: start_inclusive ${manifest.start_inclusive} is not before end_exclusive ${manifest.end_exclusive}`,
        at('end_exclusive'),
      ),
    );
  }
  if (problems.length > 0 || start === null || end === null) return { window: null, problems };
  return {
    window: {
      start,
      end,
      startText: manifest.start_inclusive,
      endText: manifest.end_exclusive,
      startMs: instantToMs(start),
    },
    problems,
  };
}

/** Step 2, both sides: byte-identical windows and the same tuple, run and dictionary version. */
export function windowParity(leadership: ManifestRead, partner: ManifestRead, tupleId: string): Problem[] {
  const a = leadership.manifest;
  const b = partner.manifest;
  if (!a || !b) return [];
  const problems: Problem[] = [];
  const at = (key: keyof Manifest) => partner.at?.(key) ?? { file: partner.file };
  for (const key of ['start_inclusive', 'end_exclusive'] as const) {
    if (a[key] !== b[key]) {
      problems.push(
        problem(
          'WINDOW_MISMATCH',
          `${key} differs: ${showDifference('leadership', a[key], 'partner', b[key])}; both exports must cover the byte-identical window`,
          at(key),
          undefined,
          { actual: b[key], expected: a[key] },
        ),
      );
    }
  }
  let tupleProblem = false;
  for (const side of [leadership, partner]) {
    if (side.manifest!.tuple_id !== tupleId) {
      tupleProblem = true;
      problems.push(
        problem(
          'TUPLE_MISMATCH',
          `tuple_id "${side.manifest!.tuple_id}" is not this tuple ("${tupleId}", the folder name)`,
          side.at?.('tuple_id') ?? { file: side.file },
          undefined,
          { actual: side.manifest!.tuple_id, expected: tupleId },
        ),
      );
    }
  }
  // the same tuple (when each names this one), run and dictionary version on both sides
  const parity = [
    ['TUPLE_MISMATCH', 'tuple_id', ''],
    ['RUN_MISMATCH', 'run_id', '; both exports must come from the same run'],
    ['DICTIONARY_VERSION_MISMATCH', 'dictionary_version', ''],
  ] as const;
  for (const [code, key, why] of parity) {
    if (a[key] === b[key] || (key === 'tuple_id' && tupleProblem)) continue;
    problems.push(
      problem(
        code,
        `${key} differs: ${showDifference('leadership', a[key], 'partner', b[key])}${why}`,
        at(key),
        undefined,
        {
          actual: b[key],
          expected: a[key],
        },
      ),
    );
  }
  return problems;
}

/**
 * Step 3: the dictionary version each manifest cites exists (one problem per unknown version,
 * however many manifests cite it). `known` lists the versions that exist. When a dictionary file
 * is unreadable, every tuple would repeat this problem as an echo of that one: none is reported,
 * and the tuple is invalid through its missing dictionary (`dictionaryUnreadable`).
 */
export function citedDictionaryProblems(
  reads: readonly ManifestRead[],
  known: readonly string[],
  /** some dictionary file could not be read: an unknown version may be the one it holds, which its own problem says */
  someUnreadable = false,
): Problem[] {
  if (someUnreadable) return [];
  const problems: Problem[] = [];
  const said = new Set<string>();
  for (const read of reads) {
    const version = read.manifest?.dictionary_version;
    if (version === undefined || known.includes(version)) continue;
    const found = problem(
      'DICTIONARY_VERSION_UNKNOWN',
      `dictionary_version "${version}" is neither the current dictionary nor in dictionary/history (known: ${known.join(', ') || 'none'})`,
      { file: read.file, ...read.at?.('dictionary_version') },
      undefined,
      { actual: version, expected: known.join(', ') || 'none' },
    );
    // the same version cited twice is one problem: keyed on the facts, not the place or wording
    const key = findingKey({ ...found, file: undefined, line: undefined, column: undefined });
    if (said.has(key)) continue;
    said.add(key);
    problems.push(found);
  }
  return problems;
}

/** Step 1: the export's bytes hash to what its manifest says. */
export function checksumProblem(read: ManifestRead, fileSha256: string): Problem | null {
  const manifest = read.manifest;
  if (!manifest || manifest.sha256 === fileSha256) return null;
  return problem(
    'CHECKSUM_MISMATCH',
    `sha256 in the manifest is ${manifest.sha256}, but ${manifest.file} hashes to ${fileSha256}; the export changed after its manifest was written`,
    read.at?.('sha256') ?? { file: read.file },
    undefined,
    { actual: fileSha256, expected: manifest.sha256 },
  );
}

/** What a pipeline says about an export it has just written (`readback manifest write`). */
export interface ManifestDraft {
  audience: string;
  tuple_id: string;
  run_id: string;
  start_inclusive: string;
  end_exclusive: string;
  dictionary_version: string;
  /** the export's path relative to its tuple folder */
  file: string;
  sha256: string;
  generated_at: string;
}

/** A field of a draft manifest that reconcile would refuse, and why. */
export interface DraftFault {
  field: keyof ManifestDraft;
  message: string;
}

/**
 * The manifest `readback manifest write` writes, or every reason reconcile would refuse it
 * (steps 1 and 2, one side): the same schema, file-name rule and window rules, so a pipeline
 * learns at write time what reconcile would say later.
 */
export function draftManifest(draft: ManifestDraft): { manifest: Manifest | null; faults: DraftFault[] } {
  const faults: DraftFault[] = [];
  const audience = AudienceSchema.safeParse(draft.audience);
  if (!audience.success)
    faults.push({ field: 'audience', message: `"${draft.audience}" is not leadership or partner` });
  if (!TUPLE_ID.test(draft.tuple_id))
    faults.push({ field: 'tuple_id', message: `"${draft.tuple_id}" does not match ^[a-z0-9][a-z0-9-]{1,63}$` });
  if (draft.run_id.trim() === '') faults.push({ field: 'run_id', message: 'is empty' });
  if (!SEMVER.test(draft.dictionary_version))
    faults.push({
      field: 'dictionary_version',
      message: `"${draft.dictionary_version}" is not a version such as 2.1.0`,
    });
  const instants: Partial<Record<'start_inclusive' | 'end_exclusive' | 'generated_at', bigint>> = {};
  for (const field of ['start_inclusive', 'end_exclusive', 'generated_at'] as const) {
    const parsed = parseUtcInstant(draft[field]);
    if (parsed === null) {
      const why = rfc3339Variant(draft[field]) ?? 'expected an RFC 3339 UTC timestamp such as 2026-04-06T00:00:00Z';
      faults.push({ field, message: `"${draft[field]}": ${why}` });
    } else instants[field] = parsed;
  }
  if (
    instants.start_inclusive !== undefined &&
    instants.end_exclusive !== undefined &&
    instants.start_inclusive >= instants.end_exclusive
  )
    faults.push({
      field: 'end_exclusive',
      message: `the window is empty: ${draft.start_inclusive} is not before ${draft.end_exclusive}`,
    });
  if (audience.success) {
    if (!isInsideFolder(draft.file))
      faults.push({ field: 'file', message: `"${draft.file}" is not inside the tuple folder` });
    else if (draft.file.split('/').pop() !== exportFileName(audience.data))
      faults.push({
        field: 'file',
        message: `"${draft.file}" is not the ${audience.data} export: it must be named ${exportFileName(audience.data)}`,
      });
  }
  if (!SHA256_HEX.test(draft.sha256)) faults.push({ field: 'sha256', message: 'is not 64 lowercase hex digits' });
  if (faults.length > 0) return { manifest: null, faults };
  const manifest = ManifestSchema.parse({
    schema: 'readback.export-manifest/1',
    audience: draft.audience,
    tuple_id: draft.tuple_id,
    run_id: draft.run_id,
    window_tz_policy: 'UTC',
    start_inclusive: draft.start_inclusive,
    end_exclusive: draft.end_exclusive,
    dictionary_version: draft.dictionary_version,
    file: draft.file,
    sha256: draft.sha256,
    generated_at: draft.generated_at,
  });
  return { manifest, faults };
}
