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

/**
 * `sha256Hex(canonicalJson(value))` for JSON data (plain objects, arrays, strings, finite numbers,
 * booleans, null; undefined members left out), hashed as it is written: a report entry with
 * every period of a year holds megabytes of JSON, and building them as one string first costs
 * tens of megabytes of memory.
 */
export function canonicalSha256(value: unknown): string {
  const hash = createHash('sha256');
  let pending: string[] = [];
  let pendingLength = 0;
  const write = (text: string) => {
    pending.push(text);
    pendingLength += text.length;
    if (pendingLength >= 1 << 16) {
      hash.update(pending.join(''));
      pending = [];
      pendingLength = 0;
    }
  };
  const walk = (item: unknown): void => {
    if (item === null || typeof item !== 'object') {
      write(canonicalJson(item));
    } else if (Array.isArray(item)) {
      write('[');
      item.forEach((element, i) => {
        if (i > 0) write(',');
        walk(element === undefined ? null : element);
      });
      write(']');
    } else {
      write('{');
      let first = true;
      for (const key of Object.keys(item).sort()) {
        const member = (item as Record<string, unknown>)[key];
        if (member === undefined) continue;
        write(first ? `${canonicalJson(key)}:` : `,${canonicalJson(key)}:`);
        first = false;
        walk(member);
      }
      write('}');
    }
  };
  walk(value);
  hash.update(pending.join(''));
  return hash.digest('hex');
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
