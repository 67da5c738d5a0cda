/** docs/reference/workspace.md: reading and checking one version of the metric dictionary. */
import { type Decimal, parseDecimal, normalizeScale } from './decimal.ts';
import { canonicalJson, sha256Hex } from './hash.ts';
import { parseJson, parseYaml, validate } from './located.ts';
import { isKnownCurrency } from './money.ts';
import { problem, type Problem } from './problems.ts';
import { type Dictionary, DictionarySchema, type Metric } from './schemas.ts';

export interface LoadedDictionary {
  dictionary: Dictionary;
  /** the document as written (no defaults filled in), read with the YAML 1.2 core schema */
  document: unknown;
  /** RFC 8785 canonical JSON of `document`: what `/dictionary/<semver>.json` publishes */
  canonical: string;
  /** SHA-256 of `canonical`: the tuple hash's `dictionary_sha256` */
  sha256: string;
  file: string;
  metricsById: ReadonlyMap<string, Metric>;
  /** line of each metric's entry in the file, for annotations */
  metricLines: ReadonlyMap<string, number>;
}

export interface DictionaryResult {
  loaded: LoadedDictionary | null;
  problems: Problem[];
}

/**
 * Reads one dictionary version: the YAML a workspace holds or, with `json`, the canonical JSON a
 * site publishes (JSON is YAML too; the JSON reader reads it several times faster, and refuses a
 * key written twice as the YAML reader does).
 */
export function parseDictionary(text: string, file: string, format: 'yaml' | 'json' = 'yaml'): DictionaryResult {
  const parsed = format === 'json' ? parseJson(text, file, 'BAD_DICTIONARY') : parseYaml(text, file, 'BAD_DICTIONARY');
  const checked = validate(DictionarySchema, parsed, file, 'BAD_DICTIONARY', 'the dictionary');
  if (!checked.value) return { loaded: null, problems: checked.problems };
  const dictionary = checked.value;
  const problems: Problem[] = [];
  const at = (index: number, key: string) => ({ file, ...(parsed.locate(['metrics', index, key]) ?? {}) });
  const metricsById = new Map<string, Metric>();
  dictionary.metrics.forEach((metric, index) => {
    if (metricsById.has(metric.metric_id)) {
      problems.push(
        problem(
          'BAD_DICTIONARY',
          `metric_id "${metric.metric_id}" appears twice; ids are unique`,
          at(index, 'metric_id'),
        ),
      );
    }
    metricsById.set(metric.metric_id, metric);
  });
  dictionary.metrics.forEach((metric, index) => {
    const id = metric.metric_id;
    if (metric.aggregation === 'weighted_average') {
      if (!metric.weight_metric_id) {
        problems.push(
          problem('BAD_DICTIONARY', `${id}: weighted_average needs weight_metric_id`, at(index, 'aggregation')),
        );
      } else if (!metricsById.has(metric.weight_metric_id) || metric.weight_metric_id === id) {
        problems.push(
          problem(
            'BAD_DICTIONARY',
            `${id}: weight_metric_id "${metric.weight_metric_id}" is not another metric of this dictionary`,
            at(index, 'weight_metric_id'),
          ),
        );
      }
    } else if (metric.weight_metric_id !== undefined) {
      problems.push(
        problem(
          'BAD_DICTIONARY',
          `${id}: weight_metric_id is only allowed with aggregation weighted_average`,
          at(index, 'weight_metric_id'),
        ),
      );
    }
    const integral =
      metric.class === 'count' ||
      metric.class === 'money' ||
      metric.unit === 'count' ||
      metric.unit === 'money_minor_units';
    if (integral && metric.precision !== 0) {
      problems.push(
        problem(
          'BAD_DICTIONARY',
          `${id}: counts and money are integers, so precision must be 0`,
          at(index, 'precision'),
        ),
      );
    }
    if (metric.epsilon !== undefined && metric.epsilon_bp !== undefined) {
      problems.push(problem('BAD_DICTIONARY', `${id}: give epsilon or epsilon_bp, not both`, at(index, 'epsilon_bp')));
    }
    const classDefault = dictionary.classes[metric.class];
    if (metric.epsilon === undefined && metric.epsilon_bp === undefined && !classDefault) {
      problems.push(
        problem(
          'BAD_DICTIONARY',
          `${id}: class "${metric.class}" has no epsilon default under classes:, and the metric gives none`,
          at(index, 'class'),
        ),
      );
    }
    const usesBasisPoints =
      metric.epsilon_bp !== undefined || (metric.epsilon === undefined && classDefault?.epsilon_bp !== undefined);
    if (usesBasisPoints && metric.unit !== 'percentage_points') {
      problems.push(
        problem(
          'BAD_DICTIONARY',
          `${id}: epsilon in basis points only applies to unit percentage_points (unit is ${metric.unit})`,
          at(index, 'unit'),
        ),
      );
    }
    if (metric.superseded_by && !metricsById.has(metric.superseded_by)) {
      problems.push(
        problem(
          'BAD_DICTIONARY',
          `${id}: superseded_by "${metric.superseded_by}" is not a metric of this dictionary`,
          at(index, 'superseded_by'),
        ),
      );
    }
    if (metric.currency !== undefined && metric.unit !== 'money_minor_units') {
      problems.push(
        problem(
          'BAD_DICTIONARY',
          `${id}: currency is only allowed for money (unit money_minor_units; unit is ${metric.unit})`,
          at(index, 'currency'),
        ),
      );
    } else if (metric.currency !== undefined && !isKnownCurrency(metric.currency)) {
      problems.push(
        problem(
          'BAD_DICTIONARY',
          `${id}: currency "${metric.currency}" is not an ISO 4217 currency code Readback can format (USD, EUR, JPY…)`,
          at(index, 'currency'),
        ),
      );
    }
    if (metric.deprecated_after && !isRealDate(metric.deprecated_after)) {
      problems.push(
        problem(
          'BAD_DICTIONARY',
          `${id}: deprecated_after "${metric.deprecated_after}" is not a calendar date`,
          at(index, 'deprecated_after'),
        ),
      );
    }
  });
  if (problems.length > 0) return { loaded: null, problems };
  const document = parsed.value;
  const canonical = canonicalJson(document);
  const metricLines = new Map(
    dictionary.metrics.map((m, index) => [m.metric_id, parsed.locate(['metrics', index])?.line ?? 1]),
  );
  return {
    loaded: { dictionary, document, canonical, sha256: sha256Hex(canonical), file, metricsById, metricLines },
    problems,
  };
}

