/**
 * F4, "the metrics respond weakly to learning-rate changes": how much a metric moves over
 * the learning-rate sweep, for curves of any shape. A straight-line slope of test error
 * against log10(lr) is near zero on a U-shaped curve however deep the U, so the response
 * is the spread instead: with m(lr) the seed-mean metric at each rate, best = argmin m
 * and worst = argmax m, the response of seed s is
 *   test error:  x_s(worst) - x_s(best)               (percentage points)
 *   test_mse:    log10(x_s(worst) / x_s(best))        (decades; MSEs span orders of magnitude)
 * and the response is their mean over seeds. Only rates at which every seed completed
 * healthy count (others are listed). "Weak" is judged against the dense baseline, `mask`
 * with `adam`, measured the same way: per seed, e_s = response_s - WEAK_FRACTION *
 * baseline_s, and the 95% t-interval of e must lie at or below 0 (the response is at most
 * half the baseline's, beyond seed noise). The verdict reads the article's own setting,
 * gather with lifetime sparsity (where it saw the effect), for its optimizers; every other
 * experiment and optimizer is measured and charted beside it.
 */
import { finalMetrics, type ExperimentRuns, type RunResult } from './read';
import { testErrorOf, optimizerOf } from './columns';
import { comparePart, describeInterval, explainParts, missingPart, signed, type Part, type Unit } from './comparisons';
import { EXPERIMENTS } from './findings';
import { isComplete, ratePoints, type RatePoint } from './seeds';
import { allOf, mean, tInterval, type Claim, type Interval } from './statistics';
import type { Verdict } from './types';

export type ResponseMetric = 'test_error' | 'test_mse';

export const RESPONSE_METRICS: Record<ResponseMetric, { value: (run: RunResult) => number | null; unit: Unit; words: string }> = {
  test_error: { value: testErrorOf, unit: 'points', words: 'test error, worst rate minus best' },
  test_mse: { value: (run) => finalMetrics(run)?.test_mse ?? null, unit: 'decades', words: 'test MSE, log10 of worst over best' },
};

/** "Weak": at most this fraction of the baseline's response. */
export const WEAK_FRACTION = 0.5;

/** The baseline and the cells the verdict reads. */
export const BASELINE = { experiment: EXPERIMENTS.mask, optimizer: 'adam' };
export const JUDGED = { experiment: EXPERIMENTS.gatherLifetime, optimizers: ['adam', 'adam-tf-sparse', 'lazy-adam'] };

export interface Response {
  experiment: string;
  optimizer: string;
  metric: ResponseMetric;
  best: number; // learning rates
  worst: number;
  bySeed: Map<number, number>; // response of each seed present at both rates
  interval: Interval | null; // of the mean response (null with one seed)
  mean: number;
  leftOut: number[]; // rates with a run that did not complete healthy
}

function seedMean(point: RatePoint, value: (run: RunResult) => number | null): number {
  return mean([...point.bySeed.values()].map((run) => value(run) ?? Number.NaN));
}

/** The optimizer's response in the experiment, or null with fewer than two complete rates. */
export function responseOf(experiment: ExperimentRuns, optimizer: string, metric: ResponseMetric): Response | null {
  const { value } = RESPONSE_METRICS[metric];
  const points = ratePoints(experiment, optimizer);
  const complete = points.filter(isComplete);
  if (complete.length < 2) return null;
  const means = complete.map((point) => seedMean(point, value));
  const best = complete[means.indexOf(Math.min(...means))]!;
  const worst = complete[means.indexOf(Math.max(...means))]!;
  const bySeed = new Map<number, number>();
  for (const [seed, run] of worst.bySeed) {
    const other = best.bySeed.get(seed);
    if (!other) continue;
    const [high, low] = [value(run)!, value(other)!];
    bySeed.set(seed, metric === 'test_mse' ? Math.log10(high / low) : high - low);
  }
  const responses = [...bySeed.values()];
  return {
    experiment: experiment.ref.name,
    optimizer,
    metric,
    best: best.lr,
    worst: worst.lr,
    bySeed,
    interval: tInterval(responses),
    mean: mean(responses),
    leftOut: points.filter((point) => !isComplete(point)).map((point) => point.lr),
  };
}

