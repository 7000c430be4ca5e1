/** One optimizer step on one batch: forward, hand-written backward, update. */
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../config/schema';
import { maskBackward, maskForward } from '../model/maskMode';
import type { Params } from '../model/params';
import type { Optimizer } from '../optim/optimizer';

/** Returns the batch's training loss (training encoding, before the update). */
export function trainStep(params: Params, optimizer: Optimizer, x: tf.Tensor2D, model: ModelConfig): number {
  const { loss, grads } = tf.tidy(() => {
    const fwd = maskForward(params, x, model);
    return { loss: fwd.loss, grads: maskBackward(params, x, fwd, model) };
  });
  optimizer.step(params, grads);
  const value = loss.dataSync()[0]!;
  tf.dispose([loss, grads]);
  return value;
}
