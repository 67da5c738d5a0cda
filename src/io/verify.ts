/**
 * `readback verify DIR` (docs/reference/cli.md): recompute, from a built site alone, every tuple revision hash,
 * dictionary_sha256, download hash and artifact id, as an auditor would.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, shortHash, tupleRevisionHash } from '../core/hash.ts';
import { leadershipTilesCsv, TILE_EXPORT_KEY_COLUMNS, TILE_EXPORT_SUFFIX, tileSeries } from '../core/leadership.ts';
import { PARTNERS_FOLDER } from '../core/partner-bundles.ts';
import { type Located, parseJson } from '../core/located.ts';
import { currenciesOf, parseDictionary } from '../core/dictionary.ts';
import {
  displayValue,
  humanWindow,
  type ShownAs,
  TUPLE_FACT_FIELDS,
  type TupleFactField,
  tupleFacts,
} from '../core/present.ts';
import { SEMVER } from '../core/ids.ts';
import { artifactId } from '../core/reconcile.ts';
import { problem, type Problem, type ProblemFacts } from '../core/problems.ts';
import { type MetricResult, TARGET, type TupleReport, TupleReportSchema } from '../core/schemas.ts';
import { evaluateTarget, TARGET_WORDS, targetSentence } from '../core/targets.ts';
import { statStamp } from './kept-files.ts';
import { decodeEntities } from './links.ts';
import { readTextFile } from './text-file.ts';
import { decodeText } from '../core/text.ts';

export interface VerifyResult {
  /** what was recomputed and matched, one line each */
  checked: string[];
  /** what did not replay: VERIFY_MISMATCH (or NOT_A_SITE), located at the file, relative to the site folder */
  problems: Problem[];
}

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

export const SITE_SUMS = 'SHA256SUMS';

/** Every file below `dir`, relative to it; the folders in `skipped` (relative too) are not entered. */
/**
 * What a build remembers of earlier builds' checks (src/publish/verdict-cache.ts): a tuple's
 * content checks that passed, under a key of every file they read (by path and SHA-256), the kind
 * of site and the code that checks. The same files checked by the same code pass the same checks,
 * so a tuple whose key is known is not checked again: each of its checks is told as passed by an
 * earlier build, one line each, as many as there were. A tuple with any problem is never
 * remembered. `readback verify` remembers nothing.
 */
export interface Verdicts {
  /** the identity of the code that checks (every source file of the package) */
  tool: string;
  /** the SHA-256s of the files this build has read, so that a key costs no second read */
  hashes: FileHashes;
  /** how many checks of a tuple passed under `key` in an earlier build */
  known: (key: string) => number | undefined;
  /** the checks known under `key` are told as passed in this build */
  reused: (key: string) => void;
  /** a tuple's `count` checks passed under `key` */
  passed: (key: string, count: number) => void;
}

/**
 * Every file below `dir/prefix`, relative to `dir`, in the order the folders list them; the
 * `skipped` folders are not entered. One list pushed to, not one per folder flattened: a build
 * lists its 2,000 folders several times, the first time in each thread before its code is
 * optimized, where the flattening took as long again as the listing.
 */
function walk(dir: string, prefix = '', skipped?: ReadonlySet<string>): string[] {
  const files: string[] = [];
  const visit = (below: string) => {
    for (const entry of readdirSync(below ? `${dir}/${below}` : dir, { withFileTypes: true })) {
      const rel = below ? `${below}/${entry.name}` : entry.name;
      if (!entry.isDirectory()) files.push(rel);
      else if (!skipped?.has(rel)) visit(rel);
    }
  };
  visit(prefix);
  return files;
}

/**
 * The partner bundles a site holds (docs/reference/site.md), as folders relative to it: `partners/<partner_id>`.
 * Each is a site of its own, with its own SHA256SUMS, verified as one; the site around it lists and
 * checks only its own files (the `partners/` index page among them).
 */
export function partnerBundleFolders(dir: string): string[] {
  const partners = join(dir, PARTNERS_FOLDER);
  if (!isFolder(partners)) return [];
  return readdirSync(partners, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `${PARTNERS_FOLDER}/${entry.name}`)
    .sort();
}

/** A report entry read with the JSON parser alone (see publishedEntries); null when that fails: then it is read strictly. */
function trustedJson(path: string): TupleReport | null {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof value === 'object' && value !== null ? (value as TupleReport) : null;
  } catch {
    return null;
  }
}

/** A site's own files, relative to it: every file but those of the partner bundles it holds. */
export function siteFiles(dir: string): string[] {
  // the bundles' folders are not entered: their files are theirs
  return walk(dir, '', new Set(partnerBundleFolders(dir)));
}

/**
 * SHA-256s a build remembers for the files it has hashed, each with the file as it was (its
 * device, inode, size and change times): the build writes a site's sums and then checks them, and
 * a file that has not changed since is not read twice. `readback verify` hashes every file afresh.
 */
export type FileHashes = Map<string, { stamp: string; hash: string }>;

/** `sha256sum` lines for every file the site publishes but the list itself (and its bundles' files), sorted by path. */
export function siteSums(
  dir: string,
  hashes?: FileHashes,
  listed = siteFiles(dir),
  /** collects the files whose hash the sums took after comparing their stamps (see `fileSha256`) */
  confirmed?: Set<string>,
): string {
  const files = listed.filter((f) => f !== SITE_SUMS).sort();
  return files.map((file) => `${fileSha256(join(dir, file), hashes, confirmed)}  ${file}\n`).join('');
}

const stampOf = (path: string) => statStamp(statSync(path, { bigint: true }));

/**
 * A file's SHA-256: read now, or as remembered in `hashes` when the file has not changed since.
 * `confirmed`: the files whose stamp was compared (or which were read) within the same synchronous
 * step, whose remembered hash is taken without comparing it again; each file compared is added.
 * A build writes a site's sums and then checks the site against them with nothing run in between,
 * so the check does not look at every file a second time.
 */
function fileSha256(path: string, hashes?: FileHashes, confirmed?: Set<string>): string {
  if (!hashes) return sha256(readFileSync(path));
  if (confirmed?.has(path)) return hashes.get(path)!.hash;
  const stamp = stampOf(path);
  const known = hashes.get(path);
  let hash = known?.hash;
  if (known?.stamp !== stamp || hash === undefined) {
    hash = sha256(readFileSync(path));
    hashes.set(path, { stamp, hash });
  }
  confirmed?.add(path);
  return hash;
}

/**
 * A file read now, its SHA-256 remembered in `hashes` with the file as it was before the read (a
 * file changed while or after it is read has another stamp then, and is read again for its sum).
 */
export function readAndHash(path: string, hashes: FileHashes): Buffer {
  const stamp = stampOf(path);
  const bytes = readFileSync(path);
  hashes.set(path, { stamp, hash: sha256(bytes) });
  return bytes;
}

/** Every file below `dir`, as paths relative to it, `/` separated; the `skipped` folders are not entered. */
export const filesBelow = (dir: string, skipped?: ReadonlySet<string>): string[] => walk(dir, '', skipped);

