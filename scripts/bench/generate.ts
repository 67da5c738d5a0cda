/** Synthetic, valid workspaces for the benchmark: any number of rows, metrics and tuples. */
import { createHash } from 'node:crypto';
import { copyFileSync, createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';

const METRICS_HEADER =
  'm.requests.total,m.sla.availability_pct,m.api.p95_latency_ms,m.orders.shipped,m.orders.on_time_pct,m.incidents.open,m.backlog.tickets,m.revenue.billed_minor';
const START = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;

function manifest(audience: string, tupleId: string, sha256: string, end: string) {
  return `${JSON.stringify({ schema: 'readback.export-manifest/1', audience, tuple_id: tupleId, run_id: 'run-bench', window_tz_policy: 'UTC', start_inclusive: '2026-01-01T00:00:00Z', end_exclusive: end, dictionary_version: '1.0.0', file: `${audience}.csv`, sha256, generated_at: '2027-01-01T00:00:00Z' }, null, 2)}\n`;
}

/** Who a synthetic tuple belongs to, and whether leadership sees a metric the partner export omits. */
export interface TupleOptions {
  /** the partner's name (default "Bench Partner"); its slug is the bundle's partner_id unless `partnerId` is given */
  partner?: string;
  partnerId?: string;
  /** the leadership export carries one more metric, `m.credits.issued_minor`, listed as leadership_only */
  leadershipOnly?: boolean;
}

const LEADERSHIP_ONLY_METRIC = 'm.credits.issued_minor';

/**
 * Writes one tuple whose two exports have `rows` rows each (8 metrics, a `region` dimension).
 * Without a leadership-only metric both exports have the same bytes.
 */
export async function writeTuple(
  root: string,
  tupleId: string,
  rows: number,
  periods = 8760,
  options: TupleOptions = {},
): Promise<{ bytes: number }> {
  const dir = join(root, 'content', 'tuples', tupleId);
  mkdirSync(dir, { recursive: true });
  const extra = options.leadershipOnly ? [LEADERSHIP_ONLY_METRIC] : [];
  writeFileSync(
    join(dir, 'tuple.yaml'),
    `tuple_id: ${tupleId}\npartner: ${options.partner ?? 'Bench Partner'}\n${options.partnerId ? `partner_id: ${options.partnerId}\n` : ''}title: Bench readback ${tupleId}\ndimensions: [region]\nleadership_only: [${extra.join(', ')}]\nbypasses: {}\n`,
  );
  writeFileSync(
    join(dir, 'readback.md'),
    `---\ntuple_id: ${tupleId}\nheadlines:\n  - metric_id: m.sla.availability_pct\n    text: "Availability was {value}"\n---\nSynthetic.\n`,
  );
  const perPeriod = Math.max(1, Math.ceil(rows / periods));
  const timestamps = Array.from({ length: Math.min(periods, rows) }, (_, p) =>
    new Date(START + p * HOUR).toISOString().replace('.000Z', 'Z'),
  );
  const header = `period_start,bypass_audit_id,parent_freeze_id,region,${METRICS_HEADER}`;
  const sides = [
    { file: 'leadership.csv', header: [header, ...extra].join(','), extra: extra.length > 0 },
    ...(extra.length > 0 ? [{ file: 'partner.csv', header, extra: false }] : []),
  ].map((side) => ({
    ...side,
    out: createWriteStream(join(dir, side.file)),
    hash: createHash('sha256'),
    buffer: `${side.header}\n`,
    bytes: 0,
  }));
  const flush = async (side: (typeof sides)[number], last: boolean) => {
    side.hash.update(side.buffer);
    side.bytes += Buffer.byteLength(side.buffer);
    if (last) {
      side.out.end(side.buffer);
      await once(side.out, 'finish');
    } else if (!side.out.write(side.buffer)) await once(side.out, 'drain');
    side.buffer = '';
  };
  for (let i = 0; i < rows; i++) {
    const p = Math.floor(i / perPeriod);
    const r = i % perPeriod;
    // last_observed metrics depend only on the period, so every row of a period agrees
    const line = `${timestamps[p]},,,r${r},${1000 + (i % 97)},99.${String(i % 100).padStart(2, '0')},${100 + (i % 300)},${500 + (i % 13)},9${i % 10}.${i % 10},${p % 7},${40 + (p % 11)},${123456789012 + i}`;
    for (const side of sides) {
      side.buffer += side.extra ? `${line},${25000 * (i % 3)}\n` : `${line}\n`;
      if (side.buffer.length > 1 << 16) await flush(side, false);
    }
  }
  for (const side of sides) await flush(side, true);
  // copied, not read into memory: an export may be larger than a Buffer holds (2 GiB)
  if (sides.length === 1) copyFileSync(join(dir, 'leadership.csv'), join(dir, 'partner.csv'));
  const sha = sides.map((side) => side.hash.digest('hex'));
  const end = new Date(START + Math.max(timestamps.length, 1) * HOUR).toISOString().replace('.000Z', 'Z');
  writeFileSync(join(dir, 'leadership.manifest.json'), manifest('leadership', tupleId, sha[0]!, end));
  writeFileSync(join(dir, 'partner.manifest.json'), manifest('partner', tupleId, sha.at(-1)!, end));
  return { bytes: sides.at(-1)!.bytes };
}

/**
 * The program-scale site workspace: `tuples` tuples of 24 rows over 24 periods, spread over
 * `partners` partners in turn (tuple t belongs to partner t mod `partners`), so each partner gets
 * a bundle of its own; every `leadershipEvery`-th tuple (0: none) has a leadership-only metric.
 */
export async function writeProgram(
  root: string,
  { tuples, partners, leadershipEvery }: { tuples: number; partners: number; leadershipEvery: number },
): Promise<void> {
  const width = String(Math.max(partners - 1, 1)).length;
  for (let t = 0; t < tuples; t++) {
    const partner = String(t % Math.max(1, partners)).padStart(width, '0');
    await writeTuple(root, `bench-${String(t).padStart(3, '0')}`, 24, 24, {
      ...(partners > 1 ? { partner: `Bench Partner ${partner}`, partnerId: `partner-${partner}` } : {}),
      leadershipOnly: leadershipEvery > 0 && t % leadershipEvery === 0,
    });
  }
}

/** The sample dictionary (1.0.0) plus `extra` synthetic metrics, so the glossary can be large. */
export function writeDictionary(root: string, sampleDictionary: string, extra = 0): void {
  mkdirSync(join(root, 'dictionary', 'history'), { recursive: true });
  let text = readFileSync(sampleDictionary, 'utf8');
  for (let i = 0; i < extra; i++) {
    text += `\n  - metric_id: m.synthetic.metric_${String(i).padStart(4, '0')}\n    label: Synthetic metric ${i}\n    class: count\n    unit: count\n    aggregation: sum\n    precision: 0\n    definition: A synthetic metric for the benchmark, number ${i}.\n    formula_ref: synthetic v1\n    owner: "team:bench <bench@example.com>"\n    deprecated_after: null\n`;
  }
  writeFileSync(join(root, 'dictionary', 'metrics.yaml'), text);
  writeFileSync(join(root, 'dictionary', 'history', '1.0.0.yaml'), text);
  const sum = createHash('sha256').update(text).digest('hex');
  writeFileSync(join(root, 'dictionary', 'history', 'SHA256SUMS'), `${sum}  1.0.0.yaml\n`);
}

export function freshRoot(path: string): string {
  rmSync(path, { recursive: true, force: true });
  mkdirSync(path, { recursive: true });
  return path;
}

/**
 * One value changed in both exports of a tuple written by `writeTuple` (its first row's
 * `m.orders.shipped`, raised by `by`), each manifest's SHA-256 written again: what a rebuild after
 * one tuple's exports change finds.
 */
export function changeOneTuple(root: string, tupleId: string, by: number): void {
  const dir = join(root, 'content', 'tuples', tupleId);
  for (const audience of ['leadership', 'partner']) {
    const manifestPath = join(dir, `${audience}.manifest.json`);
    const written = JSON.parse(readFileSync(manifestPath, 'utf8')) as { file: string; sha256: string };
    const csv = join(dir, written.file);
    const lines = readFileSync(csv, 'utf8').split('\n');
    const column = lines[0]!.split(',').indexOf('m.orders.shipped');
    const cells = lines[1]!.split(',');
    cells[column] = String(Number(cells[column]) + by);
    lines[1] = cells.join(',');
    const text = lines.join('\n');
    writeFileSync(csv, text);
    written.sha256 = createHash('sha256').update(text).digest('hex');
    writeFileSync(manifestPath, `${JSON.stringify(written, null, 2)}\n`);
  }
}
