/**
 * Per-sample statistics of the row gradients, for `count-adam` (issue "Adam variants that
 * count updates"), computed without the per-sample gradients themselves ([B, n, D]).
 *
 * Sample i's own loss (the batch loss is the mean of the B of them) has, for row j of a
 * parameter, the gradient G_ij = sum_p u_p[i, j] v_p[i]: one term per path p through which
 * row j acts on the loss,
 *   encoder (pre = x W^T + b):  u = a = B dPre  [B, n],  v = x           [B, D]
 *   decoder (y = h W_dec + c):  u = h           [B, n],  v = e = B dyPre [B, D]
 * (dPre, dyPre: the backward pass's batch-mean signals, hence the factor B). A tied W has
 * both paths, an untied W the encoder path, W_dec the decoder path, and the encoder bias b
 * the encoder path with v = 1. With M the training mask on the n cells ([B, n], 0/1) and
 * S_j = { i : M[i, j] = 1 }:
 *   n_j                   = sum_i M[i, j]
 *   sum_{i in S_j} G_ij   = sum_p (M∘u_p)^T v_p
 *   sum_{i in S_j} G_ij^2 = sum_p ((M∘u_p)^2)^T v_p^2 + 2 sum_{p<q} (M∘u_p∘u_q)^T (v_p∘v_q)
 * (squares elementwise; M∘M = M). Each line is one matMul of the terms stacked over the
 * batch axis: [n, T B] x [T B, D].
 */
import * as tf from '@tensorflow/tfjs';
import type { SampleStatistics } from '../optim/gradient';
import type { ErrorSignals } from './autoencoder';

/** What the statistics are made of, all restricted to the same n cells. */
export interface StatisticsInput {
  x: tf.Tensor2D; // [B, D] the batch
  mask: tf.Tensor2D; // [B, n] the training mask M on the n cells
  h: tf.Tensor2D; // [B, n] the code the decoder saw
  signals: ErrorSignals; // dPre [B, n], dyPre [B, D]
}

export interface ParamStatistics {
  W: SampleStatistics;
  b: SampleStatistics;
  W_dec?: SampleStatistics; // untied only
}

/** One path: row j of sample i's gradient gets perCell[i, j] * perSample[i]. */
type Path = { perCell: tf.Tensor2D; perSample: tf.Tensor2D }; // [B, n], [B, R]

/** sum_t weights_t^T vectors_t as one product of the stacked terms: [n, R]. */
function sumOverSamples(weights: tf.Tensor2D[], vectors: tf.Tensor2D[]): tf.Tensor2D {
  const stackedT = tf.transpose(tf.concat(weights, 0)); // [n, T B]
  return tf.matMul(stackedT, tf.concat(vectors, 0)) as tf.Tensor2D; // [n, R]
}

function statisticsOf(mask: tf.Tensor2D, counts: tf.Tensor1D, paths: Path[]): SampleStatistics {
  const masked = paths.map((p) => tf.mul(mask, p.perCell) as tf.Tensor2D); // M∘u_p [B, n]
  const squareWeights: tf.Tensor2D[] = [];
  const squareVectors: tf.Tensor2D[] = [];
  paths.forEach((p, i) => {
    paths.slice(i).forEach((q, k) => {
      const twice = k === 0 ? 1 : 2; // a cross term stands for (p, q) and (q, p)
      squareWeights.push(tf.mul(tf.mul(masked[i]!, masked[i + k]!), twice) as tf.Tensor2D);
      squareVectors.push(tf.mul(p.perSample, q.perSample) as tf.Tensor2D);
    });
  });
  return {
    counts,
    sum: sumOverSamples(masked, paths.map((p) => p.perSample)),
    sumSquares: sumOverSamples(squareWeights, squareVectors),
  };
}

/** A bias's statistics: its rows are scalars, [n, 1] -> [n]. */
function asVector(stats: SampleStatistics): SampleStatistics {
  return { counts: stats.counts, sum: tf.reshape(stats.sum, [-1]), sumSquares: tf.reshape(stats.sumSquares, [-1]) };
}

/** The statistics of W, b and (untied) W_dec on the n cells; call inside tf.tidy. */
export function sampleStatistics(input: StatisticsInput, tied: boolean): ParamStatistics {
  const { x, mask, h, signals } = input;
  const batch = x.shape[0];
  const encoder: Path = { perCell: tf.mul(signals.dPre, batch) as tf.Tensor2D, perSample: x };
  const decoder: Path = { perCell: h, perSample: tf.mul(signals.dyPre, batch) as tf.Tensor2D };
  const bias: Path = { perCell: encoder.perCell, perSample: tf.ones([batch, 1]) };
  const counts = tf.sum(mask, 0) as tf.Tensor1D; // [n]
  const stats: ParamStatistics = {
    W: statisticsOf(mask, counts, tied ? [encoder, decoder] : [encoder]),
    b: asVector(statisticsOf(mask, counts, [bias])),
  };
  if (!tied) stats.W_dec = statisticsOf(mask, counts, [decoder]);
  return stats;
}
