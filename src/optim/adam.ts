/**
 * Adam in TensorFlow's epsilon form (SPEC.md §4, `adam`):
 *   m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2
 *   W <- W - alpha_t m / (sqrt(v) + eps_hat),  alpha_t = lr sqrt(1 - b2^t) / (1 - b1^t)
 * with t the number of optimizer steps so far, this one included. The `adam` optimizer
 * applies it to the densified gradient (g = 0 on rows outside a row-sparse gradient).
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerConfig } from '../config/schema';
import { arrayKernelsAvailable } from '../backend/ops';
import { adamRowsKernel } from './adamKernel';
import { densify, rowCount } from './rows';
import { formulaOnRows, type Formula, type RowUpdate, type UpdateRule } from './rule';

export type AdamHyper = Pick<OptimizerConfig, 'lr' | 'beta1' | 'beta2' | 'epsilon'>;

export type Moments = {
  m: tf.Tensor; // first moment, shape of the parameter
  v: tf.Tensor; // second moment, shape of the parameter
};

export function zeroMoments(param: tf.Tensor): Moments {
  return { m: tf.zerosLike(param), v: tf.zerosLike(param) };
}

/** alpha_t: the bias-corrected step size at step t (t >= 1). */
export function adamStepSize(hp: AdamHyper, t: number): number {
  return (hp.lr * Math.sqrt(1 - hp.beta2 ** t)) / (1 - hp.beta1 ** t);
}

/** New moments from old ones and a gradient of the same shape. */
export function updateMoments(moments: Moments, g: tf.Tensor, hp: AdamHyper): Moments {
  return {
    m: tf.add(tf.mul(moments.m, hp.beta1), tf.mul(g, 1 - hp.beta1)),
    v: tf.add(tf.mul(moments.v, hp.beta2), tf.mul(tf.square(g), 1 - hp.beta2)),
  };
}

/** The parameter after one step with already-updated moments; stepSize a number or per-row ([n, 1, ...]). */
export function applyAdamUpdate(param: tf.Tensor, moments: Moments, stepSize: number | tf.Tensor, epsilon: number): tf.Tensor {
  return tf.sub(param, tf.div(tf.mul(moments.m, stepSize), tf.add(tf.sqrt(moments.v), epsilon)));
}

/** One dense Adam step: (W, m, v) at step t and gradient g -> new (W, m, v). */
export function adamStep(
  param: tf.Tensor,
  g: tf.Tensor,
  moments: Moments,
  t: number,
  hp: AdamHyper,
): { param: tf.Tensor; moments: Moments } {
  return tf.tidy(() => {
    const next = updateMoments(moments, g, hp);
    return { param: applyAdamUpdate(param, next, adamStepSize(hp, t), hp.epsilon), moments: next };
  });
}

/** adamStep as a Formula over a parameter's state: the op-based form of the step. */
export function adamFormula(hp: AdamHyper): Formula<Moments> {
  return (state, g, t) => {
    const next = adamStep(state.param, g, state.slots, t, hp);
    return { param: next.param, slots: next.moments };
  };
}

/**
 * Adam's step on all rows or on given rows: the one-pass kernel (adamKernel.ts) where the
 * backend runs array kernels, the op-based formula elsewhere; the same numbers either way.
 */
export function adamOnRows(hp: AdamHyper): RowUpdate<Moments> {
  const ops = formulaOnRows(adamFormula(hp));
  return {
    all(state, g, t) {
      if (!arrayKernelsAvailable()) return ops.all(state, g, t);
      const everyRow = tf.range(0, rowCount(state.param), 1, 'int32') as tf.Tensor1D;
      return adamRowsKernel(state, everyRow, g, adamStepSize(hp, t), hp);
    },
    rows(state, indices, g, t) {
      if (!arrayKernelsAvailable()) return ops.rows(state, indices, g, t);
      return adamRowsKernel(state, indices, g, adamStepSize(hp, t), hp);
    },
  };
}

/** `adam`: the dense step on every row, whatever the gradient's kind. */
export function adamRule(hp: AdamHyper): UpdateRule<Moments> {
  const step = adamOnRows(hp);
  return {
    initSlots: zeroMoments,
    apply: (state, grad, t) => step.all(state, densify(grad, state.param.shape), t),
  };
}
