/**
 * `readback verify DIR` (SPEC §6): recompute, from a built site alone, every tuple revision hash,
 * dictionary_sha256, download hash and artifact id, as an auditor would.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, tupleRevisionHash } from '../core/hash.ts';
import { artifactId } from '../core/reconcile.ts';
import { problem, type Problem, type ProblemFacts } from '../core/problems.ts';
import { type TupleReport, TupleReportSchema } from '../core/schemas.ts';

export interface VerifyResult {
  /** what was recomputed and matched, one line each */
  checked: string[];
  /** what did not replay: VERIFY_MISMATCH (or NOT_A_SITE), located at the file, relative to the site folder */
  problems: Problem[];
}

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

export const SITE_SUMS = 'SHA256SUMS';

function walk(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? walk(dir, rel) : [rel];
  });
}

/** `sha256sum` lines for every published file but the list itself, sorted by path. */
export function siteSums(dir: string): string {
  const files = walk(dir)
    .filter((f) => f !== SITE_SUMS)
    .sort();
  return files.map((file) => `${sha256(readFileSync(join(dir, file)))}  ${file}\n`).join('');
}

export function verifySite(dir: string): VerifyResult {
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
  const tuplesDir = join(dir, 'tuples');
  if (!existsSync(tuplesDir)) {
    problems.push(problem('NOT_A_SITE', `${dir} has no tuples/ folder: not a site Readback built`, { file: 'tuples' }));
    return { checked, problems };
  }
  for (const tupleId of readdirSync(tuplesDir).sort()) {
    const reportPath = join(tuplesDir, tupleId, 'report.json');
    if (!existsSync(reportPath)) {
      mismatch(`tuples/${tupleId}/report.json`, `tuples/${tupleId}/report.json is missing`);
      continue;
    }
    let entry: TupleReport;
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(readFileSync(reportPath, 'utf8'));
      entry = TupleReportSchema.parse(raw);
    } catch (error) {
      mismatch(
        `tuples/${tupleId}/report.json`,
        `tuples/${tupleId}/report.json is not a reconcile report entry: ${(error as Error).message.split('\n')[0]}`,
      );
      continue;
    }
    const where = `tuple ${tupleId}`;
    // from the file as published, so a key added afterwards changes the id (zod would drop it)
    const reportFile = `tuples/${tupleId}/report.json`;
    expect(reportFile, `${where}: artifact_id`, artifactId(raw as unknown as TupleReport), entry.artifact_id);
    expect(reportFile, `${where}: status`, entry.status, 'green');

    const dictionaryPath = join(dir, 'dictionary', `${entry.dictionary_version}.json`);
    if (!existsSync(dictionaryPath)) {
      mismatch(
        `dictionary/${entry.dictionary_version}.json`,
        `${where}: dictionary/${entry.dictionary_version}.json is missing`,
      );
      continue;
    }
    const dictionaryBytes = readFileSync(dictionaryPath);
    const dictionaryFile = `dictionary/${entry.dictionary_version}.json`;
    expect(
      dictionaryFile,
      `${where}: dictionary/${entry.dictionary_version}.json is canonical JSON`,
      canonicalJson(JSON.parse(dictionaryBytes.toString('utf8'))),
      dictionaryBytes.toString('utf8'),
    );
    const dictionarySha = sha256(dictionaryBytes);
    expect(dictionaryFile, `${where}: dictionary_sha256`, dictionarySha, entry.dictionary_sha256);

    const exportsDir = join(dir, 'exports', tupleId);
    const files = existsSync(exportsDir) ? readdirSync(exportsDir) : [];
    const find = (suffix: string) => files.find((f) => f.endsWith(suffix));
    const partnerCsv = find('_partner.csv');
    const partnerManifest = find('_partner.manifest.json');
    const leadershipManifest = find('_leadership.manifest.json');
    if (!partnerCsv || !partnerManifest || !leadershipManifest) {
      mismatch(`exports/${tupleId}`, `${where}: exports/${tupleId}/ lacks the partner CSV or a manifest`);
      continue;
    }
    const partnerSha = sha256(readFileSync(join(exportsDir, partnerCsv)));
    const exportFile = (name: string) => `exports/${tupleId}/${name}`;
    expect(exportFile(partnerCsv), `${where}: ${partnerCsv}`, partnerSha, entry.exports.partner?.sha256);
    const partnerDeclared = JSON.parse(readFileSync(join(exportsDir, partnerManifest), 'utf8')).sha256;
    expect(exportFile(partnerManifest), `${where}: ${partnerManifest} sha256`, partnerDeclared, partnerSha);
    const leadershipSha = JSON.parse(readFileSync(join(exportsDir, leadershipManifest), 'utf8')).sha256;
    expect(
      exportFile(leadershipManifest),
      `${where}: ${leadershipManifest} sha256`,
      leadershipSha,
      entry.exports.leadership?.sha256,
    );

    if (!entry.window || !entry.dictionary_version) {
      mismatch(reportFile, `${where}: the report entry has no window or dictionary version`);
      continue;
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
      const path = join(dir, page);
      const html = existsSync(path) ? readFileSync(path, 'utf8') : '';
      expect(page, `${where}: ${page} shows the tuple revision hash`, html.includes(recomputed), true);
    }
    expect(
      `readback/${tupleId}.pdf`,
      `${where}: readback/${tupleId}.pdf exists`,
      existsSync(join(dir, 'readback', `${tupleId}.pdf`)),
      true,
    );
  }
  // every published file, not only the ones a hash names, against the list the build wrote
  const sumsPath = join(dir, SITE_SUMS);
  if (existsSync(sumsPath)) {
    const listed = new Map<string, string>();
    for (const line of readFileSync(sumsPath, 'utf8').split('\n')) {
      const match = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
      if (match) listed.set(match[2]!, match[1]!);
    }
    const present = walk(dir).filter((f) => f !== SITE_SUMS);
    for (const file of present) {
      const wanted = listed.get(file);
      if (!wanted) mismatch(file, `${file} is not listed in ${SITE_SUMS}`);
      else expect(file, `${file} matches ${SITE_SUMS}`, sha256(readFileSync(join(dir, file))), wanted);
    }
    for (const file of listed.keys())
      if (!present.includes(file)) mismatch(file, `${file} is listed in ${SITE_SUMS} but missing`);
  }
  return { checked, problems };
}
