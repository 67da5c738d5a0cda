/**
 * docs/reference/site.md: `readback.md`, the executive readback's words. Its front matter lists headlines
 * `{ metric_id, text }`; every number on the page comes from the reconciled data, so a number
 * typed into a headline is an error.
 */
import { z } from 'zod';
import { parseYaml, validate } from './located.ts';
import { problem, type Problem } from './problems.ts';
import { MetricIdSchema } from './schemas.ts';

export const HeadlineSchema = z.strictObject({
  metric_id: MetricIdSchema,
  /** must hold {value}; may use {unit} and {label}, and {target} and {status} when tuple.yaml sets a target for the metric */
  text: z.string().min(1),
});

export const ReadbackFrontMatterSchema = z.strictObject({
  tuple_id: z.string().optional(),
  headlines: z.array(HeadlineSchema),
});

export interface ReadbackContent {
  headlines: { metric_id: string; text: string; line: number }[];
  body: string;
}

/** A number standing on its own: not part of a word like Q2 or p95, not inside a {placeholder}. */
const STANDALONE_NUMBER = /(?<![\p{L}\p{N}_{])[-+−]?\d+(?:[.,]\d+)*%?(?![\p{L}\p{N}_}])/gu;
const PLACEHOLDER = /\{(\w+)\}/g;
const ALLOWED_PLACEHOLDERS = new Set(['value', 'unit', 'label', 'target', 'status']);
/** what a headline may only use when its metric has a target */
const TARGET_PLACEHOLDERS = new Set(['target', 'status']);

export function parseReadback(
  text: string,
  file: string,
  /** the metrics the tuple publishes; null when they are not known (reconcile did not get that far) */
  visibleMetrics: ReadonlySet<string> | null,
  /** the metrics tuple.yaml sets a target for; null when tuple.yaml could not be read */
  targetedMetrics: ReadonlySet<string> | null = null,
): { content: ReadbackContent | null; problems: Problem[] } {
  const problems: Problem[] = [];
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!match)
    return {
      content: null,
      problems: [
        problem('BAD_READBACK', 'readback.md must start with YAML front matter between --- lines, listing headlines', {
          file,
          line: 1,
          column: 1,
        }),
      ],
    };
  // the front matter starts on line 2 of the file
  const parsed = parseYaml(match[1]!, file, 'BAD_READBACK', { lineOffset: 1 });
  const checked = validate(ReadbackFrontMatterSchema, parsed, file, 'BAD_READBACK', 'the front matter');
  if (!checked.value) return { content: null, problems: checked.problems };
  const frontMatter = checked.value;
  const sourceLines = text.split(/\r?\n/);
  const headlines = frontMatter.headlines.map((headline, index) => {
    const pos = parsed.locate(['headlines', index, 'text']) ?? { line: 2, column: 1 };
    const line = pos.line;
    const where = { file, line, column: pos.column };
    const sourceLine = sourceLines[line - 1] ?? '';
    // the column where `written` stands on the headline's line (quoted or plain YAML alike)
    const columnOf = (written: string) => {
      const at = sourceLine.indexOf(written, pos.column - 1);
      return at === -1 ? pos.column : at + 1;
    };
    if (!headline.text.includes('{value}'))
      problems.push(
        problem(
          'BAD_READBACK',
          `headline for ${headline.metric_id} must show its number through the {value} placeholder`,
          where,
        ),
      );
    for (const placeholder of headline.text.matchAll(PLACEHOLDER)) {
      if (!ALLOWED_PLACEHOLDERS.has(placeholder[1]!))
        problems.push(
          problem(
            'BAD_READBACK',
            `unknown placeholder {${placeholder[1]}} in a headline; use {value}, {unit}, {label}, {target} or {status}`,
            where,
          ),
        );
      else if (TARGET_PLACEHOLDERS.has(placeholder[1]!) && targetedMetrics && !targetedMetrics.has(headline.metric_id))
        problems.push(
          problem(
            'BAD_READBACK',
            `headline for ${headline.metric_id} uses {${placeholder[1]}}, but tuple.yaml sets no target for ${headline.metric_id}`,
            { ...where, column: columnOf(placeholder[0]) },
          ),
        );
    }
    for (const number of headline.text.matchAll(STANDALONE_NUMBER)) {
      problems.push(
        problem(
          'BAD_READBACK',
          `headline for ${headline.metric_id} types the number "${number[0]}"; every number must come from the reconciled data through {value}`,
          { ...where, column: columnOf(number[0]) },
        ),
      );
    }
    if (visibleMetrics && !visibleMetrics.has(headline.metric_id)) {
      problems.push(
        problem('BAD_READBACK', `headline cites ${headline.metric_id}, which this tuple's reconcile does not publish`, {
          file,
          ...(parsed.locate(['headlines', index, 'metric_id']) ?? { line }),
        }),
      );
    }
    return { metric_id: headline.metric_id, text: headline.text, line };
  });
  return { content: problems.length > 0 ? null : { headlines, body: text.slice(match[0].length) }, problems };
}

/** What a headline's placeholders stand for; `target` and `status` only when the metric has a target. */
export interface HeadlineValues {
  value: string;
  unit: string;
  label: string;
  target?: string;
  status?: string;
}

/** Fills a headline's placeholders. */
export function fillHeadline(text: string, values: HeadlineValues): string {
  return text.replace(PLACEHOLDER, (whole, name: string) =>
    name in values ? (values[name as keyof HeadlineValues] ?? whole) : whole,
  );
}
