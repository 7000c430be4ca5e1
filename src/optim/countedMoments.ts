/**
 * Adam with a count per row: the one update `lazy-adam-rowstep` and `count-adam` make
 * (issue "Adam variants that count updates"). Row j receives n_j >= 1 observations this
 * step, given as their sum and sum of squares (SampleStatistics, src/optim/gradient.ts):
 *   m_j <- b1^n_j m_j + (1 - b1^n_j) mean_j,        mean_j = sum_j / n_j
 *   v_j <- b2^n_j v_j + (1 - b2^n_j) meanSquare_j,  meanSquare_j = sumSquares_j / n_j
 *   c_j <- c_j + n_j
 *   W_j <- W_j - alpha(c_j) m_j / (sqrt(v_j) + eps_hat),  alpha(c) = lr sqrt(1 - b2^c) / (1 - b1^c)
 * That is Adam in TensorFlow's epsilon form (SPEC.md §4) with the global t replaced by the
 * row's count c_j: FBGEMM's row-wise bias correction (pytorch/FBGEMM,
 * use_rowwise_bias_correction). One observation per row (n_j = 1, sum = g_j) is
 * `lazy-adam-rowstep`; on a row touched at every step it is Adam's step.
 * The issue writes count-adam's last line as lr m_hat / (sqrt(v_hat) + eps), PyTorch's
 * form; it equals this one with eps = eps_hat / sqrt(1 - b2^c_j). TF's form is kept so
 * that every Adam here shares one epsilon convention, as SPEC.md §4 asks.
 * All functions here create tensors: call them inside tf.tidy.
 */
import * as tf from '@tensorflow/tfjs';
import { applyAdamUpdate, zeroMoments, type AdamHyper, type Moments } from './adam';
import type { SampleStatistics } from './gradient';
import { rowCount } from './rows';
import type { ParamState } from './rule';

export type CountedMoments = Moments & {
  count: tf.Tensor; // [rows] c_j, observations of row j so far (float32: exact up to 2^24)
};

export function zeroCountedMoments(param: tf.Tensor): CountedMoments {
  return { ...zeroMoments(param), count: tf.zeros([rowCount(param)]) };
}

/** The batch gradient g ([n, ...row]) as one observation of each of its rows. */
export function oneObservation(g: tf.Tensor): SampleStatistics {
  return { counts: tf.ones([rowCount(g)]), sum: g, sumSquares: tf.square(g) };
}

/**
 * 1 - b^n elementwise, for b in [0, 1) and n >= 1, as -expm1(n ln b). float32's
 * 1 - pow(b, n) is off by about 1e-5 relative for b = 0.999 (b itself rounds by 1.3e-8,
 * which n multiplies and 1 - b^n ~ 0.001 n divides); expm1 stays within 1e-7 (measured on
 * cpu and wasm for n = 1 to 10^4).
 */
function oneMinusPower(base: number, n: tf.Tensor): tf.Tensor {
  return tf.neg(tf.expm1(tf.mul(n, Math.log(base))));
}

/** A per-row value [n] shaped to broadcast over rows of a rank-`rank` tensor: [n, 1, ...]. */
function perRow(x: tf.Tensor, rank: number): tf.Tensor {
  return tf.reshape(x, [-1, ...new Array<number>(rank - 1).fill(1)]);
}

/** alpha(c_j) = lr sqrt(1 - b2^c_j) / (1 - b1^c_j) per row ([n]): adamStepSize with c_j for t. */
function rowStepSize(hp: AdamHyper, count: tf.Tensor): tf.Tensor {
  return tf.mul(tf.div(tf.sqrt(oneMinusPower(hp.beta2, count)), oneMinusPower(hp.beta1, count)), hp.lr);
}

/** The rows' state ([n, ...row], count [n]) after their observations, every n_j >= 1. */
export function observeRows(
  state: ParamState<CountedMoments>,
  observed: SampleStatistics,
  hp: AdamHyper,
): ParamState<CountedMoments> {
  const rank = state.param.rank;
  const n = perRow(observed.counts, rank); // [n, 1, ...]
  const newWeight = (beta: number) => perRow(oneMinusPower(beta, observed.counts), rank); // 1 - b^n_j
  const w1 = newWeight(hp.beta1);
  const w2 = newWeight(hp.beta2);
  const m = tf.add(tf.mul(state.slots.m, tf.sub(1, w1)), tf.mul(tf.div(observed.sum, n), w1));
  const v = tf.add(tf.mul(state.slots.v, tf.sub(1, w2)), tf.mul(tf.div(observed.sumSquares, n), w2));
  const count = tf.add(state.slots.count, observed.counts); // [n]
  const param = applyAdamUpdate(state.param, { m, v }, perRow(rowStepSize(hp, count), rank), hp.epsilon);
  return { param, slots: { m, v, count } };
}
