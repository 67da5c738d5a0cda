/**
 * Where a build's sites and their models lie. A module of its own, importing nothing: the pages
 * import it (src/site/data.ts), and whatever the pages import Astro's bundler bundles and the
 * pages' process loads before it renders a page.
 */

/** Where the bundles sit inside the internal site: `partners/<partner_id>/`. */
export const PARTNERS_FOLDER = 'partners';

/** The URL path a site's links start with, from its base URL: "" at an origin's root, else "/partners/acme". */
export function basePathOf(siteUrl: string): string {
  return new URL(`${siteUrl.replace(/\/+$/, '')}/`).pathname.replace(/\/+$/, '');
}

/** Where the build leaves a bundle's site model, beside the internal one (the pages read it by partner_id). */
export function partnerModelPath(internalModelPath: string, partnerId: string): string {
  return internalModelPath.replace(/[^/\\]*$/, `${PARTNERS_FOLDER}/${partnerId}.json`);
}

/**
 * Where a build hands the pages' process the keys of every site's pages (src/core/model-text.ts),
 * beside the internal site's model.
 */
export const pageIndexPath = (internalModelPath: string) => `${internalModelPath}.pages.json`;