/** The values a page shows for a metric, each next to the report's own (docs/reference/site.md: pages render, never recompute). */
const SHOWN_FIELDS = ['leadership', 'partner', 'delta', 'epsilon'] as const;
type ShownField = (typeof SHOWN_FIELDS)[number];
/** What a page may show of a metric: its four values, and its status as written. */
const METRIC_FIELDS: readonly string[] = [...SHOWN_FIELDS, 'status'];

/** An element a page marks with `data-field` (src/pages/): a metric's value, or a fact of a tuple. */
interface ShownValue {
  /** `data-tuple-id`: the tuple it belongs to, when the page is not one tuple's own (the index) */
  tupleId: string | undefined;
  /** `data-metric-id`, for a metric's value; absent for a fact of the tuple (tupleFacts) */
  metricId: string | undefined;
  field: string;
  /** the text a reader sees */
  text: string;
  /** every `data-*`, `datetime` and `title` attribute, entities decoded */
  attributes: Map<string, string>;
}

/** An element of text whose attributes mark it with data-field (a quoted value may hold `>`, as a target's `>= 99.9` does). */
const MARKED = /<([a-z][a-z0-9]*)\s((?:[^>"]|"[^"]*")*?\bdata-field="[^"]*"(?:[^>"]|"[^"]*")*)>([^<]*)<\/\1>/g;

