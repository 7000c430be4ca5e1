/**
 * The training mask as a dense [B, H] matrix (SPEC.md §2), written the direct way: the
 * reference the mask's entries (src/model/maskEntries.ts) and the sparse passes are
 * checked against.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../../src/config/schema';
import { lifetimeSamples, topKMask } from '../../src/model/topk';

/**
 * Lifetime mask: L[i, j] = 1 iff sample i is among the `samples` most active samples of
 * cell j in the batch (ties to the lower sample index).
 */
export function lifetimeMask(z: tf.Tensor2D, samples: number): tf.Tensor2D {
  return tf.tidy(() => tf.transpose(topKMask(tf.transpose(z) as tf.Tensor2D, samples)) as tf.Tensor2D);
}

/** The training mask: per-sample top-k, OR'ed with the lifetime mask when it is on. */
export function trainingMask(z: tf.Tensor2D, model: ModelConfig): tf.Tensor2D {
  const perSample = topKMask(z, model.k);
  if (!model.lifetime_sparsity) return perSample;
  return tf.maximum(perSample, lifetimeMask(z, lifetimeSamples(model.lifetime_rate, z.shape[0])));
}

/** The cells any sample's mask holds, ascending. */
export function maskedCells(mask: tf.Tensor2D): number[] {
  const used = tf.tidy(() => tf.max(mask, 0).dataSync()); // [H]
  return Array.from(used.keys()).filter((j) => used[j]! > 0);
}
