/**
 * `adagrad`: TF1 AdagradOptimizer (SPEC.md §4 baselines), accumulator starting at a0:
 *   a <- a + g^2;  W <- W - lr g / sqrt(a)
 * A dense gradient updates every element (a zero gradient leaves both unchanged); a
 * row-sparse one only the rows in U, duplicates summed first.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerConfig } from '../config/schema';
import { formulaOnRows, rowwiseRule, type ParamState, type UpdateRule } from './rule';

export type AdagradHyper = Pick<OptimizerConfig, 'lr' | 'initial_accumulator'>;

export type AdagradSlots = { accum: tf.Tensor }; // sum of squared gradients + a0, shape of the parameter

/** One step; g has the shape of state.param (all rows, or the touched rows). */
export function adagradStep(
  state: ParamState<AdagradSlots>,
  g: tf.Tensor,
  hp: AdagradHyper,
): ParamState<AdagradSlots> {
  const accum = tf.add(state.slots.accum, tf.square(g));
  return { param: tf.sub(state.param, tf.div(tf.mul(g, hp.lr), tf.sqrt(accum))), slots: { accum } };
}

export function adagradRule(hp: AdagradHyper): UpdateRule<AdagradSlots> {
  return rowwiseRule(
    (param) => ({ accum: tf.fill(param.shape, hp.initial_accumulator) }),
    formulaOnRows((state, g) => adagradStep(state, g, hp)),
  );
}
