/**
 * Which pages pagefind indexes (src/publish/search-worker.ts): once any page of a site marks its
 * searchable part with the attribute `data-pagefind-body`, pagefind leaves out every page without
 * one; a site with no marked page has every page indexed.
 */

/** The attribute that marks a page's searchable part. */
export const SEARCH_BODY = 'data-pagefind-body';

/**
 * Whether a page marks its searchable part: an element with the attribute, not the words in its
 * text (where `<` is always written `&lt;`) or inside another attribute's value (always in double
 * quotes, a `"` in it written `&quot;`, as the pages are rendered).
 */
export function hasMarkedBody(html: string): boolean {
  for (let at = html.indexOf(SEARCH_BODY); at !== -1; at = html.indexOf(SEARCH_BODY, at + 1)) {
    const open = html.lastIndexOf('<', at);
    if (open === -1 || html.lastIndexOf('>', at) > open) continue; // in text, between tags
    if ((html.slice(open, at).split('"').length - 1) % 2 !== 0) continue; // inside a quoted value
    const before = html[at - 1]!;
    const after = html[at + SEARCH_BODY.length];
    if (/\s/.test(before) && (after === undefined || /[\s=/>]/.test(after))) return true;
  }
  return false;
}
