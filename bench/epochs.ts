/**
 * What a run pays per epoch: one training epoch and its evaluation on the full data (as
 * src/train/experiment.ts runs them), and the process's RSS after each of many epochs of a
 * small run (flat when nothing leaks: tensors, wasm heap, xnnpack operators).
 */
import type { Config } from '../src/config/schema';
import { firstN, type Dataset } from '../src/data/dataset';
import { createRng } from '../src/data/random';
import { evaluateModel } from '../src/eval/evaluate';
import { disposeParams, initParams } from '../src/model/params';
import { createOptimizer } from '../src/optim/optimizer';
import { runExperiment } from '../src/train/experiment';
import { trainEpoch } from '../src/train/epoch';

export interface EpochCost {
  train_seconds: number; // one epoch of training steps
  eval_seconds: number; // encodings of train and test, and the classifier
  eval_fraction: number; // eval_seconds / train_seconds
}

/** One epoch from the initial weights, then its evaluation. */
export async function epochCost(dataset: Dataset, config: Config): Promise<EpochCost> {
  const params = initParams(config.model, dataset.train.pixels, config.seed);
  const optimizer = createOptimizer(config.optimizer);
  try {
    const trained = await trainEpoch(params, optimizer, dataset.train, config, createRng(config.seed));
    const { eval_seconds } = evaluateModel(params, dataset, config);
    return { train_seconds: trained.seconds, eval_seconds, eval_fraction: eval_seconds / trained.seconds };
  } finally {
    optimizer.dispose();
    disposeParams(params);
  }
}

export interface RssAcrossEpochs {
  train_images: number;
  rss_mb: number[]; // after each epoch (training and evaluation)
  settled_epoch: number; // the epoch from which growth counts: a quarter in (the first epochs grow the heaps to their working size)
  growth_mb: number; // RSS after the last epoch minus after settled_epoch
}

/** RSS after each of `epochs` epochs of a run on the first `images` training images (evaluated every epoch). */
export async function rssAcrossEpochs(dataset: Dataset, config: Config, epochs: number, images: number): Promise<RssAcrossEpochs> {
  const small = { ...dataset, train: firstN(dataset.train, images), test: firstN(dataset.test, images / 4) };
  const run = { ...config, train: { ...config.train, epochs }, eval: { ...config.eval, every: 1 } };
  const params = initParams(run.model, small.train.pixels, run.seed);
  const rss: number[] = [];
  await runExperiment(run, small, params, { onEpochEnd: () => rss.push(process.memoryUsage().rss / 2 ** 20) });
  disposeParams(params);
  const settled = Math.max(1, Math.floor(epochs / 4));
  return { train_images: images, rss_mb: rss, settled_epoch: settled, growth_mb: rss[rss.length - 1]! - rss[settled - 1]! };
}
