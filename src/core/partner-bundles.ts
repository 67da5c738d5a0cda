/**
 * Partner bundles (docs/reference/site.md): for each partner_id, a complete site of its own that holds that
 * partner's tuples and nothing else. The internal site model lists the bundles; each bundle's own
 * model is the same site model built from that partner's tuples alone, on the bundle's base URL,
 * so every page, link and PDF of a bundle renders exactly as the internal one does, and nothing
 * of another partner (or leadership-only) is in the data a bundle's pages can read.
 */
import { z } from 'zod';
import { problem, type Problem, type SourceLocation } from './problems.ts';
import type { TupleConfig } from './schemas.ts';
import { partnerSlug } from './tuple.ts';
import { PARTNERS_FOLDER } from './site-paths.ts';

// where the sites and their models lie, in a module of their own that the pages import (site-paths.ts)
export { basePathOf, pageIndexPath, partnerModelPath, PARTNERS_FOLDER } from './site-paths.ts';

/** What READBACK_PARTNER_SITE_URL must hold, replaced by each bundle's partner_id. */
export const PARTNER_ID_PLACEHOLDER = '{partner_id}';

/** docs/reference/workspace.md: the explicit `partner_id`, or the lowercase ASCII slug of `partner`. */
export function partnerIdOf(config: Pick<TupleConfig, 'partner' | 'partner_id'>): string {
  return config.partner_id ?? partnerSlug(config.partner);
}

/** One partner bundle as the internal site lists it. */
export const PartnerBundleSchema = z.object({
  partner_id: z.string(),
  /** the partner's name, as its first tuple (by id) gives it: @example "Acme Logistics" */
  partner: z.string(),
  /** the bundle's base URL, without a trailing slash: @example "https://readback.example.com/partners/acme" */
  site_url: z.string(),
  /** its tuples, by id */
  tuples: z.array(z.string()),
});
export type PartnerBundle = z.infer<typeof PartnerBundleSchema>;

/**
 * READBACK_PARTNER_SITE_URL: an http(s) URL holding `{partner_id}` (in its host or path), with
 * no query, fragment or credentials. A path is allowed, since a bundle is usually served below
 * some folder (the default is `<site>/partners/<partner_id>`). A trailing slash is optional.
 */
export function partnerSiteUrlProblems(
  template: string,
  source: { name: string; at: SourceLocation } = { name: 'READBACK_PARTNER_SITE_URL', at: {} },
): Problem[] {
  const refuse = (why: string) => [
    problem(
      'BAD_SETTING',
      `${source.name} ${why}, e.g. https://{partner_id}.kpi.example.org or https://partners.example.org/{partner_id}; it is "${template}"`,
      source.at,
      undefined,
      { actual: template, expected: `an http(s) URL holding ${PARTNER_ID_PLACEHOLDER}, without query or fragment` },
    ),
  ];
  if (!template.includes(PARTNER_ID_PLACEHOLDER)) return refuse(`must hold ${PARTNER_ID_PLACEHOLDER}`);
  // a partner_id is lowercase letters, digits and hyphens: try the template with one
  const sample = template.replaceAll(PARTNER_ID_PLACEHOLDER, 'partner-id');
  let url: URL | null = null;
  try {
    url = new URL(sample);
  } catch {}
  if (!url || !/^https?:$/.test(url.protocol)) return refuse('must be an http(s) URL');
  if (url.username || url.password || url.search || url.hash || /[?#]/.test(sample))
    return refuse('must have no user, query or fragment');
  // what is written must be what a browser reads: lowercase host, nothing escaped, no ./ or ../
  if (url.href.replace(/\/+$/, '') !== sample.replace(/\/+$/, ''))
    return refuse('must be written as a browser reads it (lowercase host, no spaces, no ./ or ../)');
  if (!`${url.host}${url.pathname}`.includes('partner-id'))
    return refuse(`must hold ${PARTNER_ID_PLACEHOLDER} in its host or path`);
  return [];
}

/** A bundle's base URL, without a trailing slash: the template's, or `<site>/partners/<partner_id>`. */
export function partnerSiteUrl(siteUrl: string, partnerId: string, template?: string): string {
  const url = template
    ? template.replaceAll(PARTNER_ID_PLACEHOLDER, partnerId)
    : `${siteUrl.replace(/\/+$/, '')}/${PARTNERS_FOLDER}/${partnerId}`;
  return url.replace(/\/+$/, '');
}

/** The bundles of a set of tuples: one per partner_id, in partner_id order, each tuple once. */
export function partnerBundles(
  tuples: readonly { tuple_id: string; config: Pick<TupleConfig, 'partner' | 'partner_id'> }[],
  siteUrlOf: (partnerId: string) => string,
): PartnerBundle[] {
  const bundles = new Map<string, PartnerBundle>();
  for (const { tuple_id, config } of [...tuples].sort((a, b) => (a.tuple_id < b.tuple_id ? -1 : 1))) {
    const id = partnerIdOf(config);
    const bundle = bundles.get(id) ?? { partner_id: id, partner: config.partner, site_url: siteUrlOf(id), tuples: [] };
    bundle.tuples.push(tuple_id);
    bundles.set(id, bundle);
  }
  return [...bundles.values()].sort((a, b) => (a.partner_id < b.partner_id ? -1 : 1));
}

/**
 * Which of `folders` (site-relative, such as `partners/acme`) holds `path` (site-relative, `/`
 * separated, with or without a leading `/`), and the path from inside it; undefined for a path
 * in none. One set lookup per folder level, so a site of hundreds of bundles is split in one pass.
 */
export function folderHolding(
  path: string,
  folders: ReadonlySet<string>,
): { folder: string; rest: string } | undefined {
  const start = path.startsWith('/') ? 1 : 0;
  for (let slash = path.indexOf('/', start); slash !== -1; slash = path.indexOf('/', slash + 1)) {
    const folder = path.slice(start, slash);
    if (folders.has(folder)) return { folder, rest: path.slice(slash) };
  }
  return undefined;
}