/** Every element a page marks with `data-field`, and how many marks could not be read as one element of text. */
function shownValues(html: string): { shown: ShownValue[]; unreadable: number } {
  const shown: ShownValue[] = [];
  for (const element of html.matchAll(MARKED)) {
    const attributes = new Map(
      [...element[2]!.matchAll(/(?<![\w-])(data-[a-z-]+|datetime|title)="([^"]*)"/g)].map((a) => [
        a[1]!,
        decodeEntities(a[2]!),
      ]),
    );
    shown.push({
      tupleId: attributes.get('data-tuple-id'),
      metricId: attributes.get('data-metric-id'),
      field: attributes.get('data-field')!,
      text: decodeEntities(element[3]!),
      attributes,
    });
  }
  return { shown, unreadable: (html.match(/\bdata-field="/g) ?? []).length - shown.length };
}

/** `(metric_id, sha256:<12 hex>)`: the citation each headline carries, on the readback page and in the PDF. */
const CITATION = /\(([^\s,()]+),\s*sha256:([0-9a-f]{12})\)/g;

const flat = (text: string) => text.replace(/\s+/g, '');

/** What a page must show, one key per tuple, metric (empty for a fact of the tuple) and field. */
const shownKey = (tupleId: string, metricId: string, field: string) => `${tupleId} ${metricId} ${field}`;

/**
 * What the report entry says a marked element shows, as src/core/present.ts formats it; undefined: not held.
 * A target is tuple.yaml's, not the report's: the element carries it as written (`data-target`),
 * and what it must say (met or missed) is evaluated again against the report's value.
 */
function expectedText(
  published: PublishedEntry,
  metricId: string | undefined,
  field: string,
  attributes?: ReadonlyMap<string, string>,
): string | undefined {
  const { entry } = published;
  if (metricId === undefined)
    return (TUPLE_FACT_FIELDS as readonly string[]).includes(field)
      ? tupleFacts(entry)[field as TupleFactField]
      : undefined;
  const metric = entry.metrics.find((m) => m.metric_id === metricId);
  if (!metric) return undefined;
  if (field === TARGET_FIELD) return targetShown(metric, attributes?.get('data-target'), shownAs(published, metric));
  if (!METRIC_FIELDS.includes(field)) return undefined;
  return field === 'status' ? metric.status : displayValue(metric[field as ShownField], shownAs(published, metric));
}

/** The data-field of a metric's target (src/pages/annex/[tuple_id].astro). */
const TARGET_FIELD = 'target';

/** How a target written as `written` reads for this metric (met or missed), or undefined when it is no target. */
function targetShown(metric: MetricResult, written: string | undefined, as: ShownAs): string | undefined {
  return written !== undefined && TARGET.test(written)
    ? targetSentence(evaluateTarget(written, metric.partner, as))
    : undefined;
}

/**
 * Each value and fact a page shows against the published report entry it claims to show;
 * `required` must all be shown. `pageTuple` is the tuple a page is about (the annex and the
 * readback); elsewhere (the index) each element names its tuple with `data-tuple-id`.
 */
function shownValueProblems(
  page: string,
  html: string,
  entries: ReadonlyMap<string, PublishedEntry>,
  pageTuple: string | undefined,
  required: ReadonlySet<string>,
  checked: string[],
): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const wrong = (metricId: string | undefined, message: string, actual: string, expected: string) =>
    problems.push(problem('VERIFY_MISMATCH', message, { file: page }, metricId, { actual, expected }));
  const { shown: marked, unreadable } = shownValues(html);
  if (unreadable > 0)
    wrong(undefined, `${page} marks ${unreadable} value(s) with data-field around more than text`, 'markup', 'text');
  for (const shown of marked) {
    const tupleId = shown.tupleId ?? pageTuple ?? '';
    const entry = entries.get(tupleId);
    const report = `tuples/${tupleId}/report.json`;
    const what = [pageTuple === undefined ? tupleId : '', shown.metricId ?? '', shown.field].filter(Boolean).join(' ');
    const expected =
      entry && tupleId === (pageTuple ?? tupleId)
        ? expectedText(entry, shown.metricId, shown.field, shown.attributes)
        : undefined;
    if (expected === undefined) {
      wrong(shown.metricId, `${page} shows "${shown.text}" as ${what}, which ${report} does not hold`, shown.text, '');
      continue;
    }
    seen.add(shownKey(tupleId, shown.metricId ?? '', shown.field));
    // what else the element carries of the same report: the raw decimal, an instant, the full hash
    const alsoCarried: [string, string | undefined, string][] = [
      ['datetime', shown.attributes.get('datetime'), expected],
    ];
    if (shown.metricId !== undefined && shown.field !== 'status' && shown.field !== TARGET_FIELD) {
      const metric = entry!.entry.metrics.find((m) => m.metric_id === shown.metricId)!;
      alsoCarried.push(['data-value', shown.attributes.get('data-value'), metric[shown.field as ShownField]]);
    }
    const titleField = shown.attributes.get('data-title-field');
    if (titleField !== undefined) {
      const title = expectedText(entry!, shown.metricId, titleField);
      alsoCarried.push([`title (${titleField})`, shown.attributes.get('title') ?? '', title ?? '']);
      if (title !== undefined) seen.add(shownKey(tupleId, shown.metricId ?? '', titleField));
    }
    const carried = alsoCarried.find(([, value, wanted]) => value !== undefined && value !== wanted);
    if (shown.text !== expected)
      wrong(shown.metricId, `${what} shows ${shown.text}; ${report} says ${expected}`, shown.text, expected);
    else if (carried)
      wrong(
        shown.metricId,
        `${what} carries ${carried[0]} ${carried[1]}; ${report} says ${carried[2]}`,
        carried[1]!,
        carried[2],
      );
    else checked.push(`${page}: ${what} = ${expected}`);
  }
  for (const key of required) {
    if (seen.has(key)) continue;
    const [tupleId, metricId, field] = key.split(' ') as [string, string, string];
    const entry = entries.get(tupleId);
    const of = metricId ? ` of ${metricId}` : pageTuple === undefined ? ` of ${tupleId}` : '';
    wrong(
      metricId || undefined,
      `${page} does not show the ${field}${of} that tuples/${tupleId}/report.json holds`,
      'not shown',
      (entry && expectedText(entry, metricId || undefined, field)) ?? '',
    );
  }
  return problems;
}

/** The facts of its tuple the annex shows (src/pages/[...site]/annex/[tuple_id].astro): all but its status and metric count. */
const ANNEX_FACTS = TUPLE_FACT_FIELDS.filter((field) => field !== 'status' && field !== 'metric_count');
/** The facts of its tuple the HTML readback shows, besides the headlines' values. */
const READBACK_FACTS: readonly TupleFactField[] = [
  'start_inclusive',
  'end_exclusive',
  'dictionary_version',
  'tuple_revision_hash',
  'artifact_id',
];
/** What the index shows of each tuple (src/pages/[...site]/index.astro). */
const INDEX_FACTS: readonly TupleFactField[] = [
  'start_inclusive',
  'end_exclusive',
  'dictionary_version',
  'status',
  'short_hash',
  'tuple_revision_hash',
  'metric_count',
];

const factKeys = (entry: TupleReport, fields: readonly TupleFactField[]) =>
  fields.map((field) => shownKey(entry.tuple_id, '', field));

/** What the annex must show: every metric's four values and status, and ANNEX_FACTS. */
const annexFields = (entry: TupleReport) =>
  new Set([
    ...entry.metrics.flatMap((m) => METRIC_FIELDS.map((field) => shownKey(entry.tuple_id, m.metric_id, field))),
    ...factKeys(entry, ANNEX_FACTS),
  ]);

/** What a readback must show: the partner value of every metric a headline cites; each citation's hash is checked. */
function citedFields(text: string, entry: TupleReport, file: string, checked: string[], problems: Problem[]) {
  const short = entry.tuple_revision_hash ? shortHash(entry.tuple_revision_hash) : '';
  const cited = new Set<string>();
  for (const [, metricId, hash] of text.matchAll(CITATION)) {
    cited.add(shownKey(entry.tuple_id, metricId!, 'partner'));
    if (hash === short) checked.push(`${file}: the headline of ${metricId} cites the tuple revision hash`);
    else
      problems.push(
        problem(
          'VERIFY_MISMATCH',
          `${file}: the headline of ${metricId} cites sha256:${hash}; the tuple revision hash is sha256:${short}`,
          { file },
          metricId,
          { actual: `sha256:${hash}`, expected: `sha256:${short}` },
        ),
      );
  }
  return cited;
}

const readPage = (dir: string, page: string) =>
  existsSync(join(dir, page)) ? readFileSync(join(dir, page), 'utf8') : '';

interface PublishedEntry {
  tupleId: string;
  entry: TupleReport;
  /** the file as published, so a key added afterwards changes the id (zod would drop it) */
  raw: Record<string, unknown>;
  /** the currency of each money metric that has one, in the published dictionary version the entry cites */
  currencies: ReadonlyMap<string, string>;
}

/** How a page shows a metric of the entry: report.json keeps minor units; the cited dictionary names the currency. */
const shownAs = (published: PublishedEntry, metric: MetricResult): ShownAs => ({
  unit: metric.unit,
  currency: published.currencies.get(metric.metric_id) ?? null,
});

/**
 * The currencies of `dictionary/<version>.json` (canonical JSON, read as JSON), checked as
 * the dictionary is; none when it is missing or unreadable (verifySite reports that).
 */
function publishedCurrencies(dir: string, version: string | null): ReadonlyMap<string, string> {
  const file = `dictionary/${version}.json`;
  if (version === null || !existsSync(join(dir, file))) return new Map();
  const text = readFileSync(join(dir, file), 'utf8');
  // every tuple of every site cites one of a few versions: each distinct file is parsed once
  const key = sha256(text);
  let currencies = currenciesByContent.get(key);
  if (!currencies) {
    const loaded = parseDictionary(text, file, 'json').loaded;
    currencies = new Map(loaded ? currenciesOf(loaded.dictionary) : []);
    if (currenciesByContent.size >= 64) currenciesByContent.delete(currenciesByContent.keys().next().value!);
    currenciesByContent.set(key, currencies);
  }
  return currencies;
}

/** The currencies of dictionary files already parsed, by the SHA-256 of their text (the newest 64). */
const currenciesByContent = new Map<string, ReadonlyMap<string, string>>();

/**
 * The currencies of dictionary texts as the build that writes them read them, each by the SHA-256
 * of the text (the canonical JSON it publishes): a published file of those bytes is not parsed
 * again for them, one of other bytes is parsed as it is. Parsing a 1,000-metric dictionary took
 * a rebuild's verify worker 0.12 s after the pages were built.
 */
export function knownCurrencies(known: readonly [sha256: string, currencies: [string, string][]][]): void {
  for (const [key, currencies] of known) currenciesByContent.set(key, new Map(currencies));
}

/**
 * What the content checks read of a site's dictionary files, read ahead (a build's verify worker
 * does so while the pages render): each file's strict reading, canonical JSON and currencies,
 * kept by its bytes as they are when the checks ask.
 */
export function readDictionaries(dir: string): void {
  const folder = join(dir, 'dictionary');
  if (!isFolder(folder)) return;
  for (const name of readdirSync(folder).sort()) {
    if (!name.endsWith('.json')) continue;
    const read = readPublishedJson(dir, `dictionary/${name}`);
    if (read.value !== null) canonicalOf(read.value);
    publishedCurrencies(dir, name.slice(0, -'.json'.length));
  }
}

/** A site's `dictionary/<version>.json` files, each read and parsed once for all its tuples. */
function dictionaryReader(
  dir: string,
): (file: string) => { bytes: Buffer; read: Located<unknown>; canonical: string | null } {
  const read = new Map<string, { bytes: Buffer; read: Located<unknown>; canonical: string | null }>();
  return (file) => {
    let entry = read.get(file);
    if (!entry) {
      const json = readPublishedJson(dir, file);
      entry = {
        bytes: readFileSync(join(dir, file)),
        read: json,
        canonical: json.value === null ? null : canonicalOf(json.value),
      };
      read.set(file, entry);
    }
    return entry;
  };
}

/**
 * A published JSON file read as strictly as Readback reads its inputs (strict UTF-8, no byte order
 * mark, no key written twice), so verify never reads another value than a careful auditor would.
 */
function readPublishedJson(dir: string, file: string): Located<unknown> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(dir, file));
  } catch {
    return readTextFile(join(dir, file), file, 'VERIFY_MISMATCH', { bom: 'refuse' }); // its problem
  }
  // the same bytes under the same name read alike: a file every bundle copies, or two checks
  // read, is parsed once (its value is only read, never changed)
  const key = `${file}\0${sha256(bytes)}`;
  const known = jsonByContent.get(key);
  if (known) return known;
  const text = decodeText(bytes, file, 'VERIFY_MISMATCH', { bom: 'refuse' });
  const parsed = text.value === null ? text : parseJson(text.value, file, 'VERIFY_MISMATCH');
  const read = { value: parsed.value, problems: parsed.problems };
  jsonByContent.set(key, read);
  if (jsonByContent.size > 1024) jsonByContent.delete(jsonByContent.keys().next().value!);
  return read;
}

