/**
 * Verdicts on the article's findings (SPEC.md §7), computed from the runs' own numbers with
 * the tolerances stated in each verdict. A finding that does not hold is a result.
 * Learning rates are chosen per optimizer by validation accuracy, never by test accuracy.
 */
import { finalMetrics, type ExperimentRuns, type RunResult } from './read';
import { learningRateOf, optimizerOf, testErrorOf } from './columns';
import type { Verdict, VerdictValue } from './types';

/** Experiment names (the configs' `name`) the findings read. */
export const EXPERIMENTS = { mask: 'mask', gatherLifetime: 'gather-lifetime', gather: 'gather', gatherRemask: 'gather-remask' };

/** Tolerances, in the units of the columns they compare. */
export const TOLERANCES = {
  allGathered: 0.999, // gathered_fraction at or above this counts as every cell
  lossMargin: 0.01, // relative: "lower training loss" needs at least 1% lower
  errorNotBetter: 0.005, // lazy-adam "not better": its test error at most 0.5 points lower
  muchWorse: 0.01, // "much worse": test error at least 1 point higher than the baseline's
  comparableError: 0.01, // "comparable": test errors within 1 point
  comparableMse: 0.1, // and test MSEs within 10% of each other
  weakSlope: 0.01, // "weak response": |d test_error / d log10(lr)| at most 1 point per decade
};

/** The optimizers the article compares; the counting variants are reported beside them. */
export const ARTICLE_OPTIMIZERS = ['adam', 'adam-tf-sparse', 'lazy-adam'];

const percent = (x: number) => `${(100 * x).toFixed(2)}%`;
const fixed = (x: number, digits = 4) => Number(x.toPrecision(digits));

function completed(experiment: ExperimentRuns, optimizer: string): RunResult[] {
  return experiment.runs.filter((run) => run.status === 'completed' && optimizerOf(run) === optimizer);
}

/** The optimizer's run at the learning rate with the best validation accuracy. */
export function chosenRun(experiment: ExperimentRuns, optimizer: string): RunResult | null {
  const runs = completed(experiment, optimizer);
  const validation = (run: RunResult) => finalMetrics(run)?.validation_accuracy ?? -1;
  return runs.reduce<RunResult | null>((best, run) => (best === null || validation(run) > validation(best) ? run : best), null);
}

function meanGathered(run: RunResult): number | null {
  const fractions = run.metrics.map((m) => m.gathered_fraction).filter((f): f is number => f !== null);
  return fractions.length ? fractions.reduce((a, b) => a + b, 0) / fractions.length : null;
}

function inconclusive(id: string, title: string, tolerance: string, why: string): Verdict {
  return { id, title, verdict: 'inconclusive', tolerance, figures: {}, explanation: why };
}

function verdictOf(parts: boolean[]): VerdictValue {
  return parts.every(Boolean) ? 'holds' : 'does not hold';
}

export function findingF1(withLifetime: ExperimentRuns, without: ExperimentRuns): Verdict {
  const title = 'With lifetime sparsity `gather` gathers every cell every step; without it, fewer';
  const tolerance = `every cell: mean gathered_fraction >= ${TOLERANCES.allGathered}`;
  const withFractions = withLifetime.runs.map(meanGathered).filter((f): f is number => f !== null);
  const withoutFractions = without.runs.map(meanGathered).filter((f): f is number => f !== null);
  if (!withFractions.length || !withoutFractions.length) return inconclusive('F1', title, tolerance, 'no gather runs with metrics');
  const lowestWith = Math.min(...withFractions);
  const meanWithout = withoutFractions.reduce((a, b) => a + b, 0) / withoutFractions.length;
  const highestWithout = Math.max(...withoutFractions);
  return {
    id: 'F1',
    title,
    verdict: verdictOf([lowestWith >= TOLERANCES.allGathered, highestWithout < TOLERANCES.allGathered]),
    tolerance,
    figures: {
      'gathered_fraction with lifetime (lowest run)': fixed(lowestWith),
      'gathered_fraction without (mean of runs)': fixed(meanWithout),
      'gathered_fraction without (highest run)': fixed(highestWithout),
    },
    explanation:
      `With lifetime sparsity the lowest run gathered ${percent(lowestWith)} of the cells per step; without it ` +
      `${percent(meanWithout)} on average (SPEC.md expects about 90% if every cell won sometimes; ` +
      'cells that never win a code are never gathered, so dead cells pull it down).',
  };
}

/** Final training loss by learning rate, for pairing two optimizers' runs. */
function lossByRate(experiment: ExperimentRuns, optimizer: string): Map<number, number> {
  return new Map(completed(experiment, optimizer).map((run) => [learningRateOf(run), finalMetrics(run)?.train_loss ?? Number.NaN]));
}

