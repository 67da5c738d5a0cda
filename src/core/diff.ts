/**
 * docs/reference/dictionary-changes.md: classifying every change between two dictionary versions. Identity follows the
 * OpenTelemetry rule: unit, aggregation, weight, class and formula_ref are part of what an id
 * names; label and wording are not.
 */
import { z } from 'zod';
import { compareDecimal, formatDecimal } from './decimal.ts';
import { epsilonFor, type LoadedDictionary } from './dictionary.ts';
import { canonicalJson, sha256Hex } from './hash.ts';
import type { Dictionary, Metric } from './schemas.ts';

/** Every rule: its class, the smallest version bump it needs, whether it needs an intent note, and the change it names. */
export const RULES = {
  LABEL_CHANGED: {
    class: 'cosmetic',
    bump: 'patch',
    noteRequired: false,
    means: '`label` changed (the old label stays searchable in the label history)',
  },
  OWNER_CHANGED: { class: 'cosmetic', bump: 'patch', noteRequired: false, means: '`owner` changed' },
  DEFINITION_REWORDED: { class: 'clarifying', bump: 'minor', noteRequired: true, means: '`definition` text reworded' },
  /** a money metric's minor units get the currency they were always of: shown as money from now on */
  CURRENCY_ADDED: {
    class: 'clarifying',
    bump: 'minor',
    noteRequired: true,
    means: 'a money metric without a `currency` gets one: its minor units are shown as that currency from now on',
  },
  METRIC_ADDED: { class: 'additive', bump: 'minor', noteRequired: false, means: 'a new `metric_id`' },
  METRIC_DEPRECATED: {
    class: 'additive',
    bump: 'minor',
    noteRequired: true,
    means: '`deprecated_after` set (optionally with `superseded_by`)',
  },
  DEPRECATION_CHANGED: {
    class: 'additive',
    bump: 'minor',
    noteRequired: true,
    means: 'the sunset moved later or withdrawn, or `superseded_by` changed',
  },
  SUNSET_MOVED_EARLIER: {
    class: 'breaking',
    bump: 'major',
    noteRequired: true,
    means: '`deprecated_after` moved earlier',
  },
  EPSILON_TIGHTENED: {
    class: 'policy',
    bump: 'minor',
    noteRequired: true,
    means: 'the epsilon (or its class default) made smaller',
  },
  EPSILON_WIDENED: {
    class: 'breaking',
    bump: 'major',
    noteRequired: true,
    means: 'the epsilon (or its class default) made larger',
  },
  PRECISION_CHANGED: { class: 'policy', bump: 'minor', noteRequired: true, means: '`precision` changed' },
  SEMANTICS_CHANGED: {
    class: 'forbidden',
    bump: 'none',
    noteRequired: false,
    means:
      '`unit`, `aggregation`, `weight_metric_id`, `class`, `formula_ref` or a given `currency` of an existing id changed: mint a new id and deprecate the old one',
  },
  METRIC_REMOVED_BEFORE_SUNSET: {
    class: 'forbidden',
    bump: 'none',
    noteRequired: false,
    means: 'an id removed without `deprecated_after`, or before that date',
  },
  METRIC_REMOVED_AFTER_SUNSET: {
    class: 'breaking',
    bump: 'major',
    noteRequired: false,
    means: 'an id removed after its `deprecated_after`',
  },
  ID_REUSED: {
    class: 'forbidden',
    bump: 'none',
    noteRequired: false,
    means: 'an id of an earlier version comes back with other semantics',
  },
  ROUNDING_CHANGED: {
    class: 'breaking',
    bump: 'major',
    noteRequired: false,
    means: 'the dictionary-wide `rounding` changed',
  },
  SENTINEL_CHANGED: {
    class: 'breaking',
    bump: 'major',
    noteRequired: false,
    means: 'the dictionary-wide `bypass_sentinel` changed',
  },
  VERSION_BUMP_INSUFFICIENT: {
    class: 'error',
    bump: 'none',
    noteRequired: false,
    means: 'the version went backwards, or rose less than the largest bump the changes need',
  },
  HISTORY_EDITED: {
    class: 'error',
    bump: 'none',
    noteRequired: false,
    means:
      'a file in `dictionary/history/` edited after its release, or not recorded in `dictionary/history/SHA256SUMS`',
  },
} as const;

export type RuleId = keyof typeof RULES;
export const RuleIdSchema = z.enum(Object.keys(RULES) as [RuleId, ...RuleId[]]);
export const ChangeClassSchema = z.enum([
  'cosmetic',
  'clarifying',
  'additive',
  'policy',
  'breaking',
  'forbidden',
  'error',
]);
export const BumpSchema = z.enum(['none', 'patch', 'minor', 'major']);
export type Bump = z.infer<typeof BumpSchema>;
const BUMP_ORDER: Record<Bump, number> = { none: 0, patch: 1, minor: 2, major: 3 };

