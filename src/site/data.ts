/**
 * What the site renders: the one site model the build wrote (the reconcile report plus the
 * dictionary versions). Pages read it and never recompute a number (STYLE: the site renders results).
 *
 * One build renders the internal site and every partner bundle (docs/reference/site.md): pages shared by both
 * take an optional `[...site]` route segment, absent for the internal site and `partners/<id>` for
 * a bundle, and read that audience's own model, whose links start at its own base path.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { basePathOf, pageIndexPath, partnerModelPath, PARTNERS_FOLDER } from '../core/site-paths.ts';
import { siteModelText, type ModelLayout, type PartLayout, type SitePages } from '../core/model-text.ts';
import type { SiteModel } from '../core/site-model.ts';

/**
 * The model's schema, loaded only where a model may come without a build (`astro dev`, a tool):
 * the site model's module brings the schema library, the markdown renderer and the YAML reader,
 * which the pages of a build never use and its pages' process would load before its first page
 */
const parseSiteModel = process.env.READBACK_SITE_MODEL_READY
  ? undefined
  : (await import('../core/site-model.ts')).parseSiteModel;

const cached = new Map<string, SiteModel>();

function readModel(path: string, site: string | undefined): SiteModel {
  let model = cached.get(path);
  if (!model) {
    const handedOver = modelWritten();
    const layout = handedOver ? sites().find((entry) => entry.site === site)?.layout : undefined;
    // a model the build running these pages has just written is what its typed code built, and
    // the schema reads such a model as it is (test/site-model.schema.test.ts); checking tens of
    // megabytes of it again took this process about half a second per 50 MB. Any other model
    // file (one read without a build, by `astro dev` or a tool) is checked against the schema
    model = layout
      ? lazyModel(readFileSync(path), layout)
      : handedOver
        ? (JSON.parse(readFileSync(path, 'utf8')) as SiteModel)
        : parseSiteModel!(JSON.parse(readFileSync(path, 'utf8')), path);
    cached.set(path, model);
  }
  return model;
}

/** each lazily read model's tuple names (for `tupleNames`) */
const lazyNames = new WeakMap<SiteModel, ModelLayout['names']>();

/**
 * A model handed over by a build, read as its file lies (`layout`, src/core/model-text.ts): the
 * frame is parsed at once, and each tuple's part of it only when a page reads it. A rebuild
 * renders a few tuples' pages and the pages listing every tuple; parsing all of a bench site's
 * 32 MB model, and collecting its garbage, was about half of this process's time after the model
 * was written. The model read is the one `JSON.parse` gives of the whole file (a test compares).
 */
export function lazyModel(bytes: Buffer, layout: ModelLayout): SiteModel {
  const parts = [
    ['tuples', layout.tuples],
    ['leadership', layout.leadership],
    ['report_tuples', layout.report_tuples],
  ] as const;
  // each part checked against the file first (lazyList), then the frame read around them
  const lists = Object.fromEntries(parts.map(([name, part]) => [name, lazyList(bytes, part)]));
  const inFile = [...parts].sort((a, b) => a[1].start - b[1].start);
  let frame = '';
  let from = 0;
  for (const [, part] of inFile) {
    if (part.start < from)
      throw new Error(`the site model's layout does not fit its file (parts overlap at ${part.start})`);
    frame += `${bytes.toString('utf8', from, part.start)}[]`;
    from = part.end;
  }
  const model = JSON.parse(frame + bytes.toString('utf8', from)) as SiteModel;
  Object.assign(model, { tuples: lists.tuples, leadership: lists.leadership });
  model.report.tuples = lists.report_tuples as SiteModel['report']['tuples'];
  lazyNames.set(model, layout.names);
  return model;
}

/** A part's items, each parsed from its bytes the first time it is read. */
function lazyList(bytes: Buffer, part: PartLayout): object[] {
  const list: object[] = [];
  list.length = part.items.length;
  let at = part.start + 1;
  part.items.forEach(([, length], index) => {
    const start = at;
    at += length + 1;
    Object.defineProperty(list, index, {
      configurable: true,
      enumerable: true,
      get() {
        const value = JSON.parse(bytes.toString('utf8', start, start + length)) as object;
        Object.defineProperty(list, index, { value, configurable: true, enumerable: true, writable: true });
        return value;
      },
    });
  });
  // the layout must end where the part does: a layout that does not fit its file is no layout
  if (at + (part.items.length === 0 ? 1 : 0) !== part.end || bytes[part.start] !== 0x5b || bytes[part.end - 1] !== 0x5d)
    throw new Error(`the site model's layout does not fit its file (a part ends at ${part.end}, its items at ${at})`);
  // indexed by the ids the layout gives, so that finding one reads no other (`itemOf`)
  byId.set(list, new Map(part.items.map(([id], index) => [id, index])));
  return list;
}

/** The id, title and partner of every tuple page of `model`, in order, without reading those pages. */
export function tupleNames(model: SiteModel): Map<string, { title: string; partner: string }> {
  const names =
    lazyNames.get(model) ??
    model.tuples.map((tuple): ModelLayout['names'][number] => [tuple.tuple_id, tuple.title, tuple.partner]);
  return new Map(names.map(([id, title, partner]) => [id, { title, partner }]));
}

/**
 * A build starts its pages before it has written the site model (src/publish/pages.ts): the
 * first page to read it waits here, the process having nothing else to do, until the build says
 * every model is written (the file READBACK_SITE_MODEL_READY names). The build stops this
 * process if it ends without writing them. True when the models are so handed over by a build.
 */
