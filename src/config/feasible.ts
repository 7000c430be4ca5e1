/**
 * What can be refused before anything runs or is written: the constraints between a config's
 * settings, and between the config and the size of its data, that the schema (one field at a
 * time) cannot see. The first problem, in the schema's order of fields, is a usage error
 * `<source>: <field>: <why, with the numbers>`.
 *
 * The data's part: the autoencoder trains on the whole training split in batches of
 * train.batch_size, the last incomplete one dropped, so floor(train / B) >= 1 steps per
 * epoch; the classifier holds out the last ceil(validation_fraction * train) training images
 * to choose its L2 and fits the rest, so both parts need an image; the test split is scored.
 */
import { usageError } from '../errors';
import { maxHidden, type Config, type DataConfig, type ModelConfig } from './schema';

/** Images in each split, after data.train_limit and data.test_limit. */
export interface SplitSizes {
  readonly train: number;
  readonly test: number;
}

/** Cells each image keeps at test time (SPEC.md §2): alpha * k, rounded; 1 ..= hidden here. */
export function testActiveCells(model: ModelConfig): number {
  return Math.round(model.alpha * model.k);
}

/** A training split of `count` images as the classifier divides it: the last `held` choose its L2. */
export function validationSplit(fraction: number, count: number): { fit: number; held: number } {
  const held = Math.ceil(fraction * count);
  return { fit: count - held, held };
}

/** The config's settings against each other and against the data's split sizes. */
export function checkFeasible(config: Config, sizes: SplitSizes, source: string): void {
  const problem = dataProblem(config, sizes) ?? modelProblem(config.model) ?? batchProblem(config, sizes);
  if (problem !== null) throw usageError(`${source}: ${problem}`);
}

/** Only the settings against each other: what can be checked without the data. */
export function checkSettings(config: Config, source: string): void {
  const problem = modelProblem(config.model);
  if (problem !== null) throw usageError(`${source}: ${problem}`);
}

function dataProblem({ data }: Config, sizes: SplitSizes): string | null {
  if (sizes.train < 1) return 'data: the training split has no images';
  if (sizes.test < 1) return 'data: the test split has no images, so there is nothing to measure test accuracy and MSE on';
  const { fit, held } = validationSplit(data.validation_fraction, sizes.train);
  if (fit >= 1 && held >= 1) return null;
  return (
    `data.validation_fraction: ${data.validation_fraction} of ${trainImages(data, sizes.train)} holds out ` +
    `ceil(${data.validation_fraction} * ${sizes.train}) = ${held} to choose the classifier's L2 and leaves ${fit} to fit it; ` +
    'both need at least 1'
  );
}

function modelProblem(model: ModelConfig): string | null {
  const { hidden, k, alpha } = model;
  if (k > hidden) return `model.k: ${k} active cells per sample, more than the ${hidden} of model.hidden`;
  const active = testActiveCells(model);
  if (active < 1 || active > hidden) {
    return `model.alpha: round(${alpha} * k ${k}) = ${active} cells per image at test time; it must be 1 to model.hidden (${hidden})`;
  }
  if (!model.tied && hidden > maxHidden(2)) {
    return (
      `model.hidden: ${hidden} cells with model.tied false: W and W_dec, each with its gradient and two moments, ` +
      `fit the wasm heap only up to ${maxHidden(2)} cells`
    );
  }
  if (!model.lifetime_sparsity && model.lifetime_rate !== 0) {
    return `model.lifetime_rate: ${model.lifetime_rate} has no effect with model.lifetime_sparsity false (set it true, or leave the rate at 0)`;
  }
  return null;
}

function batchProblem({ data, train }: Config, sizes: SplitSizes): string | null {
  if (train.batch_size <= sizes.train) return null;
  return (
    `train.batch_size: ${train.batch_size} is more than the ${trainImages(data, sizes.train)}, so an epoch would ` +
    'train no step (the last incomplete batch is dropped)'
  );
}

/** "the 50 training images (data.train_limit 50)": where a small training split comes from. */
function trainImages(data: DataConfig, count: number): string {
  const limited = data.train_limit === count ? ` (data.train_limit ${data.train_limit})` : '';
  return `${count} training images${limited}`;
}