/** The order classes are shown in: what needs attention first. */
export const CLASS_ORDER = ['error', 'forbidden', 'breaking', 'policy', 'additive', 'clarifying', 'cosmetic'] as const;

const ValueSchema = z.union([z.string(), z.number(), z.null()]);

export const FindingSchema = z.object({
  /** stable rule id, e.g. LABEL_CHANGED */
  rule: RuleIdSchema,
  class: ChangeClassSchema,
  /** the smallest version bump this change needs */
  bump: BumpSchema,
  /** null for dictionary-wide findings */
  metric_id: z.string().nullable(),
  /** the changed field, e.g. "label" or "epsilon" */
  field: z.string().nullable(),
  before: ValueSchema,
  after: ValueSchema,
  /** the intent note from `changes:` that covers this finding */
  note: z.string().nullable(),
  note_required: z.boolean(),
  /** true when this finding makes `dictionary check` fail */
  violation: z.boolean(),
  /** 12 hex digits, stable across runs for the same change */
  fingerprint: z.string().regex(/^[0-9a-f]{12}$/),
  message: z.string(),
});
export type Finding = z.infer<typeof FindingSchema>;

export const DiffReportSchema = z.object({
  schema: z.literal('readback.dictionary-diff/1'),
  from: z.string(),
  to: z.string(),
  required_bump: BumpSchema,
  actual_bump: z.enum(['none', 'patch', 'minor', 'major', 'backwards']),
  /** false when `dictionary check` would fail */
  ok: z.boolean(),
  findings: z.array(FindingSchema),
});
export type DiffReport = z.infer<typeof DiffReportSchema>;

const SEMANTIC_FIELDS = ['unit', 'aggregation', 'weight_metric_id', 'class', 'formula_ref'] as const;

/**
 * A currency, once given, is part of what the id names: the same minor units read as another
 * currency (or as none) are other money. Giving one where there was none only names what they were.
 */
const currencyChanged = (old: Metric, m: Metric) =>
  old.currency !== undefined && old.currency !== (m.currency ?? undefined);

/** The semantic fields (and the currency) in which `m` differs from `old`. */
const semanticDifferences = (old: Metric, m: Metric): string[] => [
  ...SEMANTIC_FIELDS.filter((f) => (old[f] ?? null) !== (m[f] ?? null)),
  ...(currencyChanged(old, m) ? ['currency'] : []),
];

export interface DiffOptions {
  /** every earlier released version, for ID_REUSED */
  history?: readonly LoadedDictionary[];
  /** today's UTC date (YYYY-MM-DD), for removals relative to their sunset; injected, never read from a clock here */
  today: string;
}

export function fingerprint(
  rule: RuleId,
  metricId: string | null,
  field: string | null,
  before: unknown,
  after: unknown,
): string {
  return sha256Hex(
    canonicalJson({ rule, metric_id: metricId, field, before: before ?? null, after: after ?? null }),
  ).slice(0, 12);
}

