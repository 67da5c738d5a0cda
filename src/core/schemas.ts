/**
 * zod schemas: the single source of the input and output types (docs/reference/workspace.md, §4, §6).
 * Inputs are strict objects, so a misspelt key is reported instead of silently ignored.
 */
import { z } from 'zod';
import { CURRENCY_CODE } from './money.ts';
import { AUDIT_ID, FULL_DATE, METRIC_ID, SEMVER, SHA256_HEX, TUPLE_ID } from './ids.ts';
import { PROBLEM_CODES } from './problems.ts';

export const ProblemCodeSchema = z.enum(PROBLEM_CODES);

export const ProblemSchema = z.object({
  /** stable code, e.g. `WINDOW_MISMATCH` */
  code: ProblemCodeSchema,
  /** what is wrong and what was expected */
  message: z.string(),
  /** path relative to the workspace root (or the site folder), with `/` separators */
  file: z.string().optional(),
  /** 1-based line */
  line: z.number().int().positive().optional(),
  /** 1-based column: a character for YAML/JSON, the field number for CSV */
  column: z.number().int().positive().optional(),
  /** the metric the problem concerns, when there is one */
  metric_id: z.string().optional(),
  /** what was found, as written (a hash, a version, a link) */
  actual: z.string().optional(),
  /** what was wanted instead */
  expected: z.string().optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;

export const MetricIdSchema = z.string().regex(METRIC_ID, 'a metric_id matching ^[a-z][a-z0-9_.-]{1,63}$');
export const SemverSchema = z.string().regex(SEMVER, 'a semantic version such as 2.1.0');
export const MetricClassSchema = z.enum(['count', 'rate', 'latency', 'money']);
export const UnitSchema = z.enum(['count', 'milliseconds', 'percentage_points', 'money_minor_units']);
export const AggregationSchema = z.enum(['sum', 'max', 'last_observed', 'weighted_average']);
export const RoundingSchema = z.enum(['half_up', 'half_even']);
/** a non-negative plain decimal written as a string, e.g. "0" or "0.5" */
export const EpsilonValueSchema = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'a non-negative decimal string such as "0" or "0.5"');
/** basis points: 1 bp = 0.01 percentage points */
export const EpsilonBpSchema = z.number().int().nonnegative();

export const ClassDefaultSchema = z
  .strictObject({ epsilon: EpsilonValueSchema.optional(), epsilon_bp: EpsilonBpSchema.optional() })
  .refine((c) => (c.epsilon === undefined) !== (c.epsilon_bp === undefined), 'exactly one of epsilon or epsilon_bp');

/** YAML `key: null` (or `key:` with nothing) reads as absent for optional keys */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === null ? undefined : value), schema.optional());

export const MetricSchema = z.strictObject({
  /** @example "m.sla.availability_pct" */
  metric_id: MetricIdSchema,
  /** display text only; renaming it is cosmetic */
  label: z.string().min(1),
  class: MetricClassSchema,
  unit: UnitSchema,
  aggregation: AggregationSchema,
  /** required for weighted_average, forbidden otherwise */
  weight_metric_id: optional(MetricIdSchema),
  /** decimal places of the published value */
  precision: z.number().int().min(0).max(12),
  /** optional override of the class default */
  epsilon: optional(EpsilonValueSchema),
  epsilon_bp: optional(EpsilonBpSchema),
  /** markdown */
  definition: z.string(),
  formula_ref: z.string().min(1),
  /** where a red reconcile is routed */
  owner: z.string().min(1),
  deprecated_after: z.string().regex(FULL_DATE, 'an RFC 3339 date YYYY-MM-DD').nullable().optional(),
  superseded_by: MetricIdSchema.nullable().optional(),
  /**
   * money only (unit money_minor_units): the ISO 4217 code its minor units are of; pages then show
   * the value as that currency, exactly. Null or absent: shown as minor units.
   * @example "USD"
   */
  currency: optional(z.string().regex(CURRENCY_CODE, 'an ISO 4217 currency code such as USD')),
});
export type Metric = z.infer<typeof MetricSchema>;
export type MetricClass = z.infer<typeof MetricClassSchema>;

export const ChangeNoteSchema = z.strictObject({
  metric_id: MetricIdSchema.optional(),
  rule: z.string().optional(),
  note: z.string().min(1),
});

