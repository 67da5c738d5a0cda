/** Reading a text input (YAML, JSON, markdown) as strict UTF-8: see src/core/text.ts. */
import { readFileSync } from 'node:fs';
import type { Located } from '../core/located.ts';
import { problem, type ProblemCode } from '../core/problems.ts';
import { decodeText } from '../core/text.ts';

/** Why a file could not be read, in words (the system's own code kept for searching). */
export function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EISDIR') return 'it is a folder, not a file';
  if (code === 'ENOENT') return 'it does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return `${(error as Error).message}${code ? ` (${code})` : ''}`;
}

export function readTextFile(
  path: string,
  file: string,
  code: ProblemCode,
  options: { bom?: 'drop' | 'refuse' } = {},
): Located<string> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return { value: null, problems: [problem(code, `${file} cannot be read: ${readFailure(error)}`, { file })] };
  }
  return decodeText(bytes, file, code, options);
}