/** The canonical JSON of a value read above (the same value for the same bytes: written once). */
const canonicals = new WeakMap<object, string>();
function canonicalOf(value: unknown): string {
  if (typeof value !== 'object' || value === null) return canonicalJson(value);
  let canonical = canonicals.get(value);
  if (canonical === undefined) canonicals.set(value, (canonical = canonicalJson(value)));
  return canonical;
}

/** Strict readings of published JSON files, by name and the SHA-256 of their bytes (the newest 1,024). */
const jsonByContent = new Map<string, Located<unknown>>();

const isFolder = (path: string) => existsSync(path) && statSync(path).isDirectory();

/** Every `tuples/<id>/report.json` of a site, parsed, or the problem that stops one being read. */
function publishedEntries(
  dir: string,
  /**
   * tuples whose report entry, byte for byte, passed every check under this code in an earlier
   * build (see Verdicts): read with the JSON parser alone, as the strict reading and the schema
   * took those very bytes then
   */
  trusted: (tupleId: string) => boolean = () => false,
  /** the tuples to read (default: all); the others are left out, their problems too */
  wanted: (tupleId: string) => boolean = () => true,
): { entries: PublishedEntry[]; problems: Problem[] } {
  const entries: PublishedEntry[] = [];
  const problems: Problem[] = [];
  const tuplesDir = join(dir, 'tuples');
  if (!isFolder(tuplesDir)) {
    problems.push(problem('NOT_A_SITE', `${dir} has no tuples/ folder: not a site Readback built`, { file: 'tuples' }));
    return { entries, problems };
  }
  // the entries of a site cite one or a few versions: each version's currencies are read once
  const currenciesOf = new Map<string | null, ReadonlyMap<string, string>>();
  const currencies = (version: string | null) =>
    currenciesOf.get(version) ?? currenciesOf.set(version, publishedCurrencies(dir, version)).get(version)!;
  for (const tupleId of readdirSync(tuplesDir).sort()) {
    if (!wanted(tupleId)) continue;
    const file = `tuples/${tupleId}/report.json`;
    if (!existsSync(join(dir, file))) {
      problems.push(problem('VERIFY_MISMATCH', `${file} is missing`, { file }));
      continue;
    }
    const value = trusted(tupleId) ? trustedJson(join(dir, file)) : null;
    if (value) {
      const raw = value as unknown as Record<string, unknown>;
      entries.push({ tupleId, entry: value, raw, currencies: currencies(value.dictionary_version) });
      continue;
    }
    const read = readPublishedJson(dir, file);
    problems.push(...read.problems);
    if (read.value === null) continue;
    const checked = TupleReportSchema.safeParse(read.value);
    if (checked.success)
      entries.push({
        tupleId,
        entry: checked.data,
        raw: read.value as Record<string, unknown>,
        currencies: currencies(checked.data.dictionary_version),
      });
    else {
      const reason = checked.error.issues[0]!;
      problems.push(
        problem(
          'VERIFY_MISMATCH',
          `${file} is not a reconcile report entry: ${reason.path.join('.')}: ${reason.message}`,
          {
            file,
          },
        ),
      );
    }
  }
  return { entries, problems };
}

/** A check of a partner bundle, told as a check of the site that holds it: its files named from that site. */
function inFolder(folder: string, result: VerifyResult): VerifyResult {
  return {
    checked: result.checked.map((line) => `${folder}/: ${line}`),
    problems: result.problems.map((p) => (p.file === undefined ? p : { ...p, file: `${folder}/${p.file}` })),
  };
}

/** Several checks' findings as one, in their order. */
export const merged = (results: readonly VerifyResult[]): VerifyResult => ({
  checked: results.flatMap((r) => r.checked),
  problems: results.flatMap((r) => r.problems),
});

/** `readback verify DIR` but the PDFs' numbers: the site, then each partner bundle in it, as a site of its own. */
export function verifySite(dir: string): VerifyResult {
  return verifySiteThenSums(dir)();
}

/**
 * verifySite in two steps, for a build that checks its pages while other files (the search index)
 * are still being written: every site's hashes and shown values now, and every file against its
 * SHA256SUMS in the function returned, once all are written. Its result is verifySite's.
 */
export function verifySiteThenSums(
  dir: string,
  hashes?: FileHashes,
  /** the one-pagers are checked to exist with the sums, not now: they are still being drawn */
  onePagersLater = false,
  /** the sites checked (default: the site and every bundle in it), each as `verifySite` checks it */
  folders = ['', ...partnerBundleFolders(dir)],
  /** what earlier builds found (a build's verify worker); none: every check runs */
  verdicts?: Verdicts,
): (
  /** each site's files as listed just now (siteFiles), by folder; listed afresh where none is given */
  listed?: ReadonlyMap<string, string[]>,
  /**
   * the files whose stamps the sums just compared, with nothing run since (`siteSums`): checked
   * against the sums with the hashes remembered, not looked at again
   */
  confirmed?: Set<string>,
) => VerifyResult {
  const contents = folders.map((folder) => verifyOwnContent(join(dir, folder), onePagersLater, verdicts));
  return (listed, confirmed) =>
    merged(
      folders.map((folder, n) => {
        const content = contents[n]!;
        const own = content.notASite
          ? content
          : merged([
              content,
              content.later(),
              verifyOwnSums(join(dir, folder), hashes, listed?.get(folder), confirmed),
            ]);
        return folder ? inFolder(folder, own) : own;
      }),
    );
}

/** A check's findings as it goes: what matched, and a VERIFY_MISMATCH for what did not. */
function findings() {
  const checked: string[] = [];
  const problems: Problem[] = [];
  const mismatch = (file: string, message: string, facts: ProblemFacts = {}) =>
    problems.push(problem('VERIFY_MISMATCH', message, { file }, undefined, facts));
  const expect = (file: string, what: string, actual: unknown, wanted: unknown) => {
    if (actual === wanted) checked.push(what);
    else
      mismatch(file, `${what}: expected ${String(wanted)}, found ${String(actual)}`, {
        actual: String(actual),
        expected: String(wanted),
      });
  };
  return { checked, problems, mismatch, expect };
}

/**
 * A site's content checked against its report entries; `later` gives the checks left for later
 * (with `onePagersLater`, that each one-pager exists), none otherwise.
 */
