/**
 * Top-k selection per sample (SPEC.md §2). tf.topk has no gradient, so masks and winner
 * lists are built here, outside any tape, and enter the backward pass as constants.
 */
import * as tf from '@tensorflow/tfjs';

/** Each row's winners as (row, column) pairs, row by row: [R*k] each, int32. */
export function winnerPairs(indices: tf.Tensor2D): { rows: tf.Tensor1D; columns: tf.Tensor1D } {
  const [count, k] = indices.shape;
  const rows = tf.tile(tf.reshape(tf.range(0, count, 1, 'int32'), [count, 1]), [1, k]); // [R, k]
  return { rows: tf.reshape(rows, [count * k]), columns: tf.reshape(indices, [count * k]) };
}

/** Row-major (sample, cell) coordinates of each sample's winners: [B*k, 2] int32. */
function winnerCoordinates(indices: tf.Tensor2D): tf.Tensor2D {
  const { rows, columns } = winnerPairs(indices);
  return tf.stack([rows, columns], 1) as tf.Tensor2D;
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
