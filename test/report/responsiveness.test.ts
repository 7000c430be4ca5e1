/**
 * F4 on hand-built sweeps of three learning rates and three seeds: the response is the
 * spread of the seed-mean metric (worst rate minus best), which sees a U-shaped curve that
 * a straight-line slope calls flat; "weak" is at most half the mask/adam baseline's response,
 * judged per seed with a 95% t-interval (mean ± 2.4841 s for three seeds).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findingF4, responseOf } from '../../src/report/responsiveness';
import type { ExperimentRuns } from '../../src/report/read';
import { atRate, makeExperiment, type RunSpec } from './runs';

const RATES = [0.0001, 0.001, 0.01];

/** One optimizer over the three rates: test errors per rate (one per seed), one test MSE per rate. */
function sweep(optimizer: string, errors: number[][], mses: number[]): RunSpec[] {
  return RATES.flatMap((lr, r) => atRate(optimizer, lr, errors[r]!, () => ({ test_mse: mses[r]! })));
}

// Baseline mask/adam: a U (10%, 5%, 8% seed means), responses 0.05, 0.06, 0.04; MSE 0.1 -> 0.01: 1 decade.
const BASELINE = sweep('adam', [[0.1, 0.11, 0.09], [0.05, 0.05, 0.05], [0.08, 0.08, 0.08]], [0.1, 0.01, 0.02]);
const WEAK_MSE = [0.03, 0.025, 0.028]; // log10(0.03 / 0.025) = 0.0792 decades

function f4(gatherLifetime: RunSpec[], baseline: RunSpec[] = BASELINE) {
  const byName = new Map<string, ExperimentRuns>([
    ['mask', makeExperiment('mask', baseline)],
    ['gather-lifetime', makeExperiment('gather-lifetime', gatherLifetime)],
  ]);
  return findingF4(byName);
}

describe('responseOf: the spread of the seed-mean metric over the sweep', () => {
  it('sees the depth of a U whose least-squares slope is zero', () => {
    // errors 10%, 5%, 10% at log10(lr) = -4, -3, -2: slope 0; spread 5 points
    const u = makeExperiment('mask', sweep('adam', [[0.1, 0.1, 0.1], [0.05, 0.05, 0.05], [0.1, 0.1, 0.1]], [0.1, 0.01, 0.1]));
    const response = responseOf(u, 'adam', 'test_error')!;
    assert.deepEqual([response.best, response.worst], [0.001, 0.0001]);
    assert.ok(Math.abs(response.mean - 0.05) < 1e-12, String(response.mean));
    assert.ok(Math.abs(responseOf(u, 'adam', 'test_mse')!.mean - 1) < 1e-12, 'log10(0.1 / 0.01) = 1 decade');
  });
  it('pairs each seed at the best and worst rates', () => {
    const response = responseOf(makeExperiment('mask', BASELINE), 'adam', 'test_error')!;
    assert.deepEqual([...response.bySeed.values()].map((r) => Number(r.toFixed(12))), [0.05, 0.06, 0.04]);
    assert.ok(Math.abs(response.interval!.high - 0.05 - 2.4841 * 0.01) < 1e-4); // s = 0.01
  });
  it('leaves out a rate at which a seed diverged, and lists it', () => {
    const specs = BASELINE.map((spec) => (spec.lr === 0.0001 && spec.seed === 0 ? { ...spec, status: 'diverged' as const } : spec));
    const response = responseOf(makeExperiment('mask', specs), 'adam', 'test_error')!;
    assert.deepEqual([response.best, response.worst, response.leftOut], [0.001, 0.01, [0.0001]]);
    assert.ok(Math.abs(response.mean - 0.03) < 1e-12);
  });
  it('is null with fewer than two complete rates', () => {
    assert.equal(responseOf(makeExperiment('mask', BASELINE.filter((spec) => spec.lr === 0.001)), 'adam', 'test_error'), null);
  });
});

describe('F4: weak = at most half the baseline response, per seed, beyond seed noise', () => {
  const weakErrors = [[0.06, 0.061, 0.059], [0.055, 0.055, 0.055], [0.058, 0.058, 0.058]]; // responses 0.005, 0.006, 0.004
  it('holds when adam and lazy-adam move a tenth as much as the baseline in both metrics', () => {
    // excess = response - 0.5 baseline: -0.02, -0.024, -0.016 -> -0.02 ± 0.0099, below 0
    const verdict = f4([...sweep('adam', weakErrors, WEAK_MSE), ...sweep('lazy-adam', weakErrors, WEAK_MSE)]);
    assert.equal(verdict.verdict, 'holds', verdict.explanation);
    assert.match(String(verdict.figures['test_error response: gather-lifetime adam']), /^\+0\.50 points \(95% CI \+0\.25 to \+0\.75, 3 seeds\), best lr 0\.001, worst 0\.0001; minus 0\.5 x the baseline's: -2\.00 points \(95% CI -2\.99 to -1\.01, 3 seeds\)$/);
    assert.match(String(verdict.figures['test_error response: mask adam (baseline)']), /^\+5\.00 points/);
  });
  it('does not hold when the article setting responds as much as the baseline', () => {
    const verdict = f4([...sweep('adam', [[0.1, 0.11, 0.09], [0.05, 0.05, 0.05], [0.08, 0.08, 0.08]], WEAK_MSE), ...sweep('lazy-adam', weakErrors, WEAK_MSE)]);
    assert.equal(verdict.verdict, 'does not hold');
    assert.match(verdict.explanation, /test_error response: gather-lifetime adam: does not hold/);
  });
  it('is inconclusive when the per-seed excess straddles zero', () => {
    // responses 0.01, 0.04, 0.02 -> excess -0.015, 0.01, 0: mean -0.00167 ± 0.0313
    const noisy = [[0.06, 0.09, 0.07], [0.05, 0.05, 0.05], [0.055, 0.055, 0.055]];
    const verdict = f4([...sweep('adam', noisy, WEAK_MSE), ...sweep('lazy-adam', weakErrors, WEAK_MSE)]);
    assert.equal(verdict.verdict, 'inconclusive');
    assert.match(verdict.explanation, /test_error response: gather-lifetime adam: inconclusive \(its interval straddles <= \+0\.00 points\)/);
  });
  it('is inconclusive without the baseline experiment', () => {
    const verdict = findingF4(new Map([['gather-lifetime', makeExperiment('gather-lifetime', sweep('adam', weakErrors, WEAK_MSE))]]));
    assert.equal(verdict.verdict, 'inconclusive');
    assert.match(verdict.explanation, /experiment mask not in this reproduction/);
  });
});
