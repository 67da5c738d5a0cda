/**
 * JSON Schemas generated from the zod schemas, so the published schemas and the types never drift.
 * Each artifact names its schema and major version in `schema`; its JSON Schema is
 * `schemas/<name>-<major>.json` in the package and `/schemas/<name>-<major>.json` on a built site.
 */
import { z } from 'zod';
import { DiffReportSchema } from './diff.ts';
import { FailureArtifactSchema } from './failure.ts';
import { ManifestSchema, ReconcileReportSchema } from './schemas.ts';

interface PublishedSchema {
  /** the artifact's `schema` value */
  id: string;
  zod: z.ZodType;
  title: string;
  description: string;
}

export const PUBLISHED_SCHEMAS: readonly PublishedSchema[] = [
  {
    id: 'readback.export-manifest/1',
    zod: ManifestSchema,
    title: 'Readback export manifest',
    description:
      "The sidecar of one export (`<audience>.manifest.json`): its audience, tuple, run, UTC window, dictionary version, file and the file's SHA-256.",
  },
  {
    id: 'readback.reconcile-report/1',
    zod: ReconcileReportSchema,
    title: 'Readback reconcile report',
    description:
      'What `readback reconcile --json` prints and `.readback/reconcile/report.json` holds. A published `tuples/<tuple_id>/report.json` is one element of `tuples`.',
  },
  {
    id: 'readback.reconcile-failure/1',
    zod: FailureArtifactSchema,
    title: 'Readback reconcile failure artifact',
    description:
      '`.readback/reconcile/failures/<tuple_id>.json`: a red or invalid tuple, its failing metrics with the periods where they drift most, its problems and the command that replays it.',
  },
  {
    id: 'readback.dictionary-diff/1',
    zod: DiffReportSchema,
    title: 'Readback dictionary diff',
    description:
      'Output of `readback dictionary diff|check --format json`: every change between two metric dictionary versions, each classified by its rule (LABEL_CHANGED, SEMANTICS_CHANGED, …).',
  },
];

/** `readback.export-manifest/1` → `export-manifest-1.json` */
export function schemaFileName(id: string): string {
  const match = /^readback\.([a-z-]+)\/(\d+)$/.exec(id);
  if (!match) throw new Error(`not a Readback schema id: ${id}`);
  return `${match[1]}-${match[2]}.json`;
}

/**
 * Read side ("input"): an object may carry fields this version does not know, since an added
 * optional field keeps the major version; only the manifest, which reconcile reads strictly, is closed.
 */
export function jsonSchemaOf(entry: PublishedSchema): Record<string, unknown> {
  return {
    ...z.toJSONSchema(entry.zod, { target: 'draft-2020-12', io: 'input' }),
    $id: `urn:readback:schema:${schemaFileName(entry.id).replace(/\.json$/, '')}`,
    title: `${entry.title} (${entry.id})`,
    description: entry.description,
  };
}

/** Every published schema as the bytes of its file, by file name. */
export function schemaFiles(): Map<string, string> {
  return new Map(
    PUBLISHED_SCHEMAS.map((entry) => [schemaFileName(entry.id), `${JSON.stringify(jsonSchemaOf(entry), null, 2)}\n`]),
  );
}
