/** One optimizer step on one batch: loss and gradients in the configured mode, update. */
import * as tf from '@tensorflow/tfjs';
import type { Config } from '../config/schema';
import { lossAndGradients } from '../model/modes';
import type { Params } from '../model/params';
import type { Optimizer } from '../optim/optimizer';

export interface StepStats {
  loss: number; // the batch's training loss, before the update
  active_per_sample: number; // mean cells active per sample in h
  gathered_fraction: number | null; // |A| / H in the gather modes
  rows_changed_fraction: number; // fraction of W's rows the update changed
}

export function trainStep(params: Params, optimizer: Optimizer, x: tf.Tensor2D, config: Config): StepStats {
  const { loss, grads, activePerSample, gatheredCells } = tf.tidy(() => lossAndGradients(params, x, config));
  const { rowsChanged } = optimizer.step(params, grads);
  const stats: StepStats = {
    loss: loss.dataSync()[0]!,
    active_per_sample: activePerSample.dataSync()[0]!,
    gathered_fraction: config.train.mode === 'mask' ? null : gatheredCells / config.model.hidden,
    rows_changed_fraction: rowsChanged,
  };
  tf.dispose([loss, grads, activePerSample]);
  return stats;
}
