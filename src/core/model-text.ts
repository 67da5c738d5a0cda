/**
 * A site model as the file the pages read, and the keys of its pages (README, "Rebuilds").
 *
 * A page reads its site's frame (everything in the model but its per-tuple parts: `tuples`,
 * `leadership` and the report's `tuples`) and, when it is a tuple's page, that tuple's part. Its
 * key is the SHA-256 of those JSON texts; the page of a site that lists every tuple takes the whole
 * model's. The build takes these hashes from the very texts it writes into the model file, so the
 * pages' process needs no model to know which of its pages changed: it reads the models only for
 * the pages it renders (src/site/data.ts).
 */
import { createHash } from 'node:crypto';
import type { SiteModel } from './site-model.ts';

/** What the pages of one site are keyed by, and which pages it has. */
export interface SitePages {
  /** the SHA-256 of the model's frame */
  frame: string;
  /** the SHA-256 of the frame's and every per-tuple part's hashes: the key of a page that lists every tuple */
  whole: string;
  /** each tuple's id and the SHA-256 of its tuple page's JSON (`tuples[]`) */
  tuples: [string, string][];
  /** each leadership page's tuple id and the SHA-256 of its JSON (`leadership[]`, internal site only) */
  leadership: [string, string][];
  /** the metric ids of the glossary's pages */
  glossary: string[];
  /** the glossary diffs' ranges (`from...to`) */
  diffs: string[];
}

/** The route parameter of a glossary diff's page. */
export const diffRange = (diff: { from: string; to: string }) => `${diff.from}...${diff.to}`;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Stand-ins for the per-tuple parts while the frame is written (each must occur once). */
const HOLES = ['\u0000readback:tuples', '\u0000readback:leadership', '\u0000readback:report-tuples'] as const;

/**
 * The model's JSON text (`JSON.stringify(model)`, byte for byte, when its `chunks` are put
 * together) and its pages' keys: each per-tuple part is written once, and hashed as it is
 * written. The text is left in chunks, the frame's and each part's, for a writer to write one
 * after the other: a program's model runs to hundreds of megabytes, and a copy of it whole, beside
 * its parts, pressed the build's memory into collecting garbage again and again.
 */
export function siteModelText(model: SiteModel): { chunks: string[]; pages: SitePages; layout?: ModelLayout } {
  const parts = [model.tuples, model.leadership, model.report.tuples].map((list) =>
    (list as readonly object[]).map((item) => JSON.stringify(item)),
  );
  const frameText = JSON.stringify({
    ...model,
    tuples: HOLES[0],
    leadership: HOLES[1],
    report: { ...model.report, tuples: HOLES[2] },
  });
  const pieces = frameText.split(/"\\u0000readback:(?:tuples|leadership|report-tuples)"/);
  const hashes = parts.map((texts) => texts.map(sha256));
  const frame = sha256(frameText);
  const whole = sha256([frame, ...hashes.map((list) => list.join(','))].join('\n'));
  const pages: SitePages = {
    frame,
    whole,
    tuples: model.tuples.map((tuple, i) => [tuple.tuple_id, hashes[0]![i]!]),
    leadership: model.leadership.map((page, i) => [page.tuple_id, hashes[1]![i]!]),
    glossary: model.glossary.map((entry) => entry.metric_id),
    diffs: model.diffs.map(diffRange),
  };
  // a frame whose own text held a stand-in (it never should) is written the plain way
  if (pieces.length !== 4) return { chunks: [JSON.stringify(model)], pages };
  // the holes come in the model's key order: tuples, report (its tuples), leadership
  const order = HOLES.map((hole) => frameText.indexOf(JSON.stringify(hole)));
  const filled = [0, 1, 2].sort((a, b) => order[a]! - order[b]!);
  const chunks = [pieces[0]!];
  // where each part lies in the file's bytes, as its chunks are laid one after the other
  let at = Buffer.byteLength(pieces[0]!);
  const ids = [model.tuples, model.leadership, model.report.tuples].map((list) =>
    (list as readonly { tuple_id: string }[]).map((item) => item.tuple_id),
  );
  const placed: PartLayout[] = [];
  filled.forEach((part, i) => {
    const start = at;
    chunks.push('[');
    const items = parts[part]!.map((text, j): [string, number] => {
      if (j > 0) chunks.push(',');
      chunks.push(text);
      return [ids[part]![j]!, Buffer.byteLength(text)];
    });
    chunks.push(']', pieces[i + 1]!);
    const end = start + 2 + items.reduce((sum, [, bytes]) => sum + bytes, 0) + Math.max(items.length - 1, 0);
    at = end + Buffer.byteLength(pieces[i + 1]!);
    placed[part] = { start, end, items };
  });
  const layout: ModelLayout = {
    tuples: placed[0]!,
    leadership: placed[1]!,
    report_tuples: placed[2]!,
    names: model.tuples.map((tuple) => [tuple.tuple_id, tuple.title, tuple.partner]),
  };
  return { chunks, pages, layout };
}

/** Where one per-tuple part lies in the model's file (bytes of its UTF-8). */
export interface PartLayout {
  /** the offset of the part's `[`, and the offset just past its `]` */
  start: number;
  end: number;
  /** each item's tuple id and length in bytes, in order: items are separated by one comma */
  items: [tuple_id: string, bytes: number][];
}

/**
 * Where the per-tuple parts of a model lie in its file, so that a reader may parse the frame and
 * then only the items it needs (src/site/data.ts): a rebuild renders a few tuples' pages and the
 * pages that list every tuple, which read the report's entries and the leadership pages but only
 * the names of the tuple pages. Those names are here too.
 */
export interface ModelLayout {
  tuples: PartLayout;
  leadership: PartLayout;
  report_tuples: PartLayout;
  /** each tuple page's id, title and partner, in the order of `tuples` */
  names: [tuple_id: string, title: string, partner: string][];
}

/**
 * The chunks put together in strings of about `size` characters, each chunk let go of as it is
 * taken (for a writer that writes one string after the other, such as `fs.promises.writeFile`).
 */
export function* batched(chunks: string[], size = 1 << 20): Generator<string> {
  let batch = '';
  for (let i = 0; i < chunks.length; i++) {
    batch += chunks[i]!;
    chunks[i] = '';
    if (batch.length >= size) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}
