/**
 * How the report tells optimizers apart and names what it plots. Colours are Okabe & Ito's
 * colour-blind-safe palette ("Color Universal Design", 2008), one per optimizer, and each
 * optimizer also has its own point shape, so no pair depends on hue alone. Axis titles are
 * words, with the column they plot in the captions.
 */
import type { OptimizerConfig } from '../config/schema';

type OptimizerName = OptimizerConfig['name'];

export const OPTIMIZER_STYLE: Record<OptimizerName, { colour: string; shape: string }> = {
  adam: { colour: '#0072B2', shape: 'circle' }, // blue
  'adam-tf-sparse': { colour: '#56B4E9', shape: 'square' }, // sky blue
  'lazy-adam': { colour: '#D55E00', shape: 'triangle-up' }, // vermillion
  'lazy-adam-rowstep': { colour: '#E69F00', shape: 'diamond' }, // orange
  'count-adam': { colour: '#009E73', shape: 'cross' }, // bluish green
  sgd: { colour: '#CC79A7', shape: 'triangle-down' }, // reddish purple
  adagrad: { colour: '#000000', shape: 'triangle-right' }, // black
};

/** The optimizers in palette order (the legend's order). */
export function paletteOrder(optimizers: readonly string[]): OptimizerName[] {
  return (Object.keys(OPTIMIZER_STYLE) as OptimizerName[]).filter((name) => optimizers.includes(name));
}

/** What a plotted column is, in words, for axis titles. */
export const AXIS_TITLES = {
  lr: 'Learning rate',
  epoch: 'Epoch',
  test_error: 'Test error (%)',
  test_mse: 'Test reconstruction MSE',
  dead_cells: 'Dead cells',
  train_loss: 'Training loss (MSE)',
  gathered_fraction: 'Fraction of cells gathered',
} as const;