function verifyOwnContent(
  dir: string,
  onePagersLater = false,
  verdicts?: Verdicts,
): VerifyResult & { notASite: boolean; later: () => VerifyResult } {
  const { checked, problems, mismatch, expect } = findings();
  const kept = verdicts && verdictKeys(dir, verdicts);
  const published = publishedEntries(dir, (tupleId) => kept?.known(tupleId) !== undefined);
  problems.push(...published.problems);
  const none = () => ({ checked: [], problems: [] });
  if (problems.some((p) => p.code === 'NOT_A_SITE')) return { checked, problems, notASite: true, later: none };
  const onePagers: string[] = [];
  const entries = new Map(published.entries.map((published) => [published.tupleId, published]));
  const dictionaryFiles = dictionaryReader(dir);
  for (const tuple of published.entries) {
    const key = kept?.key(tuple.tupleId);
    const known = kept?.known(tuple.tupleId);
    const before = { checked: checked.length, problems: problems.length };
    // a version that is no plain version could name a file outside the site, which the key does not hold
    const plainVersion = SEMVER.test(tuple.entry.dictionary_version ?? '');
    if (key !== undefined && known !== undefined && plainVersion) {
      toldAsPassed(
        verdicts!,
        key,
        known,
        `tuple ${tuple.tupleId}: passed in an earlier build, on the same files`,
        checked,
      );
    } else if (!checkTuple(tuple)) continue; // checked no further: its one-pager is not looked for
    if (key !== undefined && known === undefined && plainVersion && problems.length === before.problems)
      verdicts!.passed(key, checked.length - before.checked);
    if (onePagersLater) onePagers.push(tuple.tupleId);
    else onePagerExists(dir, tuple.tupleId, expect);
  }
  /** Every check of one tuple's files (its report entry, dictionary, exports, hashes and pages); false when one stops the rest. */
  function checkTuple({ tupleId, entry, raw }: PublishedEntry): boolean {
    const where = `tuple ${tupleId}`;
    const reportFile = `tuples/${tupleId}/report.json`;
    expect(reportFile, `${where}: artifact_id`, artifactId(raw as unknown as TupleReport), entry.artifact_id);
    expect(reportFile, `${where}: status`, entry.status, 'green');

    const dictionaryPath = join(dir, 'dictionary', `${entry.dictionary_version}.json`);
    if (!existsSync(dictionaryPath)) {
      mismatch(
        `dictionary/${entry.dictionary_version}.json`,
        `${where}: dictionary/${entry.dictionary_version}.json is missing`,
      );
      return false;
    }
    const dictionaryFile = `dictionary/${entry.dictionary_version}.json`;
    const { bytes: dictionaryBytes, read: dictionary, canonical } = dictionaryFiles(dictionaryFile);
    problems.push(...dictionary.problems);
    if (dictionary.value === null) return false;
    expect(
      dictionaryFile,
      `${where}: dictionary/${entry.dictionary_version}.json is canonical JSON`,
      canonical,
      dictionaryBytes.toString('utf8'),
    );
    const dictionarySha = sha256(dictionaryBytes);
    expect(dictionaryFile, `${where}: dictionary_sha256`, dictionarySha, entry.dictionary_sha256);

    const exportsDir = join(dir, 'exports', tupleId);
    const files = isFolder(exportsDir) ? readdirSync(exportsDir) : [];
    const find = (suffix: string) => files.find((f) => f.endsWith(suffix));
    const partnerCsv = find('_partner.csv');
    const partnerManifest = find('_partner.manifest.json');
    const leadershipManifest = find('_leadership.manifest.json');
    if (!partnerCsv || !partnerManifest || !leadershipManifest) {
      mismatch(`exports/${tupleId}`, `${where}: exports/${tupleId}/ lacks the partner CSV or a manifest`);
      return false;
    }
    const partnerSha = sha256(readFileSync(join(exportsDir, partnerCsv)));
    const exportFile = (name: string) => `exports/${tupleId}/${name}`;
    expect(exportFile(partnerCsv), `${where}: ${partnerCsv}`, partnerSha, entry.exports.partner?.sha256);
    const declared = (name: string) => {
      const read = readPublishedJson(dir, exportFile(name));
      problems.push(...read.problems);
      const value = read.value as { sha256?: unknown } | null;
      return typeof value?.sha256 === 'string' ? value.sha256 : null;
    };
    const partnerDeclared = declared(partnerManifest);
    expect(exportFile(partnerManifest), `${where}: ${partnerManifest} sha256`, partnerDeclared, partnerSha);
    const leadershipSha = declared(leadershipManifest);
    if (leadershipSha === null) {
      // the manifest is JSON (else its problem is reported above) without its sha256
      if (readPublishedJson(dir, exportFile(leadershipManifest)).problems.length === 0)
        mismatch(exportFile(leadershipManifest), `${where}: ${leadershipManifest} has no sha256`);
      return false;
    }
    expect(
      exportFile(leadershipManifest),
      `${where}: ${leadershipManifest} sha256`,
      leadershipSha,
      entry.exports.leadership?.sha256,
    );
    // the internal site's tile export (a partner's bundle has none): its rows are the report's
    const tiles = find(TILE_EXPORT_SUFFIX);
    const sentinel = (dictionary.value as { bypass_sentinel?: unknown }).bypass_sentinel;
    if (tiles) {
      const text = readFileSync(join(exportsDir, tiles), 'utf8');
      const wrong = tileExportMismatch(text, entry, typeof sentinel === 'string' ? sentinel : '');
      if (wrong) mismatch(exportFile(tiles), `${where}: ${tiles} ${wrong}`);
      else checked.push(`${where}: ${tiles} holds the report's periods, bypass pairs and leadership values`);
    } else if (isFolder(join(dir, 'leadership')))
      mismatch(`exports/${tupleId}`, `${where}: exports/${tupleId}/ lacks the leadership tile export`);

    if (!entry.window || !entry.dictionary_version) {
      mismatch(reportFile, `${where}: the report entry has no window or dictionary version`);
      return false;
    }
    const recomputed = tupleRevisionHash({
      tuple_id: tupleId,
      start_inclusive: entry.window.start_inclusive,
      end_exclusive: entry.window.end_exclusive,
      dictionary_version: entry.dictionary_version,
      dictionary_sha256: dictionarySha,
      leadership_sha256: leadershipSha,
      partner_sha256: partnerSha,
    });
    expect(reportFile, `${where}: tuple revision hash`, recomputed, entry.tuple_revision_hash);

    for (const page of [`annex/${tupleId}/index.html`, `readback/${tupleId}/index.html`]) {
      const html = readPage(dir, page);
      expect(page, `${where}: ${page} shows the tuple revision hash`, html.includes(recomputed), true);
      // every number and fact the page shows is the report's, formatted as src/core/present.ts formats it
      const required = page.startsWith('annex/')
        ? annexFields(entry)
        : new Set([
            ...citedFields(html.replace(/<[^>]*>/g, ''), entry, page, checked, problems),
            ...factKeys(entry, READBACK_FACTS),
          ]);
      problems.push(...shownValueProblems(page, html, entries, tupleId, required, checked));
    }
    return true;
  }
  // the index lists every tuple: its window, dictionary, status, hashes and metric count
  const index = new Set(published.entries.flatMap(({ entry }) => factKeys(entry, INDEX_FACTS)));
  problems.push(...shownValueProblems('index.html', readPage(dir, 'index.html'), entries, undefined, index, checked));
  const later = () => {
    const { checked, problems, expect } = findings();
    for (const tupleId of onePagers) onePagerExists(dir, tupleId, expect);
    return { checked, problems };
  };
  return { checked, problems, notASite: false, later };
}

