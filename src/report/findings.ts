/**
 * Verdicts on the article's findings F1 to F3 (SPEC.md §7) and on the counting question,
 * computed from the runs' own numbers. Every comparison is between optimizers at their
 * chosen learning rates (highest mean validation accuracy over seeds, seeds.ts), made on
 * the per-seed differences with a 95% t-interval and judged against the tolerance it
 * states (comparisons.ts): a part whose interval straddles its tolerance is inconclusive,
 * and a finding holds when all its parts hold. F4 is responsiveness.ts. A finding that does
 * not hold is a result.
 */
import { optimizerOf, testErrorOf } from './columns';
import { comparePart, describeClaim, explainParts, missingPart, type Part } from './comparisons';
import { finalMetrics, type ExperimentRuns, type RunResult } from './read';
import { chooseRate, pairedBySeed, type Choice } from './seeds';
import { allOf, anyOf, mean, type Claim } from './statistics';
import type { Verdict } from './types';

/** Experiment names (the configs' `name`) the findings read. */
export const EXPERIMENTS = { mask: 'mask', gatherLifetime: 'gather-lifetime', gather: 'gather', gatherRemask: 'gather-remask' };

/** Tolerances, in the units of the differences they bound. */
export const TOLERANCES = {
  allGathered: 0.999, // gathered_fraction at or above this counts as every cell
  lossMargin: 0.01, // relative: "lower training loss" needs at least 1% lower
  errorNotBetter: 0.005, // "no better": test error at most 0.5 points lower
  muchWorse: 0.01, // "much worse": test error at least 1 point higher than the baseline's
  comparableError: 0.01, // "comparable": test errors within 1 point
  comparableMse: 0.1, // and test MSEs within 10% of the other's
  helps: 0.005, // counting "helps": test error at least 0.5 points lower than lazy-adam's
};

/** The optimizers the counting question asks about, and what they are compared with. */
export const COUNTING_OPTIMIZERS = ['lazy-adam-rowstep', 'count-adam'];
const UNCOUNTED = 'lazy-adam';

const percent = (x: number) => `${(100 * x).toFixed(2)}%`;
const fixed = (x: number, digits = 4) => Number(x.toPrecision(digits));

/** A quantity of a run's final evaluation; completed runs always have it. */
const testError = (run: RunResult) => testErrorOf(run)!;
const testMse = (run: RunResult) => finalMetrics(run)!.test_mse!;
const trainLoss = (run: RunResult) => finalMetrics(run)!.train_loss!;

/** a - b in test error, seed by seed. */
export const errorDifference = (a: Choice, b: Choice) => pairedBySeed(a.bySeed, b.bySeed, (x, y) => testError(x) - testError(y));
/** a / b - 1 of `metric`, seed by seed: how much higher a's value is, relative to b's. */
const ratioDifference = (a: Choice, b: Choice, metric: (run: RunResult) => number) =>
  pairedBySeed(a.bySeed, b.bySeed, (x, y) => metric(x) / metric(y) - 1);

function inconclusive(id: string, title: string, tolerance: string, why: string): Verdict {
  return { id, title, verdict: 'inconclusive', tolerance, figures: {}, explanation: why };
}

/** The figures of the chosen rates, "lr 0.001 (mean validation accuracy 95.12%, 3 seeds)", then each part's estimate. */
function figuresOf(chosen: readonly Choice[], parts: readonly Part[]): Record<string, string> {
  const figures: Record<string, string> = {};
  for (const c of chosen) {
    figures[`chosen lr: ${c.experiment} ${c.optimizer}`] = `${fixed(c.lr)} (mean validation accuracy ${percent(c.validation)}, ${c.bySeed.size} seed${c.bySeed.size === 1 ? "" : "s"})`;
  }
  for (const part of parts) figures[part.name] = part.estimate;
  return figures;
}

function verdictFromParts(id: string, title: string, tolerance: string, parts: Part[], chosen: Choice[], note = ''): Verdict {
  const explanation = `${explainParts(parts)}.${note ? ` ${note}` : ''}`;
  return { id, title, verdict: allOf(parts.map((p) => p.verdict)), tolerance, figures: figuresOf(chosen, parts), explanation };
}

