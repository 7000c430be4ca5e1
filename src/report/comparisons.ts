/**
 * A finding's parts: each claim is a difference between two optimizers' runs at their chosen
 * learning rates, one value per seed both ran (a paired design: the same seed, the same
 * initial weights and batch order), judged by its 95% t-interval against a tolerance
 * (statistics.ts). With one paired seed there is no interval and the part is inconclusive.
 */
import type { VerdictValue } from './types';
import { CONFIDENCE, judge, tInterval, type Claim, type Interval } from './statistics';

export interface Part {
  name: string; // what is claimed, e.g. "lazy-adam classifies no better than adam"
  verdict: VerdictValue;
  estimate: string; // the mean difference and its interval, in the claim's unit
  why: string; // for an inconclusive part: why
}

/** How a difference is shown: test errors in percentage points, ratios in per cent. */
export type Unit = 'points' | 'percent' | 'decades';

const SCALE: Record<Unit, { factor: number; suffix: string; digits: number }> = {
  points: { factor: 100, suffix: ' points', digits: 2 },
  percent: { factor: 100, suffix: '%', digits: 1 },
  decades: { factor: 1, suffix: ' decades', digits: 2 },
};

/** The number of a signed quantity in its unit, without the unit: +0.42, -3.1. */
function signedNumber(value: number, unit: Unit): string {
  const { factor, digits } = SCALE[unit];
  const text = (factor * value).toFixed(digits);
  return text.startsWith('-') ? text : `+${text}`;
}

/** A signed quantity in its unit: +0.42 points, -3.1%. */
export function signed(value: number, unit: Unit): string {
  return `${signedNumber(value, unit)}${SCALE[unit].suffix}`;
}

/** "+0.42 points (95% CI -0.10 to +0.94, 3 seeds)": the bounds in the mean's unit. */
export function describeInterval(interval: Interval, unit: Unit): string {
  const bounds = `${signedNumber(interval.low, unit)} to ${signedNumber(interval.high, unit)}`;
  return `${signed(interval.mean, unit)} (${100 * CONFIDENCE}% CI ${bounds}, ${interval.n} seeds)`;
}

/** The claim in words: ">= +1.00 points", "<= -1.0%", "within ±1.00 points". */
export function describeClaim(claim: Claim, unit: Unit): string {
  if (claim.kind === 'within') return `within ±${signed(claim.bound, unit).slice(1)}`;
  return `${claim.kind === 'at least' ? '>=' : '<='} ${signed(claim.bound, unit)}`;
}

/** The part for the differences `values` (one per paired seed) against `claim`. */
export function comparePart(name: string, values: readonly number[], claim: Claim, unit: Unit): Part {
  const interval = tInterval(values);
  if (interval === null) {
    const estimate = values.length === 1 ? `${signed(values[0]!, unit)} (1 seed)` : 'no seed in common';
    return { name, verdict: 'inconclusive', estimate, why: `${values.length} paired seed(s): no interval to judge` };
  }
  const verdict = judge(interval, claim);
  const why = verdict === 'inconclusive' ? `its interval straddles ${describeClaim(claim, unit)}` : '';
  return { name, verdict, estimate: describeInterval(interval, unit), why };
}

/** A part that could not be measured (a run set missing), inconclusive with its reason. */
export function missingPart(name: string, why: string): Part {
  return { name, verdict: 'inconclusive', estimate: '-', why };
}

/** "name: verdict" for each part, with why for the inconclusive ones. */
export function explainParts(parts: readonly Part[]): string {
  return parts.map((part) => `${part.name}: ${part.verdict}${part.why ? ` (${part.why})` : ''}`).join('; ');
}