export const DictionarySchema = z.strictObject({
  version: SemverSchema,
  rounding: RoundingSchema,
  /** what an empty bypass cell is published as */
  bypass_sentinel: z.string().regex(AUDIT_ID, 'a sentinel such as NO_BYPASS'),
  classes: z.strictObject({
    count: ClassDefaultSchema.optional(),
    rate: ClassDefaultSchema.optional(),
    latency: ClassDefaultSchema.optional(),
    money: ClassDefaultSchema.optional(),
  }),
  changes: optional(z.array(ChangeNoteSchema)),
  metrics: z.array(MetricSchema).min(1),
});
export type Dictionary = z.infer<typeof DictionarySchema>;

/** A target: a comparison and a plain decimal (`>= 99.9`, `< 250`). */
export const TARGET = /^(>=|<=|>|<|==)\s*-?\d+(\.\d+)?$/;

export const TupleConfigSchema = z.strictObject({
  tuple_id: z.string().regex(TUPLE_ID, 'a tuple_id matching ^[a-z0-9][a-z0-9-]{1,63}$'),
  partner: z.string().min(1),
  title: z.string().min(1),
  /**
   * where a red problem that is no metric's goes (docs/reference/workspace.md): window or run parity, bypass parity
   * @example "team:partner-ops <ops@example.com>"
   */
  owner: optional(z.string().min(1)),
  /**
   * names the partner's bundle; absent: the lowercase ASCII slug of `partner`
   * @example "acme"
   */
  partner_id: optional(z.string().regex(TUPLE_ID, 'a partner_id matching ^[a-z0-9][a-z0-9-]{1,63}$')),
  /**
   * SLA targets of this partner, shown as met or missed (never gating)
   * @example { "m.sla.availability_pct": ">= 99.9" }
   */
  targets: optional(
    z.record(MetricIdSchema, z.string().regex(TARGET, 'a comparison and a plain decimal, such as ">= 99.9"')),
  ),
  dimensions: optional(z.array(z.string().min(1))),
  leadership_only: optional(z.array(MetricIdSchema)),
  /** one line of blast radius per bypass audit id */
  bypasses: z.record(z.string().regex(AUDIT_ID, 'a bypass audit id'), z.string().min(1)).nullable().optional(),
});
export type TupleConfig = z.infer<typeof TupleConfigSchema>;

export const AudienceSchema = z.enum(['leadership', 'partner']);
export type Audience = z.infer<typeof AudienceSchema>;

export const ManifestSchema = z.strictObject({
  schema: z.literal('readback.export-manifest/1'),
  audience: AudienceSchema,
  tuple_id: z.string().min(1),
  run_id: z.string().min(1),
  window_tz_policy: z.string(),
  start_inclusive: z.string(),
  end_exclusive: z.string(),
  dictionary_version: z.string().min(1),
  file: z.string().min(1),
  sha256: z.string().regex(SHA256_HEX, '64 lowercase hex digits'),
  generated_at: z.string(),
});
export type Manifest = z.infer<typeof ManifestSchema>;

const DecimalStringSchema = z.string().regex(/^-?\d+(\.\d+)?$/);

/** docs/reference/site.md: one period of a metric, both sides rounded to the metric's precision like the window's values. */
export const PeriodValueSchema = z.object({
  /** @example "2026-04-06T00:00:00Z" */
  period_start: z.string(),
  /** leadership's aggregate of the period; null when leadership has no value of the metric in it */
  leadership: DecimalStringSchema.nullable(),
  partner: DecimalStringSchema.nullable(),
  /** abs(leadership − partner); null when one side has no value */
  delta: DecimalStringSchema.nullable(),
  /** fail: more than the metric's epsilon apart, or a value on one side only */
  status: z.enum(['pass', 'fail']),
});
export type PeriodValue = z.infer<typeof PeriodValueSchema>;

export const MetricResultSchema = z.object({
  metric_id: z.string(),
  /** leadership aggregate rounded to the metric's precision */
  leadership: DecimalStringSchema,
  partner: DecimalStringSchema,
  /** abs(leadership − partner), at the metric's precision */
  delta: DecimalStringSchema,
  epsilon: DecimalStringSchema,
  /** fail when the window's values or any period's are more than epsilon apart */
  status: z.enum(['pass', 'fail']),
  owner: z.string(),
  label: z.string(),
  unit: UnitSchema,
  /** docs/reference/site.md: every period of the tuple, in period order (absent in reports written before them) */
  periods: z.array(PeriodValueSchema).optional(),
});
export type MetricResult = z.infer<typeof MetricResultSchema>;

