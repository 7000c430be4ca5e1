/**
 * The statistics behind the verdicts. Over n seeds of one measurement x_1..x_n:
 *   mean x̄ = Σ x_s / n, sample standard deviation s = sqrt(Σ (x_s - x̄)^2 / (n - 1)),
 *   two-sided t-interval at level L: x̄ ± t_{(1+L)/2, n-1} · s / sqrt(n)   (n >= 2),
 * with t_{p, d} the p-quantile of Student's t distribution with d degrees of freedom
 * (jStat's). A claim about the measured quantity ("at least", "at most" or "within" a
 * tolerance) is judged on the whole interval: it holds when every value of the interval
 * satisfies it, does not hold when none does, and is inconclusive when the interval
 * straddles the tolerance.
 */
import { jStat } from 'jstat';
import { assert } from '../errors';
import type { VerdictValue } from './types';

/** The level of every interval the report states. */
export const CONFIDENCE = 0.95;

export interface Interval {
  mean: number;
  low: number;
  high: number;
  n: number; // seeds (or paired seeds) behind it
}

export function mean(values: readonly number[]): number {
  assert(values.length > 0, () => 'mean of no values');
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** The sample standard deviation (divisor n - 1); needs two values. */
export function standardDeviation(values: readonly number[]): number {
  assert(values.length > 1, () => `standard deviation of ${values.length} value(s)`);
  const centre = mean(values);
  return Math.sqrt(values.reduce((sum, value) => sum + (value - centre) ** 2, 0) / (values.length - 1));
}

/** t_{p, degrees}: the p-quantile of Student's t distribution. */
export function tQuantile(p: number, degrees: number): number {
  assert(p > 0 && p < 1 && degrees > 0, () => `t quantile at p = ${p} with ${degrees} degrees of freedom`);
  return jStat.studentt.inv(p, degrees);
}

/** The two-sided t-interval of the mean at `level`; null for fewer than two values (no spread to measure). */
export function tInterval(values: readonly number[], level = CONFIDENCE): Interval | null {
  if (values.length < 2) return null;
  const centre = mean(values);
  const half = (tQuantile((1 + level) / 2, values.length - 1) * standardDeviation(values)) / Math.sqrt(values.length);
  return { mean: centre, low: centre - half, high: centre + half, n: values.length };
}

/** What is claimed of a quantity D: D >= bound, D <= bound, or |D| <= bound. */
export type Claim = { kind: 'at least'; bound: number } | { kind: 'at most'; bound: number } | { kind: 'within'; bound: number };

/** The claim judged on the interval: holds if all of it satisfies the claim, does not hold if none of it does. */
export function judge(interval: Interval, claim: Claim): VerdictValue {
  const { low, high } = interval;
  switch (claim.kind) {
    case 'at least':
      return low >= claim.bound ? 'holds' : high < claim.bound ? 'does not hold' : 'inconclusive';
    case 'at most':
      return high <= claim.bound ? 'holds' : low > claim.bound ? 'does not hold' : 'inconclusive';
    case 'within':
      if (low >= -claim.bound && high <= claim.bound) return 'holds';
      return low > claim.bound || high < -claim.bound ? 'does not hold' : 'inconclusive';
  }
}

/** Several claims together (a finding's parts): holds if all hold, does not hold if any does not. */
export function allOf(verdicts: readonly VerdictValue[]): VerdictValue {
  if (verdicts.includes('does not hold')) return 'does not hold';
  return verdicts.length > 0 && verdicts.every((verdict) => verdict === 'holds') ? 'holds' : 'inconclusive';
}

/** Alternatives (e.g. either counting optimizer): holds if any holds, does not hold if all do not. */
export function anyOf(verdicts: readonly VerdictValue[]): VerdictValue {
  if (verdicts.includes('holds')) return 'holds';
  return verdicts.length > 0 && verdicts.every((verdict) => verdict === 'does not hold') ? 'does not hold' : 'inconclusive';
}
