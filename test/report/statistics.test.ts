/**
 * The verdicts' statistics against numbers computed by hand (float64, in the comments):
 * t quantiles from the closed forms for 1, 2 and 4 degrees of freedom, intervals of small
 * samples, and how an interval is judged against a tolerance.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allOf, anyOf, judge, mean, standardDeviation, tInterval, tQuantile, type Interval } from '../../src/report/statistics';

function assertRelative(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.abs(expected), `${what}: ${actual}, expected ${expected}`);
}

describe('tQuantile', () => {
  it('1 degree of freedom (Cauchy): tan(pi (p - 1/2))', () => {
    assertRelative(tQuantile(0.975, 1), 12.706204736174696, 1e-9, 't(0.975, 1)'); // tan(0.475 pi)
    assertRelative(tQuantile(0.95, 1), 6.313751514675041, 1e-9, 't(0.95, 1)'); // tan(0.45 pi)
  });
  it('2 degrees of freedom: (2p - 1) / sqrt(2 p (1 - p))', () => {
    assertRelative(tQuantile(0.975, 2), 4.302652729749464, 1e-9, 't(0.975, 2)'); // 0.95 / sqrt(0.04875)
    assert.ok(Math.abs(tQuantile(0.5, 2)) < 1e-12, 'the median is 0');
  });
  it('4 degrees of freedom: 2 sqrt(q - 1), q = cos(arccos(sqrt(a)) / 3) / sqrt(a), a = 4 p (1 - p)', () => {
    assertRelative(tQuantile(0.975, 4), 2.7764451051977934, 1e-8, 't(0.975, 4)'); // a = 0.0975
  });
  it('is symmetric', () => assertRelative(tQuantile(0.025, 4), -2.7764451051977934, 1e-8, 't(0.025, 4)'));
});

describe('mean, standardDeviation, tInterval', () => {
  it('three values 1, 2, 6: mean 3, s = sqrt(14 / 2), mean ± 4.3027 s / sqrt(3)', () => {
    assert.equal(mean([1, 2, 6]), 3);
    assertRelative(standardDeviation([1, 2, 6]), 2.6457513110645907, 1e-12, 's');
    const interval = tInterval([1, 2, 6])!;
    assert.equal(interval.n, 3);
    assertRelative(interval.low, -3.5724106077284317, 1e-8, 'low'); // 3 - 4.302652729749464 * 1.5275252316519468
    assertRelative(interval.high, 9.572410607728433, 1e-8, 'high');
  });
  it('five test errors 1.0% .. 1.4%: 1.2% ± 2.7764 * 0.0015811 / sqrt(5)', () => {
    const interval = tInterval([0.01, 0.012, 0.011, 0.014, 0.013])!;
    assertRelative(interval.mean, 0.012, 1e-12, 'mean');
    assertRelative(interval.low, 0.010036756838522443, 1e-8, 'low');
    assertRelative(interval.high, 0.013963243161477557, 1e-8, 'high');
  });
  it('two values 3, 5: s / sqrt(2) = 1, so the half-width is t(0.975, 1) itself', () => {
    const interval = tInterval([3, 5])!;
    assertRelative(interval.high - 4, 12.706204736174696, 1e-9, 'half-width');
  });
  it('identical values give a zero-width interval; one value gives none', () => {
    assert.deepEqual(tInterval([0.5, 0.5, 0.5]), { mean: 0.5, low: 0.5, high: 0.5, n: 3 });
    assert.equal(tInterval([0.5]), null);
  });
  it('the level is a parameter: 90% with one degree of freedom uses t(0.95, 1)', () => {
    assertRelative(tInterval([3, 5], 0.9)!.high - 4, 6.313751514675041, 1e-9, 'half-width');
  });
});

describe('judge: a claim on an interval', () => {
  const interval = (low: number, high: number): Interval => ({ mean: (low + high) / 2, low, high, n: 3 });
  const atLeast = { kind: 'at least', bound: 0.01 } as const;
  const atMost = { kind: 'at most', bound: -0.005 } as const;
  const within = { kind: 'within', bound: 0.01 } as const;
  it('at least: holds above the bound, does not hold below it, inconclusive across it', () => {
    assert.equal(judge(interval(0.01, 0.03), atLeast), 'holds');
    assert.equal(judge(interval(-0.02, 0.0099), atLeast), 'does not hold');
    assert.equal(judge(interval(0.005, 0.02), atLeast), 'inconclusive');
  });
  it('at most: holds below the bound, does not hold above it, inconclusive across it', () => {
    assert.equal(judge(interval(-0.02, -0.005), atMost), 'holds');
    assert.equal(judge(interval(-0.004, 0.01), atMost), 'does not hold');
    assert.equal(judge(interval(-0.01, 0), atMost), 'inconclusive');
  });
  it('within: holds inside ±bound, does not hold wholly outside, inconclusive across either edge', () => {
    assert.equal(judge(interval(-0.01, 0.01), within), 'holds');
    assert.equal(judge(interval(0.011, 0.03), within), 'does not hold');
    assert.equal(judge(interval(-0.03, -0.0101), within), 'does not hold');
    assert.equal(judge(interval(0.005, 0.02), within), 'inconclusive');
    assert.equal(judge(interval(-0.02, 0.02), within), 'inconclusive');
  });
});

describe('allOf and anyOf: three-valued and, or', () => {
  it('allOf: any failure fails; all holding holds; otherwise (or nothing to judge) inconclusive', () => {
    assert.equal(allOf(['holds', 'inconclusive', 'does not hold']), 'does not hold');
    assert.equal(allOf(['holds', 'holds']), 'holds');
    assert.equal(allOf(['holds', 'inconclusive']), 'inconclusive');
    assert.equal(allOf([]), 'inconclusive');
  });
  it('anyOf: any holding holds; all failing fails; otherwise (or nothing to judge) inconclusive', () => {
    assert.equal(anyOf(['does not hold', 'holds']), 'holds');
    assert.equal(anyOf(['does not hold', 'does not hold']), 'does not hold');
    assert.equal(anyOf(['does not hold', 'inconclusive']), 'inconclusive');
    assert.equal(anyOf([]), 'inconclusive');
  });
});
