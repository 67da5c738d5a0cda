/** The one-pager's paper, as a setting names it (kept apart from the renderer, so reading a setting loads no PDF code). */
import type { PageSize } from './one-pager.ts';

/** The page size a setting names (LETTER or A4, any case; LETTER when unset), or null when it names none. */
export function pageSizeOf(setting: string | undefined): PageSize | null {
  const size = (setting ?? 'LETTER').toUpperCase();
  return size === 'LETTER' || size === 'A4' ? size : null;
}
