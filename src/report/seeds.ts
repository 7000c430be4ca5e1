/**
 * An optimizer's runs in one experiment, by learning rate and, at each rate, by seed; and
 * the learning rate the verdicts use for it: the one with the highest mean validation
 * accuracy over its seeds (never test accuracy), among the rates at which every run
 * completed healthy (a rate at which a seed diverged or blew up is not one a researcher
 * would pick). Ties go to the smaller rate. Comparisons pair runs by seed: the same seed
 * means the same initial weights and batch order.
 */
import { learningRateOf, optimizerOf, seedOf } from './columns';
import { isHealthy } from './health';
import { finalMetrics, type ExperimentRuns, type RunResult } from './read';
import { mean } from './statistics';

export interface RatePoint {
  lr: number;
  runs: RunResult[]; // every run at this rate, whatever its status
  bySeed: Map<number, RunResult>; // the healthy ones
}

export interface Choice {
  experiment: string;
  optimizer: string;
  lr: number;
  bySeed: Map<number, RunResult>;
  validation: number; // mean final validation_accuracy over the seeds
}

/** The optimizer's learning rates in increasing order, each with its runs. */
export function ratePoints(experiment: ExperimentRuns, optimizer: string): RatePoint[] {
  const byRate = new Map<number, RunResult[]>();
  for (const run of experiment.runs.filter((r) => optimizerOf(r) === optimizer)) {
    byRate.set(learningRateOf(run), [...(byRate.get(learningRateOf(run)) ?? []), run]);
  }
  return [...byRate]
    .sort(([a], [b]) => a - b)
    .map(([lr, runs]) => ({ lr, runs, bySeed: new Map(runs.filter(isHealthy).map((run) => [seedOf(run), run])) }));
}

/** Every run at the rate is healthy (and so has its final evaluation). */
export function isComplete(point: RatePoint): boolean {
  return point.runs.length > 0 && point.bySeed.size === point.runs.length;
}

function validationOf(run: RunResult): number | null {
  return finalMetrics(run)?.validation_accuracy ?? null;
}

/** The optimizer's learning rate by mean validation accuracy, or null when no rate has every run healthy. */
export function chooseRate(experiment: ExperimentRuns, optimizer: string): Choice | null {
  let best: Choice | null = null;
  for (const point of ratePoints(experiment, optimizer).filter(isComplete)) {
    const validations = [...point.bySeed.values()].map(validationOf);
    if (validations.some((v) => v === null)) continue;
    const validation = mean(validations as number[]);
    if (best === null || validation > best.validation) {
      best = { experiment: experiment.ref.name, optimizer, lr: point.lr, bySeed: point.bySeed, validation };
    }
  }
  return best;
}

/** `value(a, b)` for each seed both have, in seed order (seeds only one has are left out). */
export function pairedBySeed(
  a: ReadonlyMap<number, RunResult>,
  b: ReadonlyMap<number, RunResult>,
  value: (a: RunResult, b: RunResult) => number,
): number[] {
  return [...a.keys()]
    .filter((seed) => b.has(seed))
    .sort((x, y) => x - y)
    .map((seed) => value(a.get(seed)!, b.get(seed)!));
}
