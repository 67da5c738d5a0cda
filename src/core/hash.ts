/** SPEC §5: hashes an auditor can recompute with standard tools. */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** RFC 8785 (JCS) canonical JSON. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON form');
  return text;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The seven fields the tuple revision hash is taken over (SPEC §5). */
export const TUPLE_REVISION_FIELDS = [
  'tuple_id',
  'start_inclusive',
  'end_exclusive',
  'dictionary_version',
  'dictionary_sha256',
  'leadership_sha256',
  'partner_sha256',
] as const;

export type TupleRevisionInputs = Record<(typeof TUPLE_REVISION_FIELDS)[number], string>;

/**
 * The canonical JSON of exactly these seven fields: the document the tuple revision hash is taken
 * of, and what the annex prints so an auditor can hash it with standard tools.
 */
export function tupleRevisionDocument(inputs: TupleRevisionInputs): string {
  // exactly these fields, whatever else the object holds
  return canonicalJson(Object.fromEntries(TUPLE_REVISION_FIELDS.map((field) => [field, inputs[field]])));
}

/** `sha256:<hex>` of the tuple revision document. */
export function tupleRevisionHash(inputs: TupleRevisionInputs): string {
  return `sha256:${sha256Hex(tupleRevisionDocument(inputs))}`;
}

/** The short form: the first 12 hex digits. */
export function shortHash(hash: string): string {
  return hash.replace(/^sha256:/, '').slice(0, 12);
}