export const BypassRowSchema = z.object({
  period_start: z.string(),
  bypass_audit_id: z.string(),
  parent_freeze_id: z.string(),
});

export const BypassPairSchema = z.object({ bypass_audit_id: z.string(), parent_freeze_id: z.string() });

/** docs/reference/site.md: one period of the tuple with the (bypass, freeze) pairs each export carries in it. */
export const TuplePeriodSchema = z.object({
  period_start: z.string(),
  leadership_bypasses: z.array(BypassPairSchema),
  partner_bypasses: z.array(BypassPairSchema),
});
export type TuplePeriod = z.infer<typeof TuplePeriodSchema>;

export const TupleReportSchema = z.object({
  tuple_id: z.string(),
  status: z.enum(['green', 'red', 'invalid']),
  tuple_revision_hash: z.string().nullable(),
  artifact_id: z.string(),
  dictionary_version: z.string().nullable(),
  dictionary_sha256: z.string().nullable(),
  window: z.object({ start_inclusive: z.string(), end_exclusive: z.string() }).nullable(),
  run_id: z.string().nullable(),
  exports: z.object({
    leadership: z
      .object({ file: z.string(), sha256: z.string(), rows: z.number().int(), null_cells: z.number().int() })
      .nullable(),
    partner: z
      .object({ file: z.string(), sha256: z.string(), rows: z.number().int(), null_cells: z.number().int() })
      .nullable(),
  }),
  /** (period, bypass id, freeze id) pairs that carry a bypass or freeze id, from the partner export */
  bypasses: z.array(BypassRowSchema),
  metrics: z.array(MetricResultSchema),
  problems: z.array(ProblemSchema),
  /** docs/reference/site.md: every period either export holds, in period order (empty when rows were not compared) */
  periods: z.array(TuplePeriodSchema).optional(),
});
export type TupleReport = z.infer<typeof TupleReportSchema>;

/** docs/reference/site.md: one period of a leadership-only metric, rounded like the window's value. */
export const LeadershipOnlyPeriodSchema = z.object({
  /** @example "2026-04-06T00:00:00Z" */
  period_start: z.string(),
  /** null when the leadership export has no value of the metric in the period */
  leadership: DecimalStringSchema.nullable(),
});

/** A metric the tuple lists under `leadership_only` and only the leadership export holds. */
export const LeadershipOnlyMetricSchema = z.object({
  /** @example "m.credits.issued_minor" */
  metric_id: z.string(),
  /** the window's aggregate, by the metric's rule, at its precision */
  leadership: DecimalStringSchema,
  /** every period of the tuple, in period order */
  periods: z.array(LeadershipOnlyPeriodSchema),
});
export type LeadershipOnlyMetric = z.infer<typeof LeadershipOnlyMetricSchema>;

/**
 * docs/reference/site.md: what leadership sees of a tuple that partners never do. Kept outside the tuple's
 * entry, so the entry (what /tuples/<id>/report.json publishes and artifact_id hashes) is the
 * same for both audiences.
 */
export const LeadershipOnlyTupleSchema = z.object({
  tuple_id: z.string(),
  metrics: z.array(LeadershipOnlyMetricSchema),
});
export type LeadershipOnlyTuple = z.infer<typeof LeadershipOnlyTupleSchema>;

export const ReconcileReportSchema = z.object({
  schema: z.literal('readback.reconcile-report/1'),
  status: z.enum(['green', 'red', 'invalid']),
  dictionary_version: z.string().nullable(),
  tuples: z.array(TupleReportSchema),
  /**
   * the leadership-only metrics of each tuple whose rows were aggregated and that is not invalid
   * (absent in reports written before them)
   */
  leadership_only: z.array(LeadershipOnlyTupleSchema).optional(),
  /** problems that belong to no tuple (an unreadable dictionary, a duplicate tuple id) */
  problems: z.array(ProblemSchema),
});
export type ReconcileReport = z.infer<typeof ReconcileReportSchema>;
