/**
 * Markdown from the dictionary and content files, rendered with remark and sanitized with
 * rehype-sanitize's GitHub schema: no raw HTML, no scripts, no event handlers, and links
 * only to http(s), mailto or relative targets.
 */
import { remark } from 'remark';
import remarkRehype from 'remark-rehype';
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';

const schema = {
  ...defaultSchema,
  protocols: { ...defaultSchema.protocols, href: ['http', 'https', 'mailto'] },
};

const processor = remark().use(remarkRehype).use(rehypeSanitize, schema).use(rehypeStringify);

/**
 * Rendered texts by their markdown: the site model renders the same dictionary definitions once
 * for the internal site and again for every partner bundle (a program's 1,000 definitions × 50
 * bundles). The rendering is a pure function of the text, so a text is rendered once; a build
 * also keeps what it rendered for the next build (src/io/markdown-cache.ts).
 */
const rendered = new Map<string, string>();
const RENDERED_KEPT = 20_000;
/** the texts asked for since this process started (what a build keeps for the next) */
const asked = new Set<string>();

export function renderMarkdown(markdown: string): string {
  let html = rendered.get(markdown);
  if (html === undefined) {
    html = String(processor.processSync(markdown)).trim();
    if (rendered.size >= RENDERED_KEPT) rendered.clear();
    rendered.set(markdown, html);
  }
  if (asked.size < RENDERED_KEPT) asked.add(markdown);
  return html;
}

/**
 * Texts rendered by this very code in an earlier run, each with its HTML: taken as rendered. The
 * caller vouches that they were rendered by renderMarkdown of the same code (a cache keyed by it).
 */
export function rememberRendered(texts: Iterable<readonly [markdown: string, html: string]>): void {
  for (const [markdown, html] of texts) if (rendered.size < RENDERED_KEPT) rendered.set(markdown, html);
}

/** Every text asked for since this process started, with its HTML. */
export function renderedAsked(): [markdown: string, html: string][] {
  return [...asked].flatMap((markdown) => {
    const html = rendered.get(markdown);
    return html === undefined ? [] : [[markdown, html] as [string, string]];
  });
}
