/** Reading a text input (YAML, JSON, markdown) as strict UTF-8: see src/core/text.ts. */
import { readFileSync } from 'node:fs';
import type { Located } from '../core/located.ts';
import type { ProblemCode } from '../core/problems.ts';
import { decodeText } from '../core/text.ts';

export function readTextFile(path: string, file: string, code: ProblemCode): Located<string> {
  return decodeText(readFileSync(path), file, code);
}
