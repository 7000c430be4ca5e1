/**
 * `adam-tf-sparse` (SPEC.md §4): TensorFlow 1.x AdamOptimizer on an IndexedSlices
 * gradient (tensorflow/python/training/adam.py, _apply_sparse_shared), duplicates summed
 * first:
 *   m <- b1 m on ALL rows, then m_j += (1 - b1) g_j for j in U   (scatter_add)
 *   v <- b2 v on ALL rows, then v_j += (1 - b2) g_j^2 for j in U
 *   W <- W - alpha_t m / (sqrt(v) + eps_hat) on ALL rows
 * Mathematically the `adam` step on the densified gradient, computed the way TF does it.
 * A dense gradient takes the dense step.
 */
import * as tf from '@tensorflow/tfjs';
import { adamOnRows, adamStepSize, applyAdamUpdate, zeroMoments, type AdamHyper, type Moments } from './adam';
import { coalesceRows, rowCount, scatterAddRows, type RowGradient } from './rows';
import type { ParamState, UpdateRule } from './rule';

/** One step on a row-sparse gradient with distinct indices. */
export function adamTfSparseStep(
  state: ParamState<Moments>,
  touched: RowGradient,
  t: number,
  hp: AdamHyper,
): ParamState<Moments> {
  const g = touched.values; // [n, ...row]
  const { m, v } = state.slots; // each of the parameter's shape
  const moments = {
    m: scatterAddRows(tf.mul(m, hp.beta1), touched.indices, tf.mul(g, 1 - hp.beta1)),
    v: scatterAddRows(tf.mul(v, hp.beta2), touched.indices, tf.mul(tf.square(g), 1 - hp.beta2)),
  };
  return { param: applyAdamUpdate(state.param, moments, adamStepSize(hp, t), hp.epsilon), slots: moments };
}

export function adamTfSparseRule(hp: AdamHyper): UpdateRule<Moments> {
  const denseStep = adamOnRows(hp).all;
  return {
    initSlots: zeroMoments,
    apply(state, grad, t) {
      if (grad.kind === 'dense') return denseStep(state, grad.value, t);
      return adamTfSparseStep(state, coalesceRows(grad, rowCount(state.param)), t, hp);
    },
  };
}