export function classifyDictionaryChange(
  from: LoadedDictionary,
  to: LoadedDictionary,
  options: DiffOptions,
): DiffReport {
  const a = from.dictionary;
  const b = to.dictionary;
  const findings: Finding[] = [];
  const add: Add = (rule, metricId, field, before, after, message) => {
    const spec = RULES[rule];
    const note = findNote(b, rule, metricId);
    findings.push({
      rule,
      class: spec.class,
      bump: spec.bump,
      metric_id: metricId,
      field,
      before: toValue(before),
      after: toValue(after),
      note,
      note_required: spec.noteRequired,
      violation: spec.class === 'forbidden' || spec.class === 'error' || (spec.noteRequired && note === null),
      fingerprint: fingerprint(rule, metricId, field, before, after),
      message: spec.noteRequired && note === null ? `${message} — needs an intent note under changes:` : message,
    });
  };

  if (a.rounding !== b.rounding)
    add(
      'ROUNDING_CHANGED',
      null,
      'rounding',
      a.rounding,
      b.rounding,
      `rounding changed from ${a.rounding} to ${b.rounding} for every metric`,
    );
  if (a.bypass_sentinel !== b.bypass_sentinel)
    add(
      'SENTINEL_CHANGED',
      null,
      'bypass_sentinel',
      a.bypass_sentinel,
      b.bypass_sentinel,
      `the bypass sentinel changed from ${a.bypass_sentinel} to ${b.bypass_sentinel}`,
    );

  const before = new Map(a.metrics.map((m) => [m.metric_id, m]));
  const after = new Map(b.metrics.map((m) => [m.metric_id, m]));
  for (const m of b.metrics) {
    const old = before.get(m.metric_id);
    if (!old) {
      const earlier = (options.history ?? [])
        .map((h) => h.dictionary.metrics.find((x) => x.metric_id === m.metric_id))
        .filter((x): x is Metric => !!x);
      const conflicting = earlier.find((x) => semanticDifferences(x, m).length > 0);
      if (conflicting) {
        const fields = semanticDifferences(conflicting, m);
        add(
          'ID_REUSED',
          m.metric_id,
          fields.join(','),
          semantics(conflicting),
          semantics(m),
          `${m.metric_id} comes back with other semantics (${fields.join(', ')}); a retired id is never reused — mint a new one`,
        );
      } else {
        add('METRIC_ADDED', m.metric_id, null, null, m.label, `${m.metric_id} (${m.label}) is new`);
      }
      continue;
    }
    compareMetric(old, m, a, b, add);
  }
  for (const old of a.metrics) {
    if (after.has(old.metric_id)) continue;
    if (old.deprecated_after && options.today > old.deprecated_after) {
      add(
        'METRIC_REMOVED_AFTER_SUNSET',
        old.metric_id,
        null,
        old.deprecated_after,
        null,
        `${old.metric_id} was removed after its sunset ${old.deprecated_after}`,
      );
    } else {
      const why = old.deprecated_after ? `before its sunset ${old.deprecated_after}` : 'without being deprecated first';
      add(
        'METRIC_REMOVED_BEFORE_SUNSET',
        old.metric_id,
        null,
        old.deprecated_after ?? null,
        null,
        `${old.metric_id} was removed ${why}; deprecate it with deprecated_after and remove it after that date`,
      );
    }
  }

  const requiredBump = findings.reduce<Bump>((max, f) => (BUMP_ORDER[f.bump] > BUMP_ORDER[max] ? f.bump : max), 'none');
  const actualBump = versionBump(a.version, b.version);
  if (!bumpSatisfies(actualBump, requiredBump, b.version)) {
    const message =
      actualBump === 'backwards'
        ? `version went backwards (${a.version} → ${b.version}); versions only go up`
        : `version rose by ${actualBump === 'none' ? 'nothing' : `a ${actualBump}`} (${a.version} → ${b.version}), but these changes need a ${requiredBump} bump`;
    add('VERSION_BUMP_INSUFFICIENT', null, 'version', a.version, b.version, message);
  }
  findings.sort(compareFindings);
  return {
    schema: 'readback.dictionary-diff/1',
    from: a.version,
    to: b.version,
    required_bump: requiredBump,
    actual_bump: actualBump,
    ok: !findings.some((f) => f.violation),
    findings,
  };
}

type Add = (
  rule: RuleId,
  metricId: string | null,
  field: string | null,
  before: unknown,
  after: unknown,
  message: string,
) => void;