/**
 * The key of each tuple's content checks in the site `dir` (see Verdicts), and what an earlier
 * build found under it. The key is the SHA-256 of every file they read (its report entry, its
 * exports, its annex and readback pages, the site's dictionary files), whether the site is the
 * internal one, and the code that checks; undefined when a file cannot be hashed (the checks say
 * why).
 */
function verdictKeys(
  dir: string,
  verdicts: Verdicts,
): { key: (tupleId: string) => string | undefined; known: (tupleId: string) => number | undefined } {
  const hashOf = (file: string) => (existsSync(join(dir, file)) ? fileSha256(join(dir, file), verdicts.hashes) : '-');
  const listed = (folder: string) =>
    isFolder(join(dir, folder)) ? readdirSync(join(dir, folder)).map((name) => `${folder}/${name}`) : [];
  let site: string | undefined;
  const keyOf = (tupleId: string): string | undefined => {
    try {
      site ??= [`leadership ${isFolder(join(dir, 'leadership'))}`, ...listed('dictionary').sort()]
        .map((file) => (file.startsWith('dictionary/') ? `${file} ${hashOf(file)}` : file))
        .join('\0');
      const files = [
        `tuples/${tupleId}/report.json`,
        ...listed(`exports/${tupleId}`).sort(),
        `annex/${tupleId}/index.html`,
        `readback/${tupleId}/index.html`,
      ];
      const hash = createHash('sha256').update(`${verdicts.tool}\0${site}\0${tupleId}`);
      for (const file of files) hash.update(`\0${file} ${hashOf(file)}`);
      return hash.digest('hex');
    } catch {
      return undefined; // a folder where a file should be: checked, and found wrong, as always
    }
  };
  // each tuple's key is asked for more than once (its entry read, then its checks, then its
  // one-pager's): once a verify worker has both the pages and the downloads, nothing it keys is
  // written again, so one build's checks share them
  const ofBuild = keysOf.get(verdicts.hashes) ?? keysOf.set(verdicts.hashes, new Map()).get(verdicts.hashes)!;
  const folder = `${verdicts.tool}\0${dir}`;
  const keys = ofBuild.get(folder) ?? ofBuild.set(folder, new Map()).get(folder)!;
  const key = (tupleId: string) => {
    if (!keys.has(tupleId)) keys.set(tupleId, keyOf(tupleId));
    return keys.get(tupleId);
  };
  /** how many checks of the tuple an earlier build passed on these very files, if it did */
  const known = (tupleId: string) => {
    const found = key(tupleId);
    return found === undefined ? undefined : verdicts.known(found);
  };
  return { key, known };
}

/** The `count` checks an earlier build passed under `key`, told as passed in this one: that many lines `line`. */
function toldAsPassed(verdicts: Verdicts, key: string, count: number, line: string, checked: string[]): void {
  verdicts.reused(key);
  for (let n = 0; n < count; n++) checked.push(line);
}

/** The tuples' keys (verdictKeys) made with each build's file hashes, by the code that checks and the site folder. */
const keysOf = new WeakMap<FileHashes, Map<string, Map<string, string | undefined>>>();

/** A tuple's one-pager is published beside its pages. */
function onePagerExists(dir: string, tupleId: string, expect: ReturnType<typeof findings>['expect']): void {
  expect(
    `readback/${tupleId}.pdf`,
    `tuple ${tupleId}: readback/${tupleId}.pdf exists`,
    existsSync(join(dir, 'readback', `${tupleId}.pdf`)),
    true,
  );
}

/** Every published file, not only the ones a hash names, against the list the build wrote. */
function verifyOwnSums(dir: string, hashes?: FileHashes, files?: string[], confirmed?: Set<string>): VerifyResult {
  const { checked, problems, mismatch, expect } = findings();
  const sumsPath = join(dir, SITE_SUMS);
  if (existsSync(sumsPath)) {
    const listed = new Map<string, string>();
    for (const line of readFileSync(sumsPath, 'utf8').split('\n')) {
      const match = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
      if (match) listed.set(match[2]!, match[1]!);
    }
    const present = (files ?? siteFiles(dir)).filter((f) => f !== SITE_SUMS);
    const presentSet = new Set(present);
    for (const file of present) {
      const wanted = listed.get(file);
      if (!wanted) mismatch(file, `${file} is not listed in ${SITE_SUMS}`);
      else expect(file, `${file} matches ${SITE_SUMS}`, fileSha256(join(dir, file), hashes, confirmed), wanted);
    }
    for (const file of listed.keys())
      if (!presentSet.has(file)) mismatch(file, `${file} is listed in ${SITE_SUMS} but missing`);
  }
  return { checked, problems };
}

/**
 * Why a tile export is not the one the report entry gives, or null when it is: its rows, bypass
 * columns and the values of the metrics the entry holds are rebuilt from the entry. The
 * leadership-only columns are not in a published entry, so they are taken as the file has them.
 */