/** The choices needed, or the names of the optimizers with no rate whose every seed completed. */
function choices(wanted: [ExperimentRuns, string][]): Choice[] | string {
  const found = wanted.map(([experiment, optimizer]) => chooseRate(experiment, optimizer));
  const missing = wanted.filter((_, i) => found[i] === null).map(([experiment, optimizer]) => `${experiment.ref.name} ${optimizer}`);
  return missing.length ? `no learning rate at which every seed completed for ${missing.join(', ')}` : (found as Choice[]);
}

const INTERVALS = '95% t-interval over paired seeds of each difference, at each optimizer\'s chosen learning rate';

function meanGathered(run: RunResult): number | null {
  const fractions = run.metrics.map((m) => m.gathered_fraction).filter((f): f is number => f !== null);
  return fractions.length ? mean(fractions) : null;
}

export function findingF1(withLifetime: ExperimentRuns, without: ExperimentRuns): Verdict {
  const title = 'With lifetime sparsity, gather gathers every cell every step; without it, fewer';
  const tolerance = `every cell: mean gathered_fraction >= ${TOLERANCES.allGathered} in every run (a count, the same in every seed: no interval)`;
  const withFractions = withLifetime.runs.map(meanGathered).filter((f): f is number => f !== null);
  const withoutFractions = without.runs.map(meanGathered).filter((f): f is number => f !== null);
  if (!withFractions.length || !withoutFractions.length) return inconclusive('F1', title, tolerance, 'no gather runs with metrics');
  const lowestWith = Math.min(...withFractions);
  const meanWithout = mean(withoutFractions);
  const highestWithout = Math.max(...withoutFractions);
  const dead = without.runs.map((run) => finalMetrics(run)?.dead_cells ?? null).filter((d): d is number => d !== null);
  const hidden = without.runs.find((run) => run.config)?.config?.model.hidden;
  return {
    id: 'F1',
    title,
    verdict: allOf([lowestWith >= TOLERANCES.allGathered ? 'holds' : 'does not hold', highestWithout < TOLERANCES.allGathered ? 'holds' : 'does not hold']),
    tolerance,
    figures: {
      'gathered_fraction with lifetime (lowest run)': fixed(lowestWith),
      'gathered_fraction without (mean of runs)': fixed(meanWithout),
      'gathered_fraction without (highest run)': fixed(highestWithout),
      ...(dead.length && hidden ? { 'dead cells without lifetime (mean of runs)': `${fixed(mean(dead), 3)} of ${hidden}` } : {}),
    },
    explanation:
      `With lifetime sparsity the lowest of ${withFractions.length} runs gathered ${percent(lowestWith)} of the cells per step; without it ` +
      `${percent(meanWithout)} on average over ${withoutFractions.length} runs (SPEC.md expects about 90% if every cell won sometimes; ` +
      'a cell that never wins a code is never gathered, so dead cells pull it down).',
  };
}

export function findingF2(gatherLifetime: ExperimentRuns, mask: ExperimentRuns): Verdict {
  const title = 'gather + lifetime: lazy-adam trains to a lower loss than adam, classifies no better, and both are much worse than mask';
  const claims = {
    lower: { kind: 'at most', bound: -TOLERANCES.lossMargin } as Claim,
    noBetter: { kind: 'at least', bound: -TOLERANCES.errorNotBetter } as Claim,
    muchWorse: { kind: 'at least', bound: TOLERANCES.muchWorse } as Claim,
  };
  const tolerance =
    `${INTERVALS}. Lower loss: lazy-adam / adam - 1 of the final train_loss ${describeClaim(claims.lower, 'percent')}; ` +
    `no better: test error difference ${describeClaim(claims.noBetter, 'points')}; much worse: test error above mask adam's ${describeClaim(claims.muchWorse, 'points')}`;
  const found = choices([[gatherLifetime, 'adam'], [gatherLifetime, 'lazy-adam'], [mask, 'adam']]);
  if (typeof found === 'string') return inconclusive('F2', title, tolerance, found);
  const [adam, lazy, baseline] = found as [Choice, Choice, Choice];
  const parts = [
    comparePart('lazy-adam train_loss vs adam (relative)', ratioDifference(lazy, adam, trainLoss), claims.lower, 'percent'),
    comparePart('lazy-adam test error - adam', errorDifference(lazy, adam), claims.noBetter, 'points'),
    comparePart('adam test error - mask adam', errorDifference(adam, baseline), claims.muchWorse, 'points'),
    comparePart('lazy-adam test error - mask adam', errorDifference(lazy, baseline), claims.muchWorse, 'points'),
  ];
  const note = 'With lifetime sparsity every row of W is touched every step, so lazy-adam performs exactly adam\'s update.';
  return verdictFromParts('F2', title, tolerance, parts, [adam, lazy, baseline], note);
}

