/**
 * A partner's SLA targets (`targets:` in tuple.yaml): checked against the metrics the tuple
 * publishes, and evaluated exactly against the reconciled value. Shown as met or missed, never
 * gating: a missed target is a fact of the readback, not a problem.
 */
import { z } from 'zod';
import { compareDecimal, parseDecimal } from './decimal.ts';
import { displayValue, type ShownAs } from './present.ts';
import { problem, type Problem } from './problems.ts';
import { TARGET, type MetricResult, type TupleConfig } from './schemas.ts';

/** Where each target's key is written in tuple.yaml, by metric_id. */
export type TargetPositions = ReadonlyMap<string, { line: number; column: number }>;

/** The comparison a target makes, in words a reader of the readback understands. */
const COMPARISON_WORDS = {
  '>=': 'at least',
  '<=': 'at most',
  '>': 'above',
  '<': 'below',
  '==': 'exactly',
} as const;
type Comparison = keyof typeof COMPARISON_WORDS;
/** every comparison in words, without white space (as a PDF's text is compared) */
export const TARGET_WORDS: readonly string[] = Object.values(COMPARISON_WORDS).map((words) =>
  words.replace(/\s+/g, ''),
);

/** Which results of compareDecimal(value, operand) meet each comparison. */
const MEETS: Record<Comparison, readonly (-1 | 0 | 1)[]> = {
  '>=': [0, 1],
  '<=': [-1, 0],
  '>': [1],
  '<': [-1],
  '==': [0],
};

/** A target evaluated against the reconciled value it is about. */
export const EvaluatedTargetSchema = z.object({
  /** as tuple.yaml writes it: @example ">= 99.9" */
  written: z.string(),
  /** the number it compares with, a plain decimal: @example "99.9" */
  operand: z.string(),
  /** the comparison in words and the operand with the metric's unit: @example "at least 99.9%" */
  display: z.string(),
  /** met when the reconciled (rounded, published) partner value satisfies the comparison exactly */
  status: z.enum(['met', 'missed']),
});
export type EvaluatedTarget = z.infer<typeof EvaluatedTargetSchema>;

/**
 * The target evaluated exactly (decimal compare, no float) against the partner export's rounded
 * value: the number the headline shows and the partner can download. It is within epsilon of
 * leadership's value, so the two only tell apart on a target that sits inside that epsilon.
 */
export function evaluateTarget(written: string, value: string, shownAs: ShownAs): EvaluatedTarget {
  const match = TARGET.exec(written);
  const operandText = match ? written.slice(match[1]!.length).trim() : null;
  const operand = operandText === null ? null : parseDecimal(operandText);
  const reconciled = parseDecimal(value);
  // tuple.yaml is validated by its schema (TARGET) and values by reconcile: anything else is a bug
  if (!match || !operand || !reconciled || operandText === null)
    throw new Error(`cannot evaluate target "${written}" against "${value}"`);
  const comparison = match[1] as Comparison;
  return {
    written,
    operand: operandText,
    display: `${COMPARISON_WORDS[comparison]} ${displayValue(operandText, shownAs)}`,
    status: MEETS[comparison].includes(compareDecimal(reconciled, operand)) ? 'met' : 'missed',
  };
}

/** The metrics tuple.yaml sets a target for. */
export function targetedMetrics(config: TupleConfig): ReadonlySet<string> {
  return new Set(Object.keys(config.targets ?? {}));
}

/** How a page writes an evaluated target in one piece: @example "at least 99.9%: met" */
export function targetSentence(target: EvaluatedTarget): string {
  return `${target.display}: ${target.status}`;
}

/**
 * A target must name a metric the tuple publishes to its partner: one the cited dictionary
 * defines and the partner export carries. `partnerColumns` is null while the partner export's
 * header is unknown (that problem is reported on its own).
 */
export function targetProblems(
  config: TupleConfig,
  file: string,
  positions: TargetPositions,
  dictionary: { version: string; has: (metricId: string) => boolean } | null,
  partnerColumns: ReadonlySet<string> | null,
): Problem[] {
  const problems: Problem[] = [];
  for (const metricId of Object.keys(config.targets ?? {})) {
    const at = { file, ...(positions.get(metricId) ?? {}) };
    if (dictionary && !dictionary.has(metricId))
      problems.push(
        problem(
          'BAD_TUPLE',
          `targets names ${metricId}, which dictionary ${dictionary.version} does not define`,
          at,
          metricId,
        ),
      );
    else if (dictionary && partnerColumns && !partnerColumns.has(metricId))
      problems.push(
        problem(
          'BAD_TUPLE',
          `targets names ${metricId}, which the partner export does not carry: a target is shown to the partner beside its value`,
          at,
          metricId,
        ),
      );
  }
  return problems;
}
