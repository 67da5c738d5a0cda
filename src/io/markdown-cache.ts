/**
 * Markdown a build already rendered, reused by content (README, "Rebuilds"): the site model
 * renders every metric's definition and every readback, and rendering (remark, rehype-sanitize)
 * is a pure function of the text and of the code that renders. A build keeps each text it
 * rendered with its HTML, under the identity of the code; the next build of the same code takes
 * them as rendered (src/core/markdown.ts). Only the texts the last build asked for are kept, so
 * the file does not grow.
 */
import { basename, dirname } from 'node:path';
import { rememberRendered, renderedAsked } from '../core/markdown.ts';
import { keepFile, usedFile } from './kept-files.ts';

/** In the workspace, beside the other caches (never published). */
export const MARKDOWN_CACHE_FILE = '.readback/cache/markdown.json';

interface Kept {
  tool: string;
  texts: [markdown: string, html: string][];
}

/** Takes the texts kept at `file` by a build of the code `tool` as rendered. Best effort. */
export function recallRendered(file: string, tool: string): void {
  try {
    const kept = JSON.parse(usedFile(file) ?? 'null') as Kept | null;
    if (kept?.tool === tool && Array.isArray(kept.texts))
      rememberRendered(
        kept.texts.filter(
          (pair): pair is [string, string] =>
            Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string',
        ),
      );
  } catch {
    // nothing kept, or not readable: every text is rendered
  }
}

/** Keeps the texts this build asked for, with their HTML. Best effort. */
export function keepRendered(file: string, tool: string): void {
  keepFile(dirname(file), basename(file), JSON.stringify({ tool, texts: renderedAsked() } satisfies Kept));
}
