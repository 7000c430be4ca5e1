/**
 * Top-k selection per sample (SPEC.md §2). tf.topk has no gradient, so masks are built
 * here, outside any tape, and enter the backward pass as constants.
 */
import * as tf from '@tensorflow/tfjs';

/** Row-major (sample, cell) coordinates of each sample's winners: [B*k, 2] int32. */
function winnerCoordinates(indices: tf.Tensor2D): tf.Tensor2D {
  const [batch, k] = indices.shape;
  const rows = tf.range(0, batch, 1, 'int32').reshape([batch, 1]).tile([1, k]); // [B, k]
  return tf.stack([rows, indices], 2).reshape([batch * k, 2]) as tf.Tensor2D;
}

/**
 * Per-sample top-k mask: M[i, j] = 1 iff z[i, j] is among the k largest of row i.
 * Exactly k ones per row; ties go to the lower cell index (tf.topk's order).
 */
export function topKMask(z: tf.Tensor2D, k: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [batch, hidden] = z.shape;
    const { indices } = tf.topk(z, k); // [B, k]
    const ones = tf.ones([batch * k]);
    return tf.scatterND(winnerCoordinates(indices as tf.Tensor2D), ones, [batch, hidden]) as tf.Tensor2D;
  });
}

/** The k largest values per row and their cell indices: the sparse code of each sample. */
export function topKCode(z: tf.Tensor2D, k: number): { values: tf.Tensor2D; indices: tf.Tensor2D } {
  const { values, indices } = tf.topk(z, k);
  return { values: values as tf.Tensor2D, indices: indices as tf.Tensor2D };
}

/** Scatter sparse codes back into a dense [B, H] matrix of zeros and winners' values. */
export function denseFromCode(values: tf.Tensor2D, indices: tf.Tensor2D, hidden: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [batch, k] = values.shape;
    return tf.scatterND(winnerCoordinates(indices), values.reshape([batch * k]), [batch, hidden]) as tf.Tensor2D;
  });
}

/** Samples each cell keeps under lifetime sparsity: ceil(rate * B), at least 1 (SPEC.md §2). */
export function lifetimeSamples(rate: number, batch: number): number {
  return Math.min(batch, Math.max(1, Math.ceil(rate * batch)));
}

/**
 * Lifetime mask: L[i, j] = 1 iff sample i is among the `samples` most active samples of
 * cell j in the batch (ties to the lower sample index). With samples = 1 this is SPEC.md
 * §2's L[i, j] = [z[i, j] >= max_i' z[i', j]] up to ties.
 */
export function lifetimeMask(z: tf.Tensor2D, samples: number): tf.Tensor2D {
  return tf.tidy(() => tf.transpose(topKMask(tf.transpose(z) as tf.Tensor2D, samples)) as tf.Tensor2D);
}