function compareMetric(old: Metric, m: Metric, a: Dictionary, b: Dictionary, add: Add): void {
  const id = m.metric_id;
  for (const field of SEMANTIC_FIELDS) {
    if ((old[field] ?? null) !== (m[field] ?? null)) {
      add(
        'SEMANTICS_CHANGED',
        id,
        field,
        old[field] ?? null,
        m[field] ?? null,
        `${id}: ${field} changed from ${old[field] ?? 'none'} to ${m[field] ?? 'none'}; that is what the id names — mint a new metric_id and deprecate this one`,
      );
    }
  }
  if (currencyChanged(old, m)) {
    add(
      'SEMANTICS_CHANGED',
      id,
      'currency',
      old.currency ?? null,
      m.currency ?? null,
      `${id}: currency changed from ${old.currency} to ${m.currency ?? 'none'}; the same minor units would read as other money — mint a new metric_id and deprecate this one`,
    );
  } else if (old.currency === undefined && m.currency !== undefined) {
    add('CURRENCY_ADDED', id, 'currency', null, m.currency, `${id}: its minor units are now shown as ${m.currency}`);
  }
  if (old.label !== m.label)
    add(
      'LABEL_CHANGED',
      id,
      'label',
      old.label,
      m.label,
      `${id}: label "${old.label}" → "${m.label}" (the old label stays searchable)`,
    );
  if (old.owner !== m.owner)
    add('OWNER_CHANGED', id, 'owner', old.owner, m.owner, `${id}: owner ${old.owner} → ${m.owner}`);
  if (old.definition.trim() !== m.definition.trim())
    add('DEFINITION_REWORDED', id, 'definition', old.definition, m.definition, `${id}: definition reworded`);
  const oldSunset = old.deprecated_after ?? null;
  const newSunset = m.deprecated_after ?? null;
  if (oldSunset === null && newSunset !== null) {
    add(
      'METRIC_DEPRECATED',
      id,
      'deprecated_after',
      null,
      newSunset,
      `${id}: deprecated after ${newSunset}${m.superseded_by ? `, superseded by ${m.superseded_by}` : ''}`,
    );
  } else if (oldSunset !== null && newSunset !== null && newSunset < oldSunset) {
    add(
      'SUNSET_MOVED_EARLIER',
      id,
      'deprecated_after',
      oldSunset,
      newSunset,
      `${id}: sunset moved earlier, ${oldSunset} → ${newSunset}`,
    );
  } else if (oldSunset !== newSunset) {
    add(
      'DEPRECATION_CHANGED',
      id,
      'deprecated_after',
      oldSunset,
      newSunset,
      newSunset === null ? `${id}: deprecation withdrawn` : `${id}: sunset moved later, ${oldSunset} → ${newSunset}`,
    );
  }
  if ((old.superseded_by ?? null) !== (m.superseded_by ?? null) && !(oldSunset === null && newSunset !== null)) {
    add(
      'DEPRECATION_CHANGED',
      id,
      'superseded_by',
      old.superseded_by ?? null,
      m.superseded_by ?? null,
      `${id}: superseded_by ${old.superseded_by ?? 'none'} → ${m.superseded_by ?? 'none'}`,
    );
  }
  const oldEpsilon = epsilonFor(old, a);
  const newEpsilon = epsilonFor(m, b);
  const order = compareDecimal(newEpsilon.value, oldEpsilon.value);
  if (order !== 0) {
    const describe = (e: typeof oldEpsilon) =>
      `${formatDecimal(e.value)} (${e.source === 'class' ? `${m.class} class default, ` : ''}${e.written})`;
    add(
      order < 0 ? 'EPSILON_TIGHTENED' : 'EPSILON_WIDENED',
      id,
      'epsilon',
      formatDecimal(oldEpsilon.value),
      formatDecimal(newEpsilon.value),
      `${id}: epsilon ${describe(oldEpsilon)} → ${describe(newEpsilon)}`,
    );
  }
  if (old.precision !== m.precision)
    add(
      'PRECISION_CHANGED',
      id,
      'precision',
      old.precision,
      m.precision,
      `${id}: precision ${old.precision} → ${m.precision} decimal places`,
    );
}

function semantics(m: Metric): string {
  // the currency only when there is one, so findings about metrics without one keep their fingerprints
  const currency = m.currency === undefined ? [] : [`currency=${m.currency}`];
  return [...SEMANTIC_FIELDS.map((f) => `${f}=${m[f] ?? 'none'}`), ...currency].join('; ');
}

function toValue(value: unknown): string | number | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'number' ? value : String(value);
}

/** A note covers a finding when it names the metric (and the rule, if it gives one), or names only the rule. */
function findNote(dictionary: Dictionary, rule: RuleId, metricId: string | null): string | null {
  for (const change of dictionary.changes ?? []) {
    const metricMatches =
      change.metric_id === undefined ? change.rule !== undefined || metricId === null : change.metric_id === metricId;
    const ruleMatches = change.rule === undefined || change.rule === rule;
    if (metricMatches && ruleMatches) return change.note;
  }
  return null;
}

export function versionBump(from: string, to: string): Bump | 'backwards' {
  const [a1, a2, a3] = from.split('.').map(Number) as [number, number, number];
  const [b1, b2, b3] = to.split('.').map(Number) as [number, number, number];
  if (b1 !== a1) return b1 > a1 ? 'major' : 'backwards';
  if (b2 !== a2) return b2 > a2 ? 'minor' : 'backwards';
  if (b3 !== a3) return b3 > a3 ? 'patch' : 'backwards';
  return 'none';
}

/** Below 1.0.0 a minor bump counts as major (docs/reference/dictionary-changes.md). */
export function bumpSatisfies(actual: Bump | 'backwards', required: Bump, toVersion: string): boolean {
  if (actual === 'backwards') return false;
  const effective: Bump = toVersion.startsWith('0.') && actual === 'minor' ? 'major' : actual;
  return BUMP_ORDER[effective] >= BUMP_ORDER[required];
}

function compareFindings(x: Finding, y: Finding): number {
  const byClass = CLASS_ORDER.indexOf(x.class) - CLASS_ORDER.indexOf(y.class);
  if (byClass !== 0) return byClass;
  const a = `${x.metric_id ?? ''}\u0000${x.rule}\u0000${x.field ?? ''}`;
  const b = `${y.metric_id ?? ''}\u0000${y.rule}\u0000${y.field ?? ''}`;
  return a < b ? -1 : a > b ? 1 : 0;
}
