/**
 * The report's tables as text cells, shared by report.md and report.html: the verdicts;
 * per experiment one row per optimizer and learning rate with seed means (test error with
 * the half-width of its 95% t-interval over seeds; every column at one precision); the
 * runs left out of the means and charts (diverged, blown up, failed, never run); and the
 * counting question's table. Cells may hold `code` in backticks and line breaks.
 */
import { learningRateOf, optimizerOf, seedOf, testErrorOf } from './columns';
import { describeInterval } from './comparisons';
import { COUNTING_OPTIMIZERS, errorDifference } from './findings';
import { healthOf, type RunHealth } from './health';
import { finalMetrics, type ExperimentRuns, type RunResult } from './read';
import { paletteOrder } from './palette';
import { chooseRate, ratePoints, type Choice, type RatePoint } from './seeds';
import { mean, tInterval } from './statistics';
import type { Verdict } from './types';

export interface Table {
  header: string[];
  rows: string[][];
}

export const VERDICT_COLUMNS = ['id', 'finding', 'verdict', 'tolerance', 'figures', 'explanation'];

/** Numbers to 4 significant digits (0.0003162, 0.9747, 25); a missing value is empty. */
export function formatValue(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

/** Every number of a column at the same precision: errors in % to 2 decimals, MSEs to 3 significant digits. */
const FORMATS = {
  percent: (x: number) => (100 * x).toFixed(2),
  significant: (x: number) => (Math.abs(x) >= 1e4 ? x.toExponential(2) : x.toPrecision(3)),
  count: (x: number) => x.toFixed(0),
  fraction: (x: number) => x.toFixed(3),
};

export function verdictTable(verdicts: readonly Verdict[]): Table {
  const figuresText = (figures: Verdict['figures']) => Object.entries(figures).map(([name, value]) => `${name}: ${formatValue(value)}`).join('\n');
  return {
    header: VERDICT_COLUMNS,
    rows: verdicts.map((v) => [v.id, v.title, v.verdict, v.tolerance, figuresText(v.figures), v.explanation]),
  };
}

function meanOf(runs: readonly RunResult[], value: (run: RunResult) => number | null | undefined, format: (x: number) => string): string {
  const values = runs.map(value).filter((v): v is number => v !== null && v !== undefined);
  return values.length ? format(mean(values)) : '';
}

/** "4.37 ± 0.52": the seed mean of the test error in %, ± the half-width of its 95% t-interval (none with one seed). */
function errorCell(runs: readonly RunResult[]): string {
  const errors = runs.map(testErrorOf).filter((e): e is number => e !== null);
  if (!errors.length) return '';
  const interval = tInterval(errors);
  return interval ? `${FORMATS.percent(interval.mean)} ± ${FORMATS.percent(interval.high - interval.mean)}` : FORMATS.percent(errors[0]!);
}

export const RUN_COLUMNS = ['optimizer.name', 'optimizer.lr', 'seeds', 'validation acc. (%)', 'test error (%)', 'test_mse', 'train_loss', 'dead_cells'];

/** One row per optimizer and learning rate; gathered_fraction only in the gather modes; the chosen rate marked. */
export function runTable(experiment: ExperimentRuns): Table {
  const gathers = experiment.runs.some((run) => (finalMetrics(run)?.gathered_fraction ?? null) !== null);
  const optimizers = paletteOrder([...new Set(experiment.runs.map(optimizerOf))]);
  const rows = optimizers.flatMap((optimizer) => {
    const chosen = chooseRate(experiment, optimizer)?.lr;
    return ratePoints(experiment, optimizer).map((point) => rateRow(optimizer, point, point.lr === chosen, gathers));
  });
  return { header: [...RUN_COLUMNS, ...(gathers ? ['gathered_fraction'] : []), 'chosen'], rows };
}

function rateRow(optimizer: string, point: RatePoint, chosen: boolean, gathers: boolean): string[] {
  const runs = [...point.bySeed.values()];
  const final = (run: RunResult) => finalMetrics(run);
  return [
    optimizer,
    formatValue(point.lr),
    `${point.bySeed.size} of ${point.runs.length}`,
    meanOf(runs, (run) => final(run)?.validation_accuracy, FORMATS.percent),
    errorCell(runs),
    meanOf(runs, (run) => final(run)?.test_mse, FORMATS.significant),
    meanOf(runs, (run) => final(run)?.train_loss, FORMATS.significant),
    meanOf(runs, (run) => final(run)?.dead_cells, FORMATS.count),
    ...(gathers ? [meanOf(runs, (run) => final(run)?.gathered_fraction, FORMATS.fraction)] : []),
    chosen ? 'yes' : '',
  ];
}

export const LEFT_OUT_COLUMNS = ['experiment', 'optimizer.name', 'optimizer.lr', 'seed', 'status', 'what happened', 'id'];

function whatHappened(run: RunResult, health: RunHealth): string {
  if (health === 'blown up') return `completed with test_mse ${FORMATS.significant(finalMetrics(run)?.test_mse ?? Number.NaN)}, train_loss ${FORMATS.significant(finalMetrics(run)?.train_loss ?? Number.NaN)}`;
  if (health === 'diverged') return `training loss NaN or infinite in epoch ${run.record?.diverged_epoch ?? '?'}`;
  if (health === 'failed') return (run.record?.error ?? 'failed').slice(0, 120);
  if (health === 'pending') return 'not run yet';
  return 'did not finish (interrupted or killed)';
}

/** Every run that is not in the means and charts, and why. */
export function leftOutTable(experiments: readonly ExperimentRuns[]): Table {
  const rows = experiments.flatMap((experiment) =>
    experiment.runs
      .map((run) => [run, healthOf(run)] as const)
      .filter(([, health]) => health !== 'completed')
      .map(([run, health]) => [experiment.ref.name, optimizerOf(run), formatValue(learningRateOf(run)), String(seedOf(run)), health, whatHappened(run, health), run.id]),
  );
  return { header: LEFT_OUT_COLUMNS, rows };
}

export const COUNTING_COLUMNS = ['experiment', 'optimizer.name', 'chosen lr', 'test error (%)', 'test_mse', 'dead_cells', 'test error - lazy-adam (points)'];

/** Does counting updates help? Each Adam variant at its chosen rate, beside lazy-adam, in the experiments given. */
export function countingTable(experiments: readonly ExperimentRuns[]): Table | null {
  const variants = ['adam', 'lazy-adam', ...COUNTING_OPTIMIZERS];
  const rows = experiments.flatMap((experiment) => {
    const lazy = chooseRate(experiment, 'lazy-adam');
    return variants.flatMap((optimizer) => {
      const choice = chooseRate(experiment, optimizer);
      return choice ? [countingRow(experiment.ref.name, choice, lazy)] : [];
    });
  });
  return rows.length ? { header: COUNTING_COLUMNS, rows } : null;
}

function countingRow(experiment: string, choice: Choice, lazy: Choice | null): string[] {
  const runs = [...choice.bySeed.values()];
  const difference = lazy && choice.optimizer !== 'lazy-adam' ? tInterval(errorDifference(choice, lazy)) : null;
  return [
    experiment,
    choice.optimizer,
    formatValue(choice.lr),
    errorCell(runs),
    meanOf(runs, (run) => finalMetrics(run)?.test_mse, FORMATS.significant),
    meanOf(runs, (run) => finalMetrics(run)?.dead_cells, FORMATS.count),
    difference ? describeInterval(difference, 'points').replace(' points', '') : '',
  ];
}
