/**
 * The currencies of the published dictionary texts, as the build read them (src/io/verify.ts,
 * `knownCurrencies`): a file of those bytes is taken as read, one of other bytes is read as it is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { knownCurrencies, verifySite } from '../src/io/verify.ts';
import { copyBuiltSample } from './helpers/site.ts';
import { sha256 } from './helpers/workspace.ts';

const BILLED = 'm.revenue.billed_minor';

describe('currencies known from the build', () => {
  it('are what verify takes for the bytes they were read from, and only for those', () => {
    const { dist } = copyBuiltSample();
    expect(verifySite(dist).problems).toEqual([]);
    // the version whose text names the billed metric's currency (the earlier ones name none)
    const texts = readdirSync(join(dist, 'dictionary'))
      .filter((name) => name.endsWith('.json'))
      .map((name) => readFileSync(join(dist, 'dictionary', name), 'utf8'));
    const text = texts.find((each) => each.includes('"currency":"USD"'))!;
    const key = sha256(text);
    const named = (JSON.parse(text) as { metrics: { metric_id: string; currency?: string }[] }).metrics.flatMap(
      (m): [string, string][] => (m.currency ? [[m.metric_id, m.currency]] : []),
    );
    expect(named).toContainEqual([BILLED, 'USD']);
    // said to be euros: the pages' dollar amounts no longer show what verify expects
    knownCurrencies([[key, named.map(([id, currency]) => [id, id === BILLED ? 'EUR' : currency])]]);
    const wrong = verifySite(dist).problems;
    expect(wrong.length).toBeGreaterThan(0);
    expect(wrong.some((problem) => problem.metric_id === BILLED)).toBe(true);
    // said of other bytes: nothing changes for this file
    knownCurrencies([[key, named]]);
    knownCurrencies([[sha256('another text'), [[BILLED, 'EUR']]]]);
    expect(verifySite(dist).problems).toEqual([]);
  });
});
