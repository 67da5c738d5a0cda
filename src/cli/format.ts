/** The --format option of the commands that print for people and for CI systems. */
import { OUTPUT_FORMATS, type OutputFormat } from '../core/ci-text.ts';
import { UsageError } from '../io/context.ts';

export function parseFormat(value: string | undefined): OutputFormat {
  const format = value ?? 'text';
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format))
    throw new UsageError(`--format must be one of ${OUTPUT_FORMATS.join(', ')}, not "${format}"`);
  return format as OutputFormat;
}
