/**
 * WOFF 1.0 → plain SFNT (TTF/OTF). fontkit inflates a WOFF's compressed tables on every glyph
 * lookup, which made each one-pager take ~280 ms; a decompressed font renders the same glyphs
 * without it. Format: https://www.w3.org/TR/WOFF/
 */
import { inflateSync } from 'node:zlib';

const GSUB = 0x47535542;

/**
 * `dropSubstitutions` leaves out the GSUB table (ligatures and contextual alternates): fontkit's
 * contextual lookups were half of a one-pager's remaining render time, and a report set in Inter
 * reads the same without them. Kerning (GPOS) stays.
 */
export function woffToSfnt(woff: Buffer, dropSubstitutions = false): Buffer {
  if (woff.readUInt32BE(0) !== 0x774f4646) throw new Error('not a WOFF 1.0 font');
  const flavor = woff.readUInt32BE(4);
  const tableCount = woff.readUInt16BE(12);
  const tables: { tag: number; checksum: number; data: Buffer }[] = [];
  for (let i = 0; i < tableCount; i++) {
    const entry = 44 + i * 20;
    const tag = woff.readUInt32BE(entry);
    const offset = woff.readUInt32BE(entry + 4);
    const compressedLength = woff.readUInt32BE(entry + 8);
    const originalLength = woff.readUInt32BE(entry + 12);
    const checksum = woff.readUInt32BE(entry + 16);
    if (dropSubstitutions && tag === GSUB) continue;
    const raw = woff.subarray(offset, offset + compressedLength);
    tables.push({ tag, checksum, data: compressedLength < originalLength ? inflateSync(raw) : Buffer.from(raw) });
  }
  const numTables = tables.length;
  let searchRange = 1;
  let entrySelector = 0;
  while (searchRange * 2 <= numTables) {
    searchRange *= 2;
    entrySelector++;
  }
  const headerLength = 12 + numTables * 16;
  const padded = (n: number) => (n + 3) & ~3;
  const total = tables.reduce((sum, t) => sum + padded(t.data.length), headerLength);
  const out = Buffer.alloc(total);
  out.writeUInt32BE(flavor, 0);
  out.writeUInt16BE(numTables, 4);
  out.writeUInt16BE(searchRange * 16, 6);
  out.writeUInt16BE(entrySelector, 8);
  out.writeUInt16BE(numTables * 16 - searchRange * 16, 10);
  let offset = headerLength;
  tables.forEach((table, i) => {
    const entry = 12 + i * 16;
    out.writeUInt32BE(table.tag, entry);
    out.writeUInt32BE(table.checksum, entry + 4);
    out.writeUInt32BE(offset, entry + 8);
    out.writeUInt32BE(table.data.length, entry + 12);
    table.data.copy(out, offset);
    offset += padded(table.data.length);
  });
  return out;
}
