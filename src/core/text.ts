/**
 * Text inputs (manifests, YAML, markdown) are strict UTF-8 like the exports: a byte that is not
 * UTF-8 is refused where it is, never replaced by U+FFFD (two different invalid run ids would read
 * as the same one). A leading byte order mark is accepted and dropped, as in CSV files. Control
 * and bidirectional-override characters are refused in every value, as in CSV cells.
 */
import type { Located } from './located.ts';
import { codePoint, problem, type Problem, type ProblemCode } from './problems.ts';
import { FORBIDDEN } from './text-guard.ts';
import { firstInvalidUtf8 } from './utf8.ts';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The characters refused in CSV cells (text-guard.ts), refused in every other text input too. */
const FORBIDDEN_IN_TEXT = new RegExp(`[${FORBIDDEN}]`, 'u');
/** In a one-line value (an id, a label) tab, LF and CR are as out of place as any other control. */
const FORBIDDEN_IN_LINE = new RegExp(`[${FORBIDDEN}\\t\\n\\r]`, 'u');

/**
 * Decodes a text file's bytes: strict UTF-8, a leading byte order mark dropped — or refused with
 * `bom: 'refuse'`, for files published byte for byte that other tools then read (manifests).
 */
export function decodeText(
  bytes: Uint8Array,
  file: string,
  code: ProblemCode,
  options: { bom?: 'drop' | 'refuse' } = {},
): Located<string> {
  if (options.bom === 'refuse' && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return {
      value: null,
      problems: [
        problem(
          code,
          'the file starts with a UTF-8 byte order mark (EF BB BF): manifests are published byte for byte and many JSON tools (jq among them) refuse one; save it without',
          { file, line: 1, column: 1 },
          undefined,
          { actual: 'EF BB BF', expected: '{' },
        ),
      ],
    };
  }
  try {
    return { value: decoder.decode(bytes), problems: [] };
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const before = bytes.subarray(0, Math.max(offset, 0));
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < before.length; i++) {
      if (before[i] === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    // the column in characters: the valid text before the byte on its line, plus one
    const column = [...decoder.decode(bytes.subarray(lineStart, Math.max(offset, lineStart)))].length + 1;
    const byte = bytes[offset]?.toString(16).toUpperCase().padStart(2, '0') ?? '';
    const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    return {
      value: null,
      problems: [
        problem(
          code,
          utf16
            ? 'the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8'
            : `the byte 0x${byte} at offset ${offset} is not UTF-8; text files are strict UTF-8 (it would be misread, not refused, by other tools)`,
          { file, line, column },
          undefined,
          { actual: `0x${byte}`, expected: 'UTF-8' },
        ),
      ],
    };
  }
}

/** The first forbidden character of a value and its index, or null (`multiline` allows tab, LF and CR). */
export function forbiddenCharacter(text: string, multiline = false): { index: number; char: string } | null {
  const match = (multiline ? FORBIDDEN_IN_TEXT : FORBIDDEN_IN_LINE).exec(text);
  return match ? { index: match.index, char: match[0] } : null;
}

/**
 * What people compare when they read two strings: compatibility-normalized, without the characters
 * that show nothing (zero-width spaces, joiners, format characters).
 */
function skeleton(text: string): string {
  return text.normalize('NFKC').replace(/[\p{Default_Ignorable_Code_Point}\p{Cf}]/gu, '');
}

/**
 * Two different strings as a message shows them: quoted, and spelled out in code points when they
 * look the same (NFC `é` against NFD `é`, a zero-width space), so the difference can be seen.
 */
export function showDifference(labelA: string, a: string, labelB: string, b: string): string {
  const shown = `${labelA} "${a}", ${labelB} "${b}"`;
  // spelled out when they look alike, or when either holds letters that may look like others
  // (a Cyrillic а for a Latin a)
  const mayLookAlike = skeleton(a) === skeleton(b) || /[^\x20-\x7e]/.test(a + b);
  if (a === b || !mayLookAlike) return shown;
  const spell = (text: string) => [...text].map(codePoint).join(' ');
  return `${shown}, which may look alike but differ: ${labelA} ${spell(a)}; ${labelB} ${spell(b)}`;
}

/** A markdown or other free text's first control or bidirectional-override character, located (tab and line breaks allowed). */
export function textCharacterProblems(text: string, file: string, code: ProblemCode): Problem[] {
  const found = forbiddenCharacter(text, true);
  if (!found) return [];
  const before = text.slice(0, found.index);
  const line = before.split('\n').length;
  const column = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1;
  return [
    problem(
      code,
      `the control character ${codePoint(found.char)} is not allowed in text (no control or bidirectional-override characters)`,
      { file, line, column },
      undefined,
      { actual: codePoint(found.char) },
    ),
  ];
}
