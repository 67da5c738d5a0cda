/** docs/reference/workspace.md: `tuple.yaml`. */
import { parseYaml, validate } from './located.ts';
import { problem, type Problem } from './problems.ts';
import { TUPLE_ID } from './ids.ts';
import { type TupleConfig, TupleConfigSchema } from './schemas.ts';
import type { TargetPositions } from './targets.ts';
import { BYPASS_COLUMN, FORMULA_START_CODES, FREEZE_COLUMN, PERIOD_COLUMN } from './exports.ts';

export function parseTupleConfig(
  text: string,
  file: string,
  folderName: string,
): { config: TupleConfig | null; problems: Problem[]; targetPositions: TargetPositions } {
  const parsed = parseYaml(text, file, 'BAD_TUPLE');
  const checked = validate(TupleConfigSchema, parsed, file, 'BAD_TUPLE', 'tuple.yaml');
  const config = checked.value;
  if (!config) return { config: null, problems: checked.problems, targetPositions: new Map() };
  const problems: Problem[] = [];
  const at = (...path: (string | number)[]) => ({ file, ...(parsed.locate(path) ?? {}) });
  if (config.tuple_id !== folderName) {
    problems.push(
      problem('BAD_TUPLE', `tuple_id "${config.tuple_id}" must equal its folder name "${folderName}"`, at('tuple_id')),
    );
  }
  if (config.partner_id === undefined && !TUPLE_ID.test(partnerSlug(config.partner))) {
    problems.push(
      problem(
        'BAD_TUPLE',
        `partner "${config.partner}" gives no usable partner_id (its lowercase ASCII slug "${partnerSlug(config.partner)}" is not ^[a-z0-9][a-z0-9-]{1,63}$): add partner_id`,
        at('partner'),
      ),
    );
  }
  const reserved = new Set([PERIOD_COLUMN, BYPASS_COLUMN, FREEZE_COLUMN]);
  const dimensions = config.dimensions ?? [];
  dimensions.forEach((name, index) => {
    if (reserved.has(name) || dimensions.indexOf(name) !== index || FORMULA_START_CODES.has(name.charCodeAt(0))) {
      problems.push(
        problem(
          'BAD_TUPLE',
          `dimension "${name}" is reserved, listed twice, or starts with a spreadsheet formula character`,
          at('dimensions', index),
        ),
      );
    }
  });
  // where each target is written: a target naming a metric the tuple does not publish is reported there
  const targetPositions = new Map(
    Object.keys(config.targets ?? {}).flatMap((metricId) => {
      const position = parsed.locateKey(['targets', metricId]);
      return position ? [[metricId, position] as const] : [];
    }),
  );
  return { config: problems.length === 0 ? config : null, problems, targetPositions };
}

/** The partner's bundle name when tuple.yaml gives no partner_id: lowercase ASCII letters and digits, hyphen-joined. */
export function partnerSlug(partner: string): string {
  return partner
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}
