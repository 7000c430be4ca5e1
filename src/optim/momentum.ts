/**
 * `sgd` with momentum: TF1 MomentumOptimizer, non-Nesterov (SPEC.md §4 baselines):
 *   accum <- momentum accum + g;  W <- W - lr accum
 * A dense gradient updates every row; a row-sparse one only the rows in U (TF1's
 * sparse_apply_momentum), duplicates summed first.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerConfig } from '../config/schema';
import { formulaOnRows, rowwiseRule, type ParamState, type UpdateRule } from './rule';

export type MomentumHyper = Pick<OptimizerConfig, 'lr' | 'momentum'>;

export type MomentumSlots = { accum: tf.Tensor }; // velocity, shape of the parameter

/** One step; g has the shape of state.param (all rows, or the touched rows). */
export function momentumStep(
  state: ParamState<MomentumSlots>,
  g: tf.Tensor,
  hp: MomentumHyper,
): ParamState<MomentumSlots> {
  const accum = tf.add(tf.mul(state.slots.accum, hp.momentum), g);
  return { param: tf.sub(state.param, tf.mul(accum, hp.lr)), slots: { accum } };
}

export function momentumRule(hp: MomentumHyper): UpdateRule<MomentumSlots> {
  return rowwiseRule(
    (param) => ({ accum: tf.zerosLike(param) }),
    formulaOnRows((state, g) => momentumStep(state, g, hp)),
  );
}
