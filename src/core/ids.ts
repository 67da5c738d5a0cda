/**
 * The patterns of identifiers and versions, apart from the zod schemas that use them: the export
 * reader checks audit ids with them in a worker thread that loads no schema library.
 */
/** docs/reference/workspace.md: opaque, stable; the CSV header, the URL anchor and the citation. */
export const METRIC_ID = /^[a-z][a-z0-9_.-]{1,63}$/;
/** docs/reference/workspace.md */
export const TUPLE_ID = /^[a-z0-9][a-z0-9-]{1,63}$/;
/** docs/reference/workspace.md: a bypass audit id (also used for parent freeze ids). */
export const AUDIT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
export const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
/** RFC 3339 full-date */
export const FULL_DATE = /^\d{4}-\d{2}-\d{2}$/;
export const SHA256_HEX = /^[0-9a-f]{64}$/;
