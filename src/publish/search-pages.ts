/**
 * Which pages pagefind indexes (src/publish/search-worker.ts): once any page of a site marks its
 * searchable part with the attribute `data-pagefind-body`, pagefind leaves out every page without
 * one; a site with no marked page has every page indexed.
 */

import { readFileSync } from 'node:fs';
import { sha256Hex } from '../core/hash.ts';
import { lastingStampOf } from '../io/kept-files.ts';
import type { FoundPage } from './search-cache.ts';

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

/**
 * The site's pages as read now, or, for a page that is still the file the last build read
 * (`earlier`, by URL, with its stamp), as read then. A page without the attribute's name in its
 * bytes marks nothing: it is not decoded.
 */
export function pagesRead(
  pages: readonly { url: string; file: string }[],
  earlier: ReadonlyMap<string, FoundPage> | null,
): FoundPage[] {
  return pages.map(({ url, file }): FoundPage => {
    // stamped before it is read: a page written meanwhile has another stamp next time, and is read
    const stamp = earlier ? lastingStampOf(file) : '';
    const before = earlier?.get(url);
    if (before && before[1] === stamp) return before;
    const bytes = readFileSync(file);
    const marked = bytes.includes(SEARCH_BODY) && hasMarkedBody(bytes.toString('utf8'));
    return [url, stamp, marked, sha256Hex(bytes)];
  });
}

/**
 * The pages pagefind indexes (search-pages.ts): those that mark their searchable part, or every
 * page when none does. The others are not sent: pagefind would parse each and leave it out.
 */
export function searched(pages: readonly FoundPage[]): readonly FoundPage[] {
  const marked = pages.filter(([, , isMarked]) => isMarked);
  return marked.length > 0 ? marked : pages;
}