function isRealDate(date: string): boolean {
  const time = Date.parse(`${date}T00:00:00Z`);
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === date;
}

export interface Epsilon {
  value: Decimal;
  /** where the value comes from: the metric's own override or its class default */
  source: 'metric' | 'class';
  /** as written: `epsilon: "1"` or `epsilon_bp: 5` */
  written: string;
}

/** Each metric of `dictionary` that names its currency, with that currency. */
export function currenciesOf(dictionary: Dictionary): [metric_id: string, currency: string][] {
  return dictionary.metrics.flatMap((m) => (m.currency ? [[m.metric_id, m.currency] as [string, string]] : []));
}

/** docs/reference/workspace.md: the metric's override, else its class default; basis points become percentage points. */
export function epsilonFor(metric: Metric, dictionary: Dictionary): Epsilon {
  const classDefault = dictionary.classes[metric.class];
  const own = metric.epsilon !== undefined || metric.epsilon_bp !== undefined;
  const spec = own ? metric : classDefault;
  if (!spec) throw new Error(`no epsilon for ${metric.metric_id}; parseDictionary rejects this`);
  const source = own ? 'metric' : 'class';
  if (spec.epsilon_bp !== undefined) {
    return {
      value: normalizeScale({ units: BigInt(spec.epsilon_bp), scale: 2 }),
      source,
      written: `epsilon_bp: ${spec.epsilon_bp}`,
    };
  }
  const value = parseDecimal(spec.epsilon!);
  if (!value) throw new Error(`bad epsilon for ${metric.metric_id}; the schema rejects this`);
  return { value, source, written: `epsilon: "${spec.epsilon}"` };
}