function modelWritten(): boolean {
  const ready = process.env.READBACK_SITE_MODEL_READY;
  if (!ready) return false;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  // waiting blocks this process's events (its parent's going away among them): a build that died
  // leaves this process to another parent, and then it stops
  const parent = process.ppid;
  while (!existsSync(ready)) {
    if (process.ppid !== parent) process.exit(1);
    Atomics.wait(pause, 0, 0, 20);
  }
  return true;
}

const internalModelPath = () => process.env.READBACK_SITE_MODEL ?? resolve('.readback/site/model.json');

/** The internal site's model. */
export function siteModel(): SiteModel {
  return readModel(internalModelPath(), undefined);
}

/** The site a page is rendered for, and how its links are written. */
export interface Audience {
  /** the `[...site]` route parameter: undefined for the internal site, `partners/<id>` for a bundle */
  site: string | undefined;
  model: SiteModel;
  /** true for the internal site, whose pages may link to what partners never get */
  internal: boolean;
  /** a site path (`/annex/acme-2026-q2/`) as this site links to it: below its base URL's path */
  href: (path: string) => string;
}

function audienceOf(site: string | undefined, model: SiteModel): Audience {
  const base = basePathOf(model.site_url);
  return { site, model, internal: model.partner_id === null, href: (path) => `${base}${path}` };
}

/** The internal site and every partner bundle. */
export function audiences(): Audience[] {
  const internal = siteModel();
  return [
    audienceOf(undefined, internal),
    ...internal.partners.map((bundle) =>
      audienceOf(
        `${PARTNERS_FOLDER}/${bundle.partner_id}`,
        readModel(partnerModelPath(internalModelPath(), bundle.partner_id), `${PARTNERS_FOLDER}/${bundle.partner_id}`),
      ),
    ),
  ];
}

/** The audience of a page, from its `[...site]` parameter (`Astro.params.site`). */
export function audience(site: string | undefined): Audience {
  if (site === undefined) return audienceOf(undefined, siteModel());
  const partnerId = site.slice(`${PARTNERS_FOLDER}/`.length);
  return audienceOf(site, readModel(partnerModelPath(internalModelPath(), partnerId), site));
}

/**
 * Page reuse (README, "Rebuilds"): a build that keeps the pages it rendered gives
 * each page a key, the SHA-256 of what the page renders from, and Astro renders again only the
 * pages whose key changed (or whose templates did). The build hands over the tool's own identity
 * (every source file, the package's and its dependencies' versions) with the page keys; without a
 * build (`astro dev`) no page has a key and every page is rendered.
 *
 * What a page may read of its site's model: the model's frame (everything but its per-tuple
 * parts: `tuples`, `leadership` and the report's `tuples`) and the part its key names besides. A
 * page that lists every tuple takes the whole model's key. The keys are the hashes of those parts'
 * JSON texts (src/core/model-text.ts): a build hands them over in a file beside the models
 * (`pageIndexPath`), so a site whose pages are all kept has its model never read here.
 */
export interface Site {
  /** the `[...site]` route parameter: undefined for the internal site, `partners/<id>` for a bundle */
  site: string | undefined;
  pages: SitePages;
  /** where its model's per-tuple parts lie in the model's file, when the build says (src/core/model-text.ts) */
  layout?: ModelLayout;
}

let index: Site[] | undefined;
/** the tool's identity a build hands over with the page keys, part of every page's key */
let tool: string | undefined;

/** The internal site and every partner bundle, with their pages' keys. */
export function sites(): Site[] {
  if (!index) {
    if (modelWritten()) {
      const written = JSON.parse(readFileSync(pageIndexPath(internalModelPath()), 'utf8')) as {
        sites: { site: string | null; pages: SitePages; layout?: ModelLayout }[];
        tool?: string;
      };
      index = written.sites.map(({ site, pages, layout }) => ({ site: site ?? undefined, pages, layout }));
      tool = written.tool || undefined;
    } else {
      // no build hands them over (`astro dev`): keyed from the models themselves
      index = audiences().map(({ site, model }) => ({ site, pages: siteModelText(model).pages }));
    }
  }
  return index;
}

/** A page's key: its site's frame and `part`, the hash of what the page reads besides; undefined without reuse. */
export function pageKey(pages: SitePages, part = ''): string | undefined {
  sites();
  if (!tool) return undefined;
  return createHash('sha256').update(`${tool}\0${pages.frame}\0${part}`).digest('hex');
}

/** each list's items' positions, by their id (a lazily read part's, from its layout) */
const byId = new WeakMap<readonly object[], Map<string, number>>();

/** The item of `list` whose `key` is `id` (a page's own part of its model, by its route parameter). */
export function itemOf<T extends object, K extends keyof T>(list: readonly T[], key: K, id: string | undefined): T {
  let items = byId.get(list);
  if (!items) {
    items = new Map(list.map((item, index) => [String(item[key]), index]));
    byId.set(list, items);
  }
  const index = items.get(id ?? '');
  if (index === undefined) throw new Error(`no ${String(key)} ${id} in the site model`);
  return list[index]!;
}

/**
 * Counts a page rendered (every page's layout calls it): the pages' process tells the build how
 * many it rendered, so the build can say how many it reused (src/publish/astro-worker.ts)
 */
export function pageRendered(): void {
  const counter = globalThis as { readbackPagesRendered?: number };
  counter.readbackPagesRendered = (counter.readbackPagesRendered ?? 0) + 1;
}
