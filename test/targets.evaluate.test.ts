/** SLA targets evaluated exactly, the sparkline's drawing coordinates, and instants as people read them. */
import { describe, expect, it } from 'vitest';
import { humanDate, humanInstant, humanWindow } from '../src/core/present.ts';
import { polylinePoints, sparkline } from '../src/core/sparkline.ts';
import { evaluateTarget, targetSentence } from '../src/core/targets.ts';

describe('evaluateTarget', () => {
  it('compares the reconciled decimal exactly, each comparison on both sides of its boundary', () => {
    const cases: [target: string, value: string, status: 'met' | 'missed'][] = [
      ['>= 99.9', '99.90', 'met'], // equal at another scale
      ['>= 99.9', '99.89', 'missed'],
      ['> 99.9', '99.90', 'missed'],
      ['> 99.9', '99.91', 'met'],
      ['<= 300', '300', 'met'],
      ['<= 300', '301', 'missed'],
      ['< 300', '300', 'missed'],
      ['< 300', '299', 'met'],
      ['== 0', '0', 'met'],
      ['== 0', '1', 'missed'],
      ['>= -5', '-5.0', 'met'],
      ['<=0.5', '-0.5', 'met'],
    ];
    for (const [target, value, status] of cases)
      expect(evaluateTarget(target, value, { unit: 'count', currency: null }).status, `${value} ${target}`).toBe(
        status,
      );
  });

  it('never goes through a float: money beyond 2^53 one minor unit apart', () => {
    // 2^53 + 1 is not a double: as floats both sides would be equal and the target met
    expect(
      evaluateTarget('>= 9007199254740993', '9007199254740992', { unit: 'money_minor_units', currency: null }).status,
    ).toBe('missed');
    expect(
      evaluateTarget('>= 9007199254740993', '9007199254740993', { unit: 'money_minor_units', currency: null }).status,
    ).toBe('met');
  });

  it('says the comparison in words with the unit, as the annex, readback and PDF show it', () => {
    const target = evaluateTarget('>= 99.9', '99.91', { unit: 'percentage_points', currency: null });
    expect(target).toEqual({ written: '>= 99.9', operand: '99.9', display: 'at least 99.9%', status: 'met' });
    expect(targetSentence(target)).toBe('at least 99.9%: met');
    expect(evaluateTarget('< 250', '412', { unit: 'milliseconds', currency: null }).display).toBe('below 250 ms');
    expect(evaluateTarget('== 1000000', '1000000', { unit: 'count', currency: null }).display).toBe(
      'exactly 1,000,000',
    );
  });
});

describe('sparkline', () => {
  const box = { width: 100, height: 20 };

  it('spreads periods evenly and puts the lowest value at the bottom, the highest at the top', () => {
    const drawing = sparkline(['1', '3', '2'], box);
    expect(drawing.points).toEqual([
      { x: '0.00', y: '20.00' },
      { x: '50.00', y: '0.00' },
      { x: '100.00', y: '10.00' },
    ]);
    expect(drawing.runs.map(polylinePoints)).toEqual(['0.00,20.00 50.00,0.00 100.00,10.00']);
    expect(drawing.referenceY).toBeNull();
  });

  it('breaks the line at a period without a value, and draws a target on the same scale', () => {
    const drawing = sparkline(['99.41', null, '99.96', '99.97'], box, '99.9');
    expect(drawing.points[1]).toBeNull();
    expect(drawing.runs).toHaveLength(2);
    expect(drawing.runs[0]).toHaveLength(1);
    // range 99.41 … 99.97 (0.56): 99.9 sits 0.07 below the top, 0.07 / 0.56 × 20 = 2.5
    expect(drawing.referenceY).toBe('2.50');
    // a target outside the values widens the scale: the values no longer reach the bottom
    const far = sparkline(['10', '20'], box, '0');
    expect(far.points.map((p) => p!.y)).toEqual(['10.00', '0.00']);
    expect(far.referenceY).toBe('20.00');
  });

  it('rounds exactly once, to hundredths of a point, and places values beyond 2^53 exactly', () => {
    const thirds = sparkline(['0', '1', '2', '3'], { width: 10, height: 3 });
    expect(thirds.points.map((p) => p!.x)).toEqual(['0.00', '3.33', '6.67', '10.00']);
    const money = sparkline(['9007199254740992', '9007199254740993', '9007199254740994'], box);
    expect(money.points.map((p) => p!.y)).toEqual(['20.00', '10.00', '0.00']);
  });

  it('draws a flat series in the middle, and nothing for no values', () => {
    expect(sparkline(['5', '5.0'], box).points.map((p) => p!.y)).toEqual(['10.00', '10.00']);
    expect(sparkline([null, null], box)).toEqual({ runs: [], points: [null, null], referenceY: null });
  });
});

describe('instants as people read them', () => {
  it('says day, month name, year and UTC time; seconds only when there are some', () => {
    expect(humanInstant('2026-04-01T00:00:00Z')).toBe('1 Apr 2026 00:00 UTC');
    expect(humanInstant('2026-12-31T23:59:30Z')).toBe('31 Dec 2026 23:59:30 UTC');
    expect(humanInstant('2026-07-01T00:00:00.500Z')).toBe('1 Jul 2026 00:00:00.500 UTC');
    expect(humanDate('2026-04-06T00:00:00Z')).toBe('6 Apr 2026');
    expect(humanWindow({ start_inclusive: '2026-04-01T00:00:00Z', end_exclusive: '2026-07-01T00:00:00Z' })).toBe(
      '1 Apr 2026 00:00 UTC to 1 Jul 2026 00:00 UTC',
    );
    // what is not an RFC 3339 UTC instant is shown as written
    expect(humanInstant('2026-04-01T00:00:00+00:00')).toBe('2026-04-01T00:00:00+00:00');
  });
});
