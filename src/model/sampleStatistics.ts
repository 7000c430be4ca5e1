/**
 * Per-sample statistics of the row gradients, for `count-adam` (issue "Adam variants that
 * count updates"), computed on the entries of the training mask without the per-sample
 * gradients of all samples and cells ([B, n, D]).
 *
 * Sample i's own loss (the batch loss is the mean of the B of them) has, for row j of a
 * parameter, the gradient G_ij = sum_p u_p[i, j] v_p[i]: one term per path p through which
 * row j acts on the loss,
 *   encoder (pre = x W^T + b):  u = a = B dPre,  v = x            [D]
 *   decoder (y = h W_dec + c):  u = h,           v = e = B dyPre  [D]
 * (dPre, dyPre: the backward pass's batch-mean signals, hence the factor B). A tied W has
 * both paths, G_ij = a_ij x_i + h_ij e_i; an untied W the encoder path, W_dec the decoder
 * path, and the encoder bias b the encoder path with v = 1. With S_j the n_j samples whose
 * training mask holds cell j, each pair (i in S_j, j) is one entry of the mask, and
 *   n_j                   = sum over j's entries of keep (a lifetime entry the top k
 *                           already holds has keep = 0, and a = h = 0: it adds nothing)
 *   sum_{i in S_j} G_ij   = sum over j's entries of G_ij
 *   sum_{i in S_j} G_ij^2 = sum over j's entries of (a_ij x_i + h_ij e_i)^2
 * G_ij = B (dPre_ij x_i + h_ij dyPre_i) is formed, then squared (src/backend/sampleMoments.ts:
 * one pass over the entries' rows of x and dyPre, in float64 on cpu and wasm), so the sums
 * of squares are sums of non-negative squares, accurate however much the encoder and
 * decoder terms cancel. Expanding the square instead,
 * (M a)^2' x^2 + 2 (M a h)' (x e) + (M h)^2' e^2, loses every digit when they nearly
 * cancel and can come out negative (v < 0, sqrt(v) NaN).
 */
import * as tf from '@tensorflow/tfjs';
import { sampleMoments, type EntryTerm } from '../backend/sampleMoments';
import type { SampleStatistics } from '../optim/gradient';
import { sumBySlot } from './maskEntries';

/** The backward pass's signals at the entries of the training mask, on `cells` rows (the gathered A). */
export interface EntrySignals {
  x: tf.Tensor2D; // [B, D] the batch
  dyPre: tf.Tensor2D; // [B, D] d loss / d (h W_dec + c), a batch mean
  samples: tf.Tensor1D; // [n] int32, entry e's sample
  slots: tf.Tensor1D; // [n] int32, entry e's cell among the `cells` rows
  keep: tf.Tensor1D; // [n] 1, or 0 for an entry that repeats another
  dPre: tf.Tensor1D; // [n] d loss / d pre at the entry (batch mean), 0 where keep = 0
  h: tf.Tensor1D; // [n] the code value the decoder saw at the entry, 0 where keep = 0
  cells: number;
}

export interface ParamStatistics {
  W: SampleStatistics;
  b: SampleStatistics;
  W_dec?: SampleStatistics; // untied only
}

/** The statistics of W, b and (untied) W_dec on the entries' cells; call inside tf.tidy. */
export function sampleStatistics(s: EntrySignals, tied: boolean): ParamStatistics {
  const batch = s.x.shape[0];
  // The batch-mean signals; the kernel scales each G_e by B (in float64, not rounding the signals).
  const encoder: EntryTerm = { coef: s.dPre, src: s.x };
  const decoder: EntryTerm = { coef: s.h, src: s.dyPre };
  const bias: EntryTerm = { coef: s.dPre, src: tf.ones([batch, 1]) };
  const counts = sumBySlot(s.slots, s.keep, s.cells) as tf.Tensor1D; // [cells]
  const statisticsOf = (first: EntryTerm, second?: EntryTerm): SampleStatistics => {
    const { sum, squares } = sampleMoments(s.slots, s.samples, s.cells, batch, first, second);
    return { counts, sum, sumSquares: squares };
  };
  const b = statisticsOf(bias); // rows of one element: [cells, 1] -> [cells]
  const stats: ParamStatistics = {
    W: tied ? statisticsOf(encoder, decoder) : statisticsOf(encoder),
    b: { counts, sum: tf.reshape(b.sum, [-1]), sumSquares: tf.reshape(b.sumSquares, [-1]) },
  };
  if (!tied) stats.W_dec = statisticsOf(decoder);
  return stats;
}
