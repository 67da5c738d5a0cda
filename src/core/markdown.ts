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
 * bundles). The rendering is a pure function of the text, so a text is rendered once.
 */
const rendered = new Map<string, string>();
const RENDERED_KEPT = 20_000;

export function renderMarkdown(markdown: string): string {
  let html = rendered.get(markdown);
  if (html === undefined) {
    html = String(processor.processSync(markdown)).trim();
    if (rendered.size >= RENDERED_KEPT) rendered.clear();
    rendered.set(markdown, html);
  }
  return html;
}