export function findingF3(gatherRemask: ExperimentRuns, mask: ExperimentRuns): Verdict {
  const title = 'gather-remask without lifetime: adam and lazy-adam comparable to each other and to the mask baseline';
  const claims = { error: { kind: 'within', bound: TOLERANCES.comparableError } as Claim, mse: { kind: 'within', bound: TOLERANCES.comparableMse } as Claim };
  const tolerance =
    `${INTERVALS}. Comparable: test error difference ${describeClaim(claims.error, 'points')} and test_mse ratio - 1 ${describeClaim(claims.mse, 'percent')}`;
  const found = choices([[gatherRemask, 'adam'], [gatherRemask, 'lazy-adam'], [mask, 'adam']]);
  if (typeof found === 'string') return inconclusive('F3', title, tolerance, found);
  const [adam, lazy, baseline] = found as [Choice, Choice, Choice];
  const pairs: [string, Choice, Choice][] = [
    ['lazy-adam vs adam', lazy, adam],
    ['adam vs mask adam', adam, baseline],
    ['lazy-adam vs mask adam', lazy, baseline],
  ];
  const parts = pairs.flatMap(([name, a, b]) => [
    comparePart(`${name}: test error`, errorDifference(a, b), claims.error, 'points'),
    comparePart(`${name}: test_mse (relative)`, ratioDifference(a, b, testMse), claims.mse, 'percent'),
  ]);
  return verdictFromParts('F3', title, tolerance, parts, [adam, lazy, baseline]);
}

/**
 * Does counting updates help? lazy-adam "doesn't count the number of updates per batch"
 * (the article); lazy-adam-rowstep counts steps per row and count-adam samples per row.
 * Counting helps if one of them classifies better than lazy-adam, by more than the
 * tolerance, in every experiment given (the sparse modes: mask and gather-remask).
 */
export function findingCounting(experiments: readonly ExperimentRuns[]): Verdict {
  const title = 'Counting updates helps: lazy-adam-rowstep or count-adam classifies better than lazy-adam in every sparse mode';
  const claim: Claim = { kind: 'at most', bound: -TOLERANCES.helps };
  const tolerance = `${INTERVALS}. Helps: test error minus lazy-adam's ${describeClaim(claim, 'points')} in each of ${experiments.map((e) => e.ref.name).join(', ')}`;
  const present = COUNTING_OPTIMIZERS.filter((optimizer) => experiments.some((e) => e.runs.some((run) => optimizerOf(run) === optimizer)));
  if (!present.length || !experiments.length) return inconclusive('counting', title, tolerance, 'no counting optimizer in these experiments');
  const chosen: Choice[] = [];
  const perOptimizer = present.map((optimizer) => {
    const parts = experiments.map((experiment) => {
      const name = `${experiment.ref.name}: ${optimizer} test error - ${UNCOUNTED}`;
      const [counted, uncounted] = [chooseRate(experiment, optimizer), chooseRate(experiment, UNCOUNTED)];
      if (!counted || !uncounted) return missingPart(name, `no learning rate at which every seed completed for ${counted ? UNCOUNTED : optimizer}`);
      chosen.push(counted, uncounted);
      return comparePart(name, errorDifference(counted, uncounted), claim, 'points');
    });
    return { optimizer, parts, verdict: allOf(parts.map((p) => p.verdict)) };
  });
  const parts = perOptimizer.flatMap((o) => o.parts);
  const summary = perOptimizer.map((o) => `${o.optimizer} helps: ${o.verdict}`).join('; ');
  return {
    id: 'counting',
    title,
    verdict: anyOf(perOptimizer.map((o) => o.verdict)),
    tolerance,
    figures: figuresOf(chosen, parts),
    explanation: `${summary}. ${explainParts(parts)}.`,
  };
}