function tileExportMismatch(text: string, entry: TupleReport, sentinel: string): string | null {
  const lines = text.split('\n');
  const header = lines[0]!.split(',');
  const shared = tileSeries(entry, undefined);
  const sharedIds = new Set(shared.map((s) => s.metric_id));
  const extras = header.slice(TILE_EXPORT_KEY_COLUMNS.length).flatMap((metricId, offset) => {
    if (sharedIds.has(metricId)) return [];
    const column = TILE_EXPORT_KEY_COLUMNS.length + offset;
    const periods = (entry.periods ?? []).map((period, row) => ({
      period_start: period.period_start,
      leadership: lines[row + 1]?.split(',')[column] || null,
    }));
    return [{ metric_id: metricId, leadership: '', periods, leadership_only: true }];
  });
  const expected = leadershipTilesCsv(entry, [...shared, ...extras], sentinel).split('\n');
  const line = expected.findIndex((wanted, index) => lines[index] !== wanted);
  if (line === -1 && lines.length === expected.length) return null;
  const at = line === -1 ? Math.min(lines.length, expected.length) : line;
  return `line ${at + 1} is "${lines[at] ?? ''}"; the report gives "${expected[at] ?? ''}"`;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A number in text with or without white space between its runs, bounded by non-digits: "6.6%" is not in "96.6%", "1,096.6%" nor "6.65%". */
const wholeNumber = (shown: string) =>
  new RegExp(`(?<![\\d−-]|\\d[.,])${[...flat(shown)].map(escapeRegExp).join('\\s*')}(?![\\d]|[.,]\\d)`, 'u');

/**
 * What a one-pager shows of its report entry besides the headlines, each after the words it
 * follows there (src/pdf/one-pager.ts), formatted as src/core/present.ts formats it.
 */
function pdfFacts(entry: TupleReport): [label: string, what: string, value: string][] {
  const facts = tupleFacts(entry);
  const window = `${facts.start_inclusive} to ${facts.end_exclusive}`;
  return [
    ['Tuple revision hash', 'tuple revision hash', facts.tuple_revision_hash],
    ['Artifact id', 'artifact id', facts.artifact_id],
    ['Metric dictionary', 'dictionary version', facts.dictionary_version],
    ['Dictionary', 'dictionary version', facts.dictionary_version],
    ['| window', 'window', window],
    ['Reporting window', 'window', entry.window ? humanWindow(entry.window) : window],
  ];
}

/** Each label's pattern (a handful of labels, compiled once): the words, not inside a word, then white space. */
const labelPatterns = new Map<string, RegExp>();
function labelPattern(label: string): RegExp {
  let pattern = labelPatterns.get(label);
  if (!pattern) {
    const words = label.split(' ').map(escapeRegExp).join('\\s+');
    labelPatterns.set(label, (pattern = new RegExp(`(?<![\\p{L}\\p{N}])${words}\\s+`, 'gu')));
  }
  return pattern;
}

/** What may not follow a whole value: a letter, digit, `_` or `:`, or a sign or separator and a digit. */
const WORD_GOES_ON = /^(?:[\p{L}\p{N}_:]|[.,:\-−]\p{N})/u;

/**
 * Whether `text` shows `value` at `at` as a whole token: the value's characters other than white
 * space, in order, with any white space between them (pdf.js may split a value into runs), and
 * no word going on after it.
 */
function showsAt(text: string, at: number, value: string): boolean {
  let i = at;
  let first = true;
  for (const character of flat(value)) {
    if (!first) while (i < text.length && /\s/.test(text[i]!)) i++;
    first = false;
    if (!text.startsWith(character, i)) return false;
    i += character.length;
  }
  return !WORD_GOES_ON.test(text.slice(i, i + 4));
}

/**
 * What a PDF's text shows after each occurrence of `label`, as whole tokens: `value` where it is
 * there (pdf.js may have split it into runs), otherwise as many white-space separated words.
 */
function afterLabel(spaced: string, label: string, value: string): string[] {
  const found: string[] = [];
  for (const occurrence of spaced.matchAll(labelPattern(label))) {
    const at = occurrence.index + occurrence[0].length;
    if (showsAt(spaced, at, value)) found.push(value);
    else found.push(spaced.slice(at).split(' ').slice(0, value.split(' ').length).join(' '));
  }
  return found;
}

/** The target each metric has on the published annex, as tuple.yaml writes it (`data-target`). */
function annexTargets(annex: string): Map<string, string> {
  const targets = new Map<string, string>();
  for (const shown of shownValues(annex).shown) {
    const written = shown.attributes.get('data-target');
    if (shown.field === TARGET_FIELD && shown.metricId !== undefined && written !== undefined)
      targets.set(shown.metricId, written);
  }
  return targets;
}

const DATA_FIELD = Buffer.from('data-field="');
const QUOTE = '"'.charCodeAt(0);
const AMPERSAND = '&'.charCodeAt(0);

/**
 * A published annex's targets (annexTargets), read from the page's bytes: most annexes show none,
 * and a page whose every `data-field="…"` value is neither `target` nor holds an entity (which
 * could spell it) shows none, without decoding and parsing the page.
 */
function publishedAnnexTargets(dir: string, page: string): Map<string, string> {
  const path = join(dir, page);
  if (!existsSync(path)) return new Map();
  const bytes = readFileSync(path);
  for (let at = bytes.indexOf(DATA_FIELD); at !== -1; at = bytes.indexOf(DATA_FIELD, at + 1)) {
    const start = at + DATA_FIELD.length;
    const end = bytes.indexOf(QUOTE, start);
    const value = bytes.subarray(start, end === -1 ? bytes.length : end);
    if (value.includes(AMPERSAND) || value.toString('latin1') === TARGET_FIELD)
      return annexTargets(bytes.toString('utf8'));
  }
  return new Map();
}

/** Each metric's label in the published dictionary a tuple cites (empty when it cannot be read: verifySite reports that). */
function publishedLabels(dir: string, version: string | null): Map<string, string> {
  const file = `dictionary/${version}.json`;
  if (version === null || !existsSync(join(dir, file))) return new Map();
  const dictionary = readPublishedJson(dir, file).value as {
    metrics?: { metric_id?: unknown; label?: unknown }[];
  } | null;
  return new Map(
    (Array.isArray(dictionary?.metrics) ? dictionary.metrics : []).flatMap((metric) =>
      typeof metric?.metric_id === 'string' && typeof metric.label === 'string'
        ? [[metric.metric_id, metric.label]]
        : [],
    ),
  );
}

/** A number standing on its own in a PDF's runs: not part of a word (p95, Q2), grouping commas kept. */
const NUMBER = /(?<![\p{L}\p{N}_.,])[−-]?\d+(?:,\d{3})*(?:\.\d+)?(?![\p{L}\p{N}_]|[.,]\d)/gu;

/** The number within a shown value: "9,392 minor units" → "9,392". */
const numberIn = (shown: string) => [...shown.matchAll(NUMBER)][0]?.[0];

/** A target's number as the one-pager shows it: ">= 99.9" of a percentage → "99.9%". */
function targetNumber(written: string, metric: MetricResult, as: ShownAs): string {
  return displayValue(evaluateTarget(written, metric.partner, as).operand, as);
}

/** A stray number with the value's unit when the unit follows it: "19.91%" rather than "19.91". */
function withUnit(runs: string, number: RegExpExecArray | RegExpMatchArray, expected: string): string {
  const unit = expected.slice(expected.indexOf(numberIn(expected) ?? '') + (numberIn(expected)?.length ?? 0));
  const after = runs.slice(number.index! + number[0].length);
  return unit && flat(after).startsWith(flat(unit)) ? flat(`${number[0]}${unit}`) : number[0];
}

/** How a one-pager introduces a headline's target (src/pdf/one-pager.ts). */
const PDF_TARGET_LABEL = 'Target';

/**
 * A headline's target on the one-pager against the annex's: the same target, met or missed as the
 * report's value says; no target where the annex shows none. Null when it agrees.
 */
function pdfTargetProblem(
  headline: string,
  metric: MetricResult,
  written: string | undefined,
  as: ShownAs,
): { message: string; facts: [actual: string, expected: string] } | null {
  const label = new RegExp(`${PDF_TARGET_LABEL}(${TARGET_WORDS.join('|')})`);
  const shown = label.exec(headline);
  if (written === undefined)
    return shown ? { message: 'shows a target the annex does not', facts: [shown[0], 'no target'] } : null;
  const expected = flat(`${PDF_TARGET_LABEL} ${targetSentence(evaluateTarget(written, metric.partner, as))}`);
  if (headline.includes(expected)) return null;
  const actual = shown ? headline.slice(shown.index, shown.index + expected.length) : 'no target';
  return {
    message: `shows ${actual}; its target on the annex and the report's value say ${expected}`,
    facts: [actual, expected],
  };
}

/** A PDF's text, all pages (src/pdf/links.ts reads it with pdfjs-dist, which a development install has). */
export type PdfTextReader = (bytes: Uint8Array) => Promise<string>;

/**
 * The one-pagers' numbers against the report entries they claim to show: each headline's value
 * (the text between the previous citation and its own `(metric_id, sha256:…)`), the citation's
 * hash, and the footer's full tuple revision hash and artifact id. Separate from verifySite, and
 * asynchronous, because reading a PDF's text needs a PDF library: the caller passes one in.
 */
export async function verifyPdfNumbers(
  dir: string,
  readText: PdfTextReader,
  /** the sites checked (default: the site and every bundle in it) */
  folders = ['', ...partnerBundleFolders(dir)],
  /** what earlier builds found (a build's verify worker): a report entry that passed is read as JSON alone */
  verdicts?: Verdicts,
): Promise<VerifyResult> {
  const results: VerifyResult[] = [];
  for (const folder of folders) {
    const own = await verifyOwnPdfNumbers(join(dir, folder), readText, verdicts);
    results.push(folder ? inFolder(folder, own) : own);
  }
  return merged(results);
}

async function verifyOwnPdfNumbers(dir: string, readText: PdfTextReader, verdicts?: Verdicts): Promise<VerifyResult> {
  const checked: string[] = [];
  const problems: Problem[] = [];
  const labelsOf = new Map<string | null, Map<string, string>>();
  const kept = verdicts && verdictKeys(dir, verdicts);
  // a one-pager of the very bytes an earlier build checked, of a tuple whose checked files are the
  // same too (the key of its content checks): its checks are told as passed, its entry not even read
  const pdfKey = (tupleId: string): string | undefined => {
    const key = kept?.key(tupleId);
    const pdf = join(dir, 'readback', `${tupleId}.pdf`);
    if (key === undefined || !existsSync(pdf)) return undefined;
    return sha256(`one-pager\0${key}\0${fileSha256(pdf, verdicts!.hashes)}`);
  };
  const tupleIds = isFolder(join(dir, 'tuples')) ? readdirSync(join(dir, 'tuples')).sort() : [];
  const keys = new Map(tupleIds.map((tupleId) => [tupleId, kept && pdfKey(tupleId)]));
  const passedBefore = (tupleId: string) => {
    const key = keys.get(tupleId);
    return key === undefined ? undefined : verdicts!.known(key);
  };
  const entries = new Map(
    publishedEntries(
      dir,
      (tupleId) => kept?.known(tupleId) !== undefined,
      (tupleId) => passedBefore(tupleId) === undefined,
    ).entries.map((published) => [published.tupleId, published]),
  );
  for (const tupleId of tupleIds) {
    const file = `readback/${tupleId}.pdf`;
    const known = passedBefore(tupleId);
    if (known !== undefined) {
      toldAsPassed(
        verdicts!,
        keys.get(tupleId)!,
        known,
        `${file}: passed in an earlier build, on the same bytes`,
        checked,
      );
      continue;
    }
    const published = entries.get(tupleId);
    if (!published || !existsSync(join(dir, file))) continue; // verifySite reports it
    const { entry } = published;
    const before = { checked: checked.length, problems: problems.length };
    const spaced = (await readText(new Uint8Array(readFileSync(join(dir, file))))).replace(/\s+/g, ' ');
    // pdf.js splits runs at font changes and kerning: compare without white space
    const text = flat(spaced);
    // where each character of `text` stands in `spaced`, to read a headline with its runs apart
    const inSpaced = [...spaced.matchAll(/\S/gu)].map((character) => character.index);
    inSpaced.push(spaced.length);
    const report = `tuples/${tupleId}/report.json`;
    const wrong = (metricId: string | undefined, message: string, actual: string, expected: string) =>
      problems.push(problem('VERIFY_MISMATCH', message, { file }, metricId, { actual, expected }));
    for (const [label, what, value] of pdfFacts(entry)) {
      const shown = afterLabel(spaced, label, value);
      const wrongly = shown.find((s) => s !== value);
      if (shown.length > 0 && wrongly === undefined) checked.push(`${file} shows the ${what} ${value}`);
      else
        wrong(
          undefined,
          wrongly === undefined
            ? `${file} does not show the ${what} ${value} of ${report}`
            : `${file} shows the ${what} ${wrongly}; ${report} says ${value}`,
          wrongly ?? 'not shown',
          value,
        );
    }
    citedFields(text, entry, file, checked, problems);
    const metrics = new Map<string, MetricResult>(entry.metrics.map((m) => [m.metric_id, m]));
    const targets = publishedAnnexTargets(dir, `annex/${tupleId}/index.html`);
    const version = entry.dictionary_version;
    const labels = labelsOf.get(version) ?? labelsOf.set(version, publishedLabels(dir, version)).get(version)!;
    const heading = text.indexOf('HEADLINES');
    let from = heading === -1 ? 0 : heading + 'HEADLINES'.length;
    for (const citation of text.matchAll(CITATION)) {
      const headline = text.slice(from, citation.index);
      const headlineRuns = spaced.slice(inSpaced[from], inSpaced[citation.index]);
      from = citation.index + citation[0].length;
      const metricId = citation[1]!;
      const metric = metrics.get(metricId);
      if (!metric) {
        wrong(metricId, `${file} cites ${metricId}, which ${report} does not hold`, metricId, '');
        continue;
      }
      const written = targets.get(metricId);
      const as = shownAs(published, metric);
      const targetProblem = pdfTargetProblem(headline, metric, written, as);
      if (targetProblem)
        wrong(metricId, `${file}: the headline of ${metricId} ${targetProblem.message}`, ...targetProblem.facts);
      else if (written !== undefined) checked.push(`${file}: ${metricId} target = ${written}`);
      const expected = displayValue(metric.partner, as);
      // every number a headline shows is its value (set large, and in its sentence) or its target's
      const allowed = new Set(
        [expected, ...(written === undefined ? [] : [targetNumber(written, metric, as)])].map(numberIn),
      );
      // a label ("Orders, last 30 days") may hold numbers of its own, through {label}
      for (const number of (labels.get(metricId) ?? '').matchAll(NUMBER)) allowed.add(number[0]);
      const stray = [...headlineRuns.matchAll(NUMBER)].find((number) => !allowed.has(number[0]));
      // the value as a whole number, in the flat text or in the runs as written (where the flat text
      // joins it to the sentence after it: "52" "52 tickets…")
      const present = wholeNumber(expected).test(headline) || wholeNumber(expected).test(headlineRuns);
      if (present && !stray) {
        checked.push(`${file}: ${metricId} headline = ${expected}`);
        continue;
      }
      const shown = stray
        ? withUnit(headlineRuns, stray, expected)
        : (headline.match(/[−-]?(\p{Sc}|[A-Z]{2,3}\p{Sc}?)?\d[\d,]*(\.\d+)?(%|ms|minorunits)?/gu) ?? []).join(' ') ||
          'no number';
      wrong(
        metricId,
        `${file}: the headline of ${metricId} shows ${shown}; ${report} says ${expected}`,
        shown,
        expected,
      );
    }
    // kept for later builds when every check passed (on a plain version: the key holds its file)
    const key = keys.get(tupleId);
    if (key !== undefined && problems.length === before.problems && SEMVER.test(entry.dictionary_version ?? ''))
      verdicts!.passed(key, checked.length - before.checked);
  }
  return { checked, problems };
}
