/** JSON Schemas generated from the zod schemas, so the published schema and the types never drift. */
import { z } from 'zod';
import { DiffReportSchema } from './diff.ts';

export function diffJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(DiffReportSchema, { target: 'draft-2020-12' }),
    $id: 'https://readback.example.com/schemas/dictionary-diff.schema.json',
    title: 'readback dictionary diff (readback.dictionary-diff/1)',
    description:
      'Output of `readback dictionary diff|check --format json`: every change between two metric dictionary versions, each classified by its rule (LABEL_CHANGED, SEMANTICS_CHANGED, …).',
  };
}
