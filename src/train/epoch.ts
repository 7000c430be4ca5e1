/** One pass over the training split: seeded order, one optimizer step per batch. */
import * as tf from '@tensorflow/tfjs';
import type { Config } from '../config/schema';
import { shuffledIndices } from '../data/random';
import type { Split } from '../data/dataset';
import type { Params } from '../model/params';
import type { Optimizer } from '../optim/optimizer';
import { batchCount, fillBatch, inOrder } from './batches';
import { trainStep, type StepStats } from './step';

export interface StepReport {
  step: number; // 1-based, within the epoch
  steps: number; // steps in this epoch
  loss: number; // this batch's training loss
  train_loss: number; // running mean over the epoch so far
  samples_per_second: number;
}

export interface EpochResult {
  train_loss: number; // mean training loss over the epoch's steps (training encoding)
  active_per_sample: number; // mean over steps of the cells active per training sample
  gathered_fraction: number | undefined; // mean over steps of |A| / H (gather modes only)
  rows_changed_fraction: number; // mean over steps of the fraction of W's rows changed
  seconds: number; // wall time of the training steps
  samples_per_second: number;
  /** The epoch stopped at a step whose loss was NaN or infinite (SPEC.md §5: divergence). */
  diverged: boolean;
}

/** Running sums of the per-step statistics. */
function createTotals() {
  const totals = { loss: 0, active: 0, gathered: 0, rowsChanged: 0, steps: 0 };
  return {
    add(stats: StepStats) {
      totals.loss += stats.loss;
      totals.active += stats.active_per_sample;
      totals.gathered += stats.gathered_fraction ?? Number.NaN;
      totals.rowsChanged += stats.rows_changed_fraction;
      totals.steps += 1;
    },
    meanLoss: () => totals.loss / totals.steps,
    steps: () => totals.steps,
    means: () => ({
      train_loss: totals.loss / totals.steps,
      active_per_sample: totals.active / totals.steps,
      gathered_fraction: Number.isNaN(totals.gathered) ? undefined : totals.gathered / totals.steps,
      rows_changed_fraction: totals.rowsChanged / totals.steps,
    }),
  };
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
  signal?: AbortSignal,
): Promise<EpochResult> {
  const batchSize = config.train.batch_size;
  const steps = batchCount(split, batchSize);
  const order = config.train.shuffle ? shuffledIndices(split.count, rng) : inOrder(split.count);
  const batch = new Float32Array(batchSize * split.pixels); // reused: one copy per step
  const start = performance.now();
  const totals = createTotals();
  let diverged = false;
  for (let step = 0; step < steps && !diverged; step++) {
    signal?.throwIfAborted(); // an interrupted epoch is discarded, never half-recorded
    fillBatch(split, order, step, batch);
    const x = tf.tensor2d(batch, [batchSize, split.pixels]);
    const stats = trainStep(params, optimizer, x, config);
    x.dispose();
    totals.add(stats);
    diverged = !Number.isFinite(stats.loss);
    const seconds = (performance.now() - start) / 1000;
    onStep?.({
      step: step + 1,
      steps,
      loss: stats.loss,
      train_loss: totals.meanLoss(),
      samples_per_second: ((step + 1) * batchSize) / seconds,
    });
    await yieldToEventLoop();
  }
  const seconds = (performance.now() - start) / 1000;
  return { ...totals.means(), seconds, samples_per_second: (totals.steps() * batchSize) / seconds, diverged };
}
