/**
 * Training-step timing: median ms per step for each mode x optimizer on a backend, with
 * the default model (H = 1000, k = 25, B = 100) on real images.
 */
import * as tf from '@tensorflow/tfjs';
import type { Config } from '../src/config/schema';
import type { Split } from '../src/data/dataset';
import { initParams, disposeParams } from '../src/model/params';
import { createOptimizer } from '../src/optim/optimizer';
import { fillBatch, inOrder } from '../src/train/batches';
import { trainStep } from '../src/train/step';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median wall time of `steps` training steps after `warmup` untimed ones. */
export function timeSteps(config: Config, split: Split, warmup: number, steps: number): number {
  const params = initParams(config.model, split.pixels, config.seed);
  const optimizer = createOptimizer(config.optimizer);
  const batchSize = config.train.batch_size;
  const order = inOrder(split.count);
  const batch = new Float32Array(batchSize * split.pixels);
  const times: number[] = [];
  const batches = Math.floor(split.count / batchSize);
  for (let step = 0; step < warmup + steps; step++) {
    fillBatch(split, order, step % batches, batch);
    const x = tf.tensor2d(batch, [batchSize, split.pixels]);
    const start = performance.now();
    trainStep(params, optimizer, x, config);
    if (step >= warmup) times.push(performance.now() - start);
    x.dispose();
  }
  optimizer.dispose();
  disposeParams(params);
  return median(times);
}