export function findingF2(gatherLifetime: ExperimentRuns, mask: ExperimentRuns): Verdict {
  const title = 'gather + lifetime: lazy-adam trains to a lower loss than adam, classifies no better, and both are much worse than mask';
  const tolerance =
    `lower loss: >= ${100 * TOLERANCES.lossMargin}% lower at most learning rates; no better: test error at most ` +
    `${100 * TOLERANCES.errorNotBetter} points lower; much worse: >= ${100 * TOLERANCES.muchWorse} points above mask`;
  const [adam, lazy, baseline] = [chosenRun(gatherLifetime, 'adam'), chosenRun(gatherLifetime, 'lazy-adam'), chosenRun(mask, 'adam')];
  if (!adam || !lazy || !baseline) return inconclusive('F2', title, tolerance, 'a needed run (adam, lazy-adam or the mask baseline) did not complete');
  const adamLoss = lossByRate(gatherLifetime, 'adam');
  const pairs = [...lossByRate(gatherLifetime, 'lazy-adam')].filter(([lr]) => adamLoss.has(lr));
  const lowerAt = pairs.filter(([lr, loss]) => loss < adamLoss.get(lr)! * (1 - TOLERANCES.lossMargin)).length;
  const [adamError, lazyError, baselineError] = [adam, lazy, baseline].map((run) => testErrorOf(run)!) as [number, number, number];
  const parts = [lowerAt > pairs.length / 2, lazyError >= adamError - TOLERANCES.errorNotBetter, Math.min(adamError, lazyError) >= baselineError + TOLERANCES.muchWorse];
  return {
    id: 'F2',
    title,
    verdict: verdictOf(parts),
    tolerance,
    figures: {
      'learning rates where lazy-adam loss is lower': `${lowerAt} of ${pairs.length}`,
      'test error adam (chosen lr)': percent(adamError),
      'test error lazy-adam (chosen lr)': percent(lazyError),
      'test error mask baseline (adam)': percent(baselineError),
    },
    explanation:
      `Lower training loss: ${parts[0] ? 'yes' : 'no'}; classification no better: ${parts[1] ? 'yes' : 'no'}; ` +
      `both much worse than mask: ${parts[2] ? 'yes' : 'no'}. With lifetime sparsity every row of W is touched ` +
      'every step, so lazy-adam performs exactly adam\'s update: the two can only differ through other settings.',
  };
}

function comparable(a: RunResult, b: RunResult): boolean {
  const [mseA, mseB] = [finalMetrics(a)?.test_mse ?? Number.NaN, finalMetrics(b)?.test_mse ?? Number.NaN];
  const closeError = Math.abs(testErrorOf(a)! - testErrorOf(b)!) <= TOLERANCES.comparableError;
  return closeError && Math.abs(mseA - mseB) <= TOLERANCES.comparableMse * Math.max(mseA, mseB);
}

export function findingF3(gatherRemask: ExperimentRuns, mask: ExperimentRuns): Verdict {
  const title = 'gather-remask without lifetime: adam and lazy-adam comparable to each other and to the mask baseline';
  const tolerance = `comparable: test errors within ${100 * TOLERANCES.comparableError} points and test_mse within ${100 * TOLERANCES.comparableMse}%`;
  const runs = {
    adam: chosenRun(gatherRemask, 'adam'),
    lazy: chosenRun(gatherRemask, 'lazy-adam'),
    maskAdam: chosenRun(mask, 'adam'),
    maskLazy: chosenRun(mask, 'lazy-adam'),
  };
  if (Object.values(runs).some((run) => run === null)) return inconclusive('F3', title, tolerance, 'a needed run did not complete');
  const { adam, lazy, maskAdam, maskLazy } = runs as Record<keyof typeof runs, RunResult>;
  const parts = [comparable(adam, lazy), comparable(adam, maskAdam), comparable(lazy, maskLazy)];
  const describe = (run: RunResult) => `${percent(testErrorOf(run)!)} error, mse ${fixed(finalMetrics(run)!.test_mse!)}`;
  return {
    id: 'F3',
    title,
    verdict: verdictOf(parts),
    tolerance,
    figures: {
      'gather-remask adam': describe(adam),
      'gather-remask lazy-adam': describe(lazy),
      'mask adam': describe(maskAdam),
      'mask lazy-adam': describe(maskLazy),
    },
    explanation: `adam ~ lazy-adam: ${parts[0] ? 'yes' : 'no'}; adam ~ mask: ${parts[1] ? 'yes' : 'no'}; lazy-adam ~ mask: ${parts[2] ? 'yes' : 'no'}.`,
  };
}

/** Least-squares slope of test error against log10(lr) over the optimizer's completed runs. */
export function learningRateSlope(experiment: ExperimentRuns, optimizer: string): number | null {
  const points = completed(experiment, optimizer)
    .map((run) => [Math.log10(learningRateOf(run)), testErrorOf(run)] as const)
    .filter((p): p is readonly [number, number] => p[1] !== null);
  if (points.length < 3) return null;
  const meanX = points.reduce((s, [x]) => s + x, 0) / points.length;
  const meanY = points.reduce((s, [, y]) => s + y, 0) / points.length;
  const covariance = points.reduce((s, [x, y]) => s + (x - meanX) * (y - meanY), 0);
  const variance = points.reduce((s, [x]) => s + (x - meanX) ** 2, 0);
  return covariance / variance;
}

export function findingF4(experiments: readonly ExperimentRuns[], optimizers: readonly string[]): Verdict {
  const title = 'The metrics respond weakly to learning-rate changes across the sweep';
  const tolerance = `weak: |slope of test error against log10(lr)| <= ${TOLERANCES.weakSlope} (1 point per decade) for ${ARTICLE_OPTIMIZERS.join(', ')}`;
  const figures: Record<string, string | number> = {};
  const articleSlopes: number[] = [];
  for (const experiment of experiments) {
    for (const optimizer of optimizers) {
      const slope = learningRateSlope(experiment, optimizer);
      if (slope === null) continue;
      figures[`${experiment.ref.name} ${optimizer}`] = `${(100 * slope).toFixed(2)} points/decade`;
      if (ARTICLE_OPTIMIZERS.includes(optimizer)) articleSlopes.push(slope);
    }
  }
  if (!articleSlopes.length) return inconclusive('F4', title, tolerance, 'fewer than 3 completed learning rates per optimizer');
  const steepest = Math.max(...articleSlopes.map(Math.abs));
  return {
    id: 'F4',
    title,
    verdict: steepest <= TOLERANCES.weakSlope ? 'holds' : 'does not hold',
    tolerance,
    figures,
    explanation: `The steepest response among the article's optimizers is ${(100 * steepest).toFixed(2)} points of test error per decade of learning rate.`,
  };
}