/** Every optimizer's response in every experiment, for both metrics (the F4 chart). */
export function allResponses(experiments: readonly ExperimentRuns[]): Response[] {
  return experiments.flatMap((experiment) => {
    const optimizers = [...new Set(experiment.runs.map(optimizerOf))].filter(Boolean);
    return optimizers.flatMap((optimizer) =>
      (Object.keys(RESPONSE_METRICS) as ResponseMetric[]).flatMap((metric) => responseOf(experiment, optimizer, metric) ?? []),
    );
  });
}

/** "+2.31 points (95% CI ..., 3 seeds), best lr 0.001, worst 0.0001". */
export function describeResponse(response: Response): string {
  const { unit } = RESPONSE_METRICS[response.metric];
  const spread = response.interval ? describeInterval(response.interval, unit) : `${signed(response.mean, unit)} (${response.bySeed.size} seed)`;
  const leftOut = response.leftOut.length ? `; left out: lr ${response.leftOut.join(', ')}` : '';
  return `${spread}, best lr ${response.best}, worst ${response.worst}${leftOut}`;
}

function weakPart(response: Response | null, baseline: Response, name: string): Part {
  if (!response) return missingPart(name, 'fewer than two learning rates at which every seed completed');
  const excess = [...response.bySeed].filter(([seed]) => baseline.bySeed.has(seed)).map(([seed, r]) => r - WEAK_FRACTION * baseline.bySeed.get(seed)!);
  const claim: Claim = { kind: 'at most', bound: 0 };
  const part = comparePart(name, excess, claim, RESPONSE_METRICS[response.metric].unit);
  return { ...part, estimate: `${describeResponse(response)}; minus ${WEAK_FRACTION} x the baseline's: ${part.estimate}` };
}

export function findingF4(byName: ReadonlyMap<string, ExperimentRuns>): Verdict {
  const title = 'The metrics respond weakly to learning-rate changes across the sweep';
  const tolerance =
    `response: the spread of the seed-mean metric over the sweep (test error: worst rate minus best, in points; test_mse: log10 of worst over best); ` +
    `weak: response - ${WEAK_FRACTION} x the ${BASELINE.experiment} ${BASELINE.optimizer} baseline's, per seed, has a 95% t-interval <= 0 ` +
    `(at most half the baseline's response), for ${JUDGED.optimizers.join(', ')} in ${JUDGED.experiment}, both metrics`;
  const base = byName.get(BASELINE.experiment);
  const judged = byName.get(JUDGED.experiment);
  const inconclusive = (why: string): Verdict => ({ id: 'F4', title, verdict: 'inconclusive', tolerance, figures: {}, explanation: why });
  if (!base || !judged) return inconclusive(`experiment ${base ? JUDGED.experiment : BASELINE.experiment} not in this reproduction`);
  const figures: Record<string, string> = {};
  const parts: Part[] = [];
  for (const metric of Object.keys(RESPONSE_METRICS) as ResponseMetric[]) {
    const baseline = responseOf(base, BASELINE.optimizer, metric);
    if (!baseline) {
      parts.push(missingPart(`${metric}: baseline`, `${BASELINE.experiment} ${BASELINE.optimizer} has fewer than two complete learning rates`));
      continue;
    }
    figures[`${metric} response: ${BASELINE.experiment} ${BASELINE.optimizer} (baseline)`] = describeResponse(baseline);
    const optimizers = JUDGED.optimizers.filter((optimizer) => judged.runs.some((run) => optimizerOf(run) === optimizer));
    for (const optimizer of optimizers) {
      const part = weakPart(responseOf(judged, optimizer, metric), baseline, `${metric} response: ${JUDGED.experiment} ${optimizer}`);
      figures[part.name] = part.estimate;
      parts.push(part);
    }
  }
  if (!parts.length) return inconclusive(`no ${JUDGED.optimizers.join(' or ')} runs in ${JUDGED.experiment}`);
  return {
    id: 'F4',
    title,
    verdict: allOf(parts.map((p) => p.verdict)),
    tolerance,
    figures,
    explanation: `${explainParts(parts)}. Every experiment's and optimizer's response is in the responsiveness charts.`,
  };
}
