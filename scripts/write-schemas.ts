/** Writes the published JSON Schemas from the zod schemas they mirror (run: npm run schemas). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffJsonSchema } from '../src/core/json-schemas.ts';

const out = join(import.meta.dirname, '..', 'schemas', 'dictionary-diff.schema.json');
writeFileSync(out, `${JSON.stringify(diffJsonSchema(), null, 2)}\n`);
process.stderr.write(`wrote ${out}\n`);
