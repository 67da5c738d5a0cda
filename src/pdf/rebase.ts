/**
 * A one-pager moved onto another base URL without drawing it again. The internal site's copy of a
 * tuple's one-pager and its partner bundle's copy are the same page: only the targets of its links
 * differ (each links to the annex of the site it is published in). Those targets are written by
 * the renderer (pdfkit, through react-pdf) as URI actions, each an object of its own,
 *
 *     13 0 obj\n<<\n/S /URI\n/URI (https://…)\n>>\nendobj\n
 *
 * outside every compressed stream. Rewriting those strings and the cross-reference table that
 * locates each object gives the bytes the renderer writes for the other base URL (the build checks
 * that by comparing both for its own sample, test/pdf-rebase.test.ts). A file of any other shape is
 * not rewritten: the caller draws it instead.
 */

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

/** How pdfkit writes the characters of an ASCII string inside `( … )`. */
const ESCAPED: Record<string, string> = {
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
  '\\': '\\\\',
  '(': '\\(',
  ')': '\\)',
};
const literal = (text: string) => text.replace(/[\n\r\t\b\f()\\]/g, (c) => ESCAPED[c]!);

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;
const URI_ACTION = /^(\d+) 0 obj\n<<\n\/S \/URI\n\/URI \(((?:[^\\()]|\\[\s\S])*)\)\n>>\nendobj\n$/;
const TAIL = /xref\n0 (\d+)\n([\s\S]*?)trailer\n(<<\n[\s\S]*?\n>>)\nstartxref\n(\d+)\n%%EOF\n?$/;

/**
 * The PDF with every link target that starts `from/` starting `to/` instead, or null when the file
 * is not laid out as the renderer writes it (or a base is not plain ASCII, which pdfkit would
 * write as UTF-16).
 */
export function rebaseLinks(pdf: Uint8Array, from: string, to: string): Buffer | null {
  if (!ASCII.test(from) || !ASCII.test(to)) return null;
  const text = latin1(pdf);
  const tail = TAIL.exec(text);
  if (!tail) return null;
  const xrefAt = Number(tail[4]);
  if (text.slice(xrefAt, xrefAt + 5) !== 'xref\n' || tail.index !== xrefAt) return null;
  const count = Number(tail[1]);
  const entries = tail[2]!;
  if (entries.length !== count * 20) return null;
  // where each object starts, in the order the file holds them
  const objects: { number: number; at: number }[] = [];
  for (let n = 1; n < count; n++) {
    const entry = entries.slice(n * 20, n * 20 + 20);
    if (!/^\d{10} 00000 n \n$/.test(entry)) return null;
    objects.push({ number: n, at: Number(entry.slice(0, 10)) });
  }
  if (!/^0000000000 65535 f \n$/.test(entries.slice(0, 20))) return null;
  objects.sort((a, b) => a.at - b.at);
  const header = text.slice(0, objects[0]?.at ?? xrefAt);
  const oldPrefix = literal(`${from}/`);
  const newPrefix = literal(`${to}/`);
  const parts = [header];
  const offsets = new Map<number, number>();
  let length = header.length;
  for (let i = 0; i < objects.length; i++) {
    const { number, at } = objects[i]!;
    const end = objects[i + 1]?.at ?? xrefAt;
    let chunk = text.slice(at, end);
    if (!chunk.startsWith(`${number} 0 obj\n`) || !chunk.endsWith('endobj\n')) return null;
    const action = URI_ACTION.exec(chunk);
    // a target written otherwise (as UTF-16, for one beyond ASCII) is not rewritten, and pdf.js
    // does not read it as a link either, so the caller's check of the links could not tell
    if (action ? action[2]!.startsWith('\xfe\xff') : chunk.includes('\n/S /URI\n')) return null;
    if (action && action[2]!.startsWith(oldPrefix))
      chunk = `${number} 0 obj\n<<\n/S /URI\n/URI (${newPrefix}${action[2]!.slice(oldPrefix.length)})\n>>\nendobj\n`;
    offsets.set(number, length);
    parts.push(chunk);
    length += chunk.length;
  }
  const table = ['xref\n', `0 ${count}\n`, '0000000000 65535 f \n'];
  for (let n = 1; n < count; n++) table.push(`${String(offsets.get(n)!).padStart(10, '0')} 00000 n \n`);
  parts.push(...table, `trailer\n${tail[3]}\nstartxref\n${length}\n%%EOF\n`);
  return Buffer.from(parts.join(''), 'latin1');
}
