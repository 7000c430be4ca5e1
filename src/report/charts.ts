/**
 * The report's charts as vega-lite specs, one panel per experiment: the seed means of the
 * final test error, test MSE and dead cells against optimizer.lr with 95% t-interval error
 * bars over seeds, the per-epoch training loss and fraction gathered of each run at each
 * experiment's middle learning rate, and the F4 responses (responseChart.ts). Only healthy
 * runs (health.ts) are on the scales; a run that diverged or blew up is a ▼ at the top of
 * its panel. Series that coincide (overlaps.ts) are named in their panel and the legend.
 */
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
import type { Axis } from 'vega-lite/types_unstable/axis.js' with { 'resolution-mode': 'import' };
import type { Scale } from 'vega-lite/types_unstable/scale.js' with { 'resolution-mode': 'import' };
import { FLAG_LAYER, POINTS, facetSpec, type Layer, type Row } from './chartSpec';
import { learningRateOf, optimizerOf, seedOf, testErrorOf } from './columns';
import { healthOf, isHealthy } from './health';
import { describeOverlap, findOverlaps, type Series } from './overlaps';
import { AXIS_TITLES, paletteOrder } from './palette';
import { finalMetrics, type ExperimentRuns, type MetricsColumn, type RunResult } from './read';
import { responseCharts } from './responseChart';
import { ratePoints } from './seeds';
import { CONFIDENCE, mean, tInterval } from './statistics';
import { formatValue } from './tables';

export interface Chart {
  title: string;
  caption: string;
  spec: TopLevelSpec;
}

type RateColumn = 'test_error' | 'test_mse' | 'dead_cells';

const RATE_VALUES: Record<RateColumn, { value: (run: RunResult) => number | null; title: string; what: string }> = {
  test_error: { value: (run) => (testErrorOf(run) === null ? null : 100 * testErrorOf(run)!), title: 'Final test error against learning rate', what: 'test error (1 - test_accuracy, in %)' },
  test_mse: { value: (run) => finalMetrics(run)?.test_mse ?? null, title: 'Final test reconstruction MSE against learning rate', what: 'test_mse' },
  dead_cells: { value: (run) => finalMetrics(run)?.dead_cells ?? null, title: 'Dead cells against learning rate', what: 'dead_cells (cells in no training image\'s top alpha*k code)' },
};

export function reportCharts(experiments: readonly ExperimentRuns[]): Chart[] {
  const optimizers = paletteOrder([...new Set(experiments.flatMap((e) => e.runs.map(optimizerOf)))]);
  const inGatherModes = experiments.filter((e) => e.runs.some((run) => run.config?.train.mode !== undefined && run.config.train.mode !== 'mask'));
  return [
    rateChart(experiments, optimizers, 'test_error'),
    rateChart(experiments, optimizers, 'test_mse'),
    rateChart(experiments, optimizers, 'dead_cells'),
    ...responseCharts(experiments, optimizers),
    epochChart(experiments, optimizers, 'train_loss', 'Training loss per epoch'),
    ...(inGatherModes.length > 0 ? [epochChart(inGatherModes, optimizers, 'gathered_fraction', 'Fraction of cells gathered per epoch')] : []),
  ];
}

/** Notes on a panel's coinciding series: under its name, and in the legend for each hidden optimizer. */
function noteOverlaps(
  panel: string,
  experiment: string,
  series: ReadonlyMap<string, Series>,
  notes: { panels: Map<string, string[]>; legend: Map<string, string[]> },
): void {
  const overlaps = findOverlaps(series);
  if (overlaps.length) notes.panels.set(panel, ['on top of each other:', ...overlaps.flatMap((overlap) => wrap(describeOverlap(overlap)))]);
  for (const [first, ...others] of overlaps.map((overlap) => overlap.optimizers)) {
    for (const other of others) notes.legend.set(other, [...(notes.legend.get(other) ?? []), `${overlaps.find((o) => o.optimizers.includes(other))!.identical ? '=' : '≈'} ${first} in ${experiment}`]);
  }
}

/** A note broken after its `=` or `≈` signs into lines of at most LINE characters (panel headers are narrow). */
const LINE = 24;
function wrap(text: string): string[] {
  const lines: string[] = [];
  for (const word of text.split(/(?<= [=≈]) /)) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + word.length + 1 <= LINE) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

const newNotes = () => ({ panels: new Map<string, string[]>(), legend: new Map<string, string[]>() });

function legendNotes(legend: ReadonlyMap<string, string[]>): Map<string, string> {
  return new Map([...legend].map(([name, notes]) => [name, `${name} (${notes.join('; ')})`]));
}

