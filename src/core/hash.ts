/** docs/reference/checks.md: hashes an auditor can recompute with standard tools. */
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
 * tens of megabytes of memory. Its hundred thousand objects mostly share a few shapes, so each
 * shape's members are sorted once.
 */
export function canonicalSha256(value: unknown): string {
  const hash = createHash('sha256');
  const orders = new MemberOrders();
  let pending = '';
  const walk = (item: unknown): void => {
    if (item === null || typeof item !== 'object') {
      pending += canonicalPrimitive(item);
    } else if (Array.isArray(item)) {
      pending += '[';
      for (let i = 0; i < item.length; i++) {
        if (i > 0) pending += ',';
        const element: unknown = item[i];
        walk(element === undefined ? null : element);
      }
      pending += ']';
    } else {
      const { sorted, heads } = orders.of(Object.keys(item));
      let first = true;
      pending += '{';
      for (let i = 0; i < sorted.length; i++) {
        const member = (item as Record<string, unknown>)[sorted[i]!];
        if (member === undefined) continue;
        pending += first ? heads[i] : `,${heads[i]}`;
        first = false;
        walk(member);
      }
      pending += '}';
    }
    if (pending.length >= 1 << 16) {
      hash.update(pending);
      pending = '';
    }
  };
  walk(value);
  hash.update(pending);
  return hash.digest('hex');
}

/** An object shape's member names sorted (RFC 8785 §3.2.3: by UTF-16 code units, as Array.prototype.sort does), each written `"name":`. */
interface MemberOrder {
  names: readonly string[];
  sorted: string[];
  heads: string[];
}

/** The member orders of the shapes seen last. */
class MemberOrders {
  readonly #recent: MemberOrder[] = [];

  of(names: readonly string[]): MemberOrder {
    const recent = this.#recent;
    search: for (const order of recent) {
      if (order.names.length !== names.length) continue;
      for (let i = 0; i < names.length; i++) if (order.names[i] !== names[i]) continue search;
      return order;
    }
    const sorted = [...names].sort();
    const order = { names, sorted, heads: sorted.map((name) => `${canonicalPrimitive(name)}:`) };
    if (recent.length >= 16) recent.pop();
    recent.unshift(order);
    return order;
  }
}

/** Characters JSON.stringify escapes in a string, and surrogates (RFC 8785 refuses a lone one). */
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * RFC 8785 text of a string, finite number, boolean or null: what JSON.stringify writes. The rest
 * (lone surrogates, NaN, Infinity, undefined…) goes to `canonicalJson`, which refuses it as it always did.
 * A report entry holds hundreds of thousands of these, so the common case skips the library.
 */
function canonicalPrimitive(value: unknown): string {
  switch (typeof value) {
    case 'string':
      if (!ESCAPED.test(value)) return `"${value}"`;
      if (value.isWellFormed()) return JSON.stringify(value);
      break;
    case 'number':
      if (Number.isFinite(value)) return JSON.stringify(value);
      break;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      break;
  }
  return canonicalJson(value);
}

/** The seven fields the tuple revision hash is taken over (docs/reference/checks.md). */
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
