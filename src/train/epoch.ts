/** One pass over the training split: seeded order, one optimizer step per batch. */
import * as tf from '@tensorflow/tfjs';
import type { Config } from '../config/schema';
import { shuffledIndices } from '../data/random';
import type { Split } from '../data/dataset';
import type { Params } from '../model/params';
import type { Optimizer } from '../optim/optimizer';
import { batchCount, fillBatch, inOrder } from './batches';
import { trainStep } from './step';

export interface StepReport {
  step: number; // 1-based, within the epoch
  steps: number; // steps in this epoch
  loss: number; // this batch's training loss
  train_loss: number; // running mean over the epoch so far
  samples_per_second: number;
}

export interface EpochResult {
  train_loss: number; // mean training loss over the epoch's steps (training encoding)
  seconds: number; // wall time of the training steps
  samples_per_second: number;
}

/** Let timers, progress redraws and signal handlers run between steps. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function trainEpoch(
  params: Params,
  optimizer: Optimizer,
  split: Split,
  config: Config,
  rng: () => number,
  onStep?: (report: StepReport) => void,
): Promise<EpochResult> {
  const batchSize = config.train.batch_size;
  const steps = batchCount(split, batchSize);
  const order = config.train.shuffle ? shuffledIndices(split.count, rng) : inOrder(split.count);
  const batch = new Float32Array(batchSize * split.pixels); // reused: one copy per step
  const start = performance.now();
  let lossSum = 0;
  for (let step = 0; step < steps; step++) {
    fillBatch(split, order, step, batch);
    const x = tf.tensor2d(batch, [batchSize, split.pixels]);
    const loss = trainStep(params, optimizer, x, config.model);
    x.dispose();
    lossSum += loss;
    const seconds = (performance.now() - start) / 1000;
    onStep?.({
      step: step + 1,
      steps,
      loss,
      train_loss: lossSum / (step + 1),
      samples_per_second: ((step + 1) * batchSize) / seconds,
    });
    await yieldToEventLoop();
  }
  const seconds = (performance.now() - start) / 1000;
  return { train_loss: lossSum / steps, seconds, samples_per_second: (steps * batchSize) / seconds };
}