function rateChart(experiments: readonly ExperimentRuns[], optimizers: string[], column: RateColumn): Chart {
  const { value, title, what } = RATE_VALUES[column];
  const rows: Row[] = [];
  const notes = newNotes();
  let seeds = 0;
  for (const experiment of experiments) {
    const panel = experiment.ref.name;
    const series = new Map<string, Map<string, number>>();
    for (const optimizer of optimizers) {
      for (const point of ratePoints(experiment, optimizer)) {
        const values = [...point.bySeed].map(([seed, run]) => [seed, value(run)] as const).filter((v): v is readonly [number, number] => v[1] !== null);
        for (const [seed, v] of values) series.set(optimizer, (series.get(optimizer) ?? new Map()).set(`${point.lr}/${seed}`, v));
        if (values.length) {
          const interval = tInterval(values.map(([, v]) => v));
          seeds = Math.max(seeds, values.length);
          rows.push({ kind: 'point', panel, optimizer, lr: point.lr, mean: mean(values.map(([, v]) => v)), low: interval?.low ?? null, high: interval?.high ?? null, seeds: values.length });
        }
        for (const run of point.runs.filter((r) => ['diverged', 'blown up'].includes(healthOf(r)))) {
          rows.push({ kind: 'flag', panel, optimizer, lr: point.lr, flag: healthOf(run) });
        }
      }
    }
    noteOverlaps(panel, experiment.ref.name, series, notes);
  }
  const errorBars: Layer = {
    transform: [...POINTS, { filter: 'datum.low !== null' }],
    mark: { type: 'errorbar', ticks: { size: 8 } },
    encoding: { y: { field: 'low', type: 'quantitative', title: AXIS_TITLES[column] }, y2: { field: 'high' } },
  };
  const layers: Layer[] = [
    { transform: POINTS, mark: { type: 'line' } },
    errorBars,
    { transform: POINTS, mark: { type: 'point', filled: true, size: 55, opacity: 0.9 } },
    FLAG_LAYER,
  ];
  const spec = facetSpec({
    title,
    rows,
    panels: experiments.map((e) => e.ref.name),
    optimizers,
    x: { field: 'lr', title: AXIS_TITLES.lr, ...decadeAxis(rows.map((row) => Number(row.lr)).filter(Number.isFinite)) },
    y: { field: 'mean', title: AXIS_TITLES[column], scale: { zero: column === 'dead_cells' }, perPanel: false },
    layers,
    panelNotes: notes.panels,
    legendNotes: legendNotes(notes.legend),
  });
  const bars = seeds > 1 ? `error bars: ${100 * CONFIDENCE}% t-interval of the mean over seeds` : 'one seed, so no error bars';
  return {
    title,
    caption:
      `Mean over seeds of the final ${what} at each optimizer.lr, per optimizer.name (${bars}). ` +
      '▼ at the top of a panel: a run at that rate diverged or blew up; it is kept off the scale and listed under "Runs left out". ' +
      'Series drawn on top of each other are named under the panel\'s title and in the legend (= identical, ≈ within 1% of the axis).',
    spec,
  };
}

function epochChart(experiments: readonly ExperimentRuns[], optimizers: string[], column: MetricsColumn, title: string): Chart {
  const panelOf = (experiment: ExperimentRuns) => `${experiment.ref.name} (lr ${formatValue(middleLearningRate(experiment))})`;
  const rows: Row[] = [];
  const notes = newNotes();
  for (const experiment of experiments) {
    const panel = panelOf(experiment);
    const runs = experiment.runs.filter((run) => isHealthy(run) && learningRateOf(run) === middleLearningRate(experiment));
    const series = new Map<string, Map<string, number>>();
    for (const run of runs) {
      for (const epoch of run.metrics) {
        const value = epoch[column];
        if (value === null) continue;
        rows.push({ kind: 'point', panel, optimizer: optimizerOf(run), id: run.id, epoch: epoch.epoch, value });
        series.set(optimizerOf(run), (series.get(optimizerOf(run)) ?? new Map()).set(`${seedOf(run)}/${epoch.epoch}`, value));
      }
    }
    noteOverlaps(panel, experiment.ref.name, series, notes);
  }
  const fraction = column === 'gathered_fraction';
  const spec = facetSpec({
    title,
    rows,
    panels: experiments.map(panelOf),
    optimizers,
    x: { field: 'epoch', title: AXIS_TITLES.epoch, scale: { zero: false }, axis: { format: 'd', tickMinStep: 1 } },
    y: { field: 'value', title: fraction ? AXIS_TITLES.gathered_fraction : AXIS_TITLES.train_loss, scale: fraction ? { domain: [0, 1] } : { zero: false }, perPanel: !fraction },
    layers: [
      { transform: POINTS, mark: { type: 'line', strokeWidth: 1.5 }, encoding: { detail: { field: 'id', type: 'nominal' } } },
      { transform: POINTS, mark: { type: 'point', filled: true, size: 40 } },
    ],
    panelNotes: notes.panels,
    legendNotes: legendNotes(notes.legend),
  });
  return {
    title,
    caption:
      `${column} per epoch, one line per healthy run (each seed), at each experiment's middle learning rate ` +
      `(the median of its optimizer.lr values, named in the panel)${fraction ? '' : '; each panel has its own y scale'}. ` +
      'Series drawn on top of each other are named under the panel\'s title and in the legend (= identical, ≈ within 1% of the axis).',
    spec,
  };
}

/** The median of the experiment's learning rates with a healthy run (the lower middle one of an even count). */
export function middleLearningRate(experiment: ExperimentRuns): number {
  const rates = [...new Set(experiment.runs.filter(isHealthy).map(learningRateOf))].sort((a, b) => a - b);
  return rates[Math.floor((rates.length - 1) / 2)] ?? Number.NaN;
}

/** A log scale from the power of ten below the smallest value to the one above the largest, ticks at each (1e-4). */
function decadeAxis(values: readonly number[]): { scale: Scale; axis: Axis } {
  if (values.length === 0) return { scale: { type: 'log' }, axis: {} };
  const from = Math.floor(Math.log10(Math.min(...values)));
  const to = Math.max(from + 1, Math.ceil(Math.log10(Math.max(...values))));
  const decades = Array.from({ length: to - from + 1 }, (_, i) => 10 ** (from + i));
  return { scale: { type: 'log', domain: [10 ** from, 10 ** to] }, axis: { values: decades, format: '.0e' } };
}
