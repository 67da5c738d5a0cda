/** Writes schemas/*.json from the zod schemas they mirror (run: npm run schemas; a test fails when they differ). */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaFiles } from '../src/core/json-schemas.ts';

const folder = join(import.meta.dirname, '..', 'schemas');
mkdirSync(folder, { recursive: true });
const files = schemaFiles();
for (const name of readdirSync(folder)) if (!files.has(name)) rmSync(join(folder, name));
for (const [name, text] of files) {
  writeFileSync(join(folder, name), text);
  process.stderr.write(`wrote schemas/${name}\n`);
}
