/**
 * The report's charts as vega-lite specs, one panel per experiment: final test_error and
 * test_mse against optimizer.lr, and per-epoch train_loss and gathered_fraction at each
 * experiment's middle learning rate. Data are numbers (and the names of optimizers and
 * experiments) of completed runs only; colours follow optimizer.name in every chart.
 */
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
import type { Axis } from 'vega-lite/types_unstable/axis.js' with { 'resolution-mode': 'import' };
import type { Field } from 'vega-lite/types_unstable/channeldef.js' with { 'resolution-mode': 'import' };
import type { Scale } from 'vega-lite/types_unstable/scale.js' with { 'resolution-mode': 'import' };
import type { UnitSpec } from 'vega-lite/types_unstable/spec/unit.js' with { 'resolution-mode': 'import' };
import { learningRateOf, optimizerOf, settingOf, testErrorOf } from './columns';
import { finalMetrics, type ExperimentRuns, type MetricsColumn, type RunResult } from './read';
import { formatValue } from './tables';

export interface Chart {
  title: string;
  caption: string;
  spec: TopLevelSpec;
}

type Row = Record<string, string | number | null>;

/** What one chart plots: its rows, the panel each row belongs to, the y column and x axis. */
interface Plot {
  title: string;
  rows: Row[];
  panels: string[];
  optimizers: string[];
  /** log: for columns spanning decades (a diverging run's test_mse dwarfs the others). */
  y: { column: string; domain?: [number, number]; perPanel: boolean; log?: boolean };
  x: { field: string; title: string; scale: Scale; axis: Axis };
}

const PANEL_WIDTH = 240;
const PANEL_HEIGHT = 170;

export function reportCharts(experiments: readonly ExperimentRuns[]): Chart[] {
  const optimizers = [...new Set(experiments.flatMap((e) => completedRuns(e).map(optimizerOf)))].sort();
  const inGatherModes = experiments.filter((e) => completedRuns(e).some((run) => settingOf(run, 'train.mode') !== 'mask'));
  const charts = [
    learningRateChart(experiments, optimizers, 'test_error', 'Final test error (1 - test_accuracy) against learning rate'),
    learningRateChart(experiments, optimizers, 'test_mse', 'Final test reconstruction MSE against learning rate'),
    epochChart(experiments, optimizers, 'train_loss', 'Training loss per epoch'),
  ];
  if (inGatherModes.length > 0) {
    charts.push(epochChart(inGatherModes, optimizers, 'gathered_fraction', 'Fraction of cells gathered per epoch'));
  }
  return charts;
}

function learningRateChart(
  experiments: readonly ExperimentRuns[],
  optimizers: string[],
  column: 'test_error' | 'test_mse',
  title: string,
): Chart {
  const valueOf = (run: RunResult) => (column === 'test_error' ? testErrorOf(run) : (finalMetrics(run)?.test_mse ?? null));
  const rows = experiments.flatMap((experiment) =>
    completedRuns(experiment).map((run) => ({
      panel: experiment.ref.name,
      optimizer: optimizerOf(run),
      lr: learningRateOf(run),
      [column]: valueOf(run),
    })),
  );
  const plot: Plot = {
    title,
    rows,
    panels: experiments.map((e) => e.ref.name),
    optimizers,
    y: { column, perPanel: false, log: column === 'test_mse' },
    x: { field: 'lr', title: 'optimizer.lr', ...decadeAxis(rows.map((row) => Number(row.lr))) },
  };
  return {
    title,
    caption: `${column} of the last epoch's evaluation, one point per completed run, lines through the mean per optimizer.name.`,
    spec: facetSpec(plot, [
      { mark: { type: 'line' }, encoding: { y: { aggregate: 'mean', field: column, type: 'quantitative' } } },
      { mark: { type: 'point', filled: true, size: 40 }, encoding: { y: { field: column, type: 'quantitative' } } },
    ]),
  };
}

function epochChart(experiments: readonly ExperimentRuns[], optimizers: string[], column: MetricsColumn, title: string): Chart {
  const panelOf = (experiment: ExperimentRuns) => `${experiment.ref.name} (optimizer.lr = ${formatValue(middleLearningRate(experiment))})`;
  const rows = experiments.flatMap((experiment) => {
    const runs = completedRuns(experiment).filter((run) => learningRateOf(run) === middleLearningRate(experiment));
    return runs.flatMap((run) =>
      run.metrics.map((epoch) => ({ panel: panelOf(experiment), optimizer: optimizerOf(run), id: run.id, epoch: epoch.epoch, [column]: epoch[column] })),
    );
  });
  const fraction = column === 'gathered_fraction';
  const plot: Plot = {
    title,
    rows,
    panels: experiments.map(panelOf),
    optimizers,
    y: fraction ? { column, domain: [0, 1], perPanel: false } : { column, perPanel: true },
    x: { field: 'epoch', title: 'epoch', scale: { zero: false }, axis: { format: 'd', tickMinStep: 1 } },
  };
  return {
    title,
    caption:
      `${column} per epoch, one line per completed run, at each experiment's middle learning rate ` +
      `(the median of its optimizer.lr values, named in the panel)${fraction ? '' : '; each panel has its own y scale'}.`,
    spec: facetSpec(plot, [{ mark: { type: 'line', point: true }, encoding: { detail: { field: 'id', type: 'nominal' } } }]),
  };
}

function completedRuns(experiment: ExperimentRuns): RunResult[] {
  return experiment.runs.filter((run) => run.status === 'completed');
}

/** The median of the experiment's learning rates (the lower middle one of an even count). */
export function middleLearningRate(experiment: ExperimentRuns): number {
  const rates = [...new Set(completedRuns(experiment).map(learningRateOf))].sort((a, b) => a - b);
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

function yScale(plot: Plot): Scale {
  if (plot.y.log) return { type: 'log' };
  return plot.y.domain ? { domain: plot.y.domain } : { zero: false };
}

/** Panels side by side (three a row), each with its own x axis on a shared scale; `layers` add their marks and y. */
function facetSpec(plot: Plot, layers: UnitSpec<Field>[]): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: plot.title, anchor: 'start', fontSize: 15, offset: 12 },
    data: { values: plot.rows.filter((row) => row[plot.y.column] !== null) },
    facet: { field: 'panel', type: 'nominal', sort: plot.panels, header: { title: null, labelFontSize: 13, labelFontWeight: 'bold' } },
    columns: Math.min(3, plot.panels.length),
    spec: {
      width: PANEL_WIDTH,
      height: PANEL_HEIGHT,
      encoding: {
        x: { field: plot.x.field, type: 'quantitative', title: plot.x.title, scale: plot.x.scale, axis: plot.x.axis },
        y: { field: plot.y.column, type: 'quantitative', title: plot.y.log ? `${plot.y.column} (log scale)` : plot.y.column, scale: yScale(plot) },
        color: { field: 'optimizer', type: 'nominal', title: 'optimizer.name', scale: { domain: plot.optimizers, scheme: 'tableau10' } },
      },
      layer: layers,
    },
    resolve: { scale: { y: plot.y.perPanel ? 'independent' : 'shared' }, axis: { x: 'independent' } },
    config: { font: 'Helvetica, Arial, sans-serif', axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 12, labelLimit: 240 } },
  };
}
