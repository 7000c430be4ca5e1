/**
 * `lazy-adam` (SPEC.md §4; tf.contrib.opt.LazyAdamOptimizer, tfa LazyAdam, torch
 * SparseAdam): the Adam step on the rows in U only, duplicates summed first; the other
 * rows of W, m and v stay bit-identical. t is global: alpha_t uses the number of optimizer
 * steps so far, not how often a row was touched.
 */
import type * as tf from '@tensorflow/tfjs';
import { adamOnRows, zeroMoments, type AdamHyper, type Moments } from './adam';
import type { Gradient } from './gradient';
import { nonzeroRows } from './rows';
import { rowwiseRule, type RowUpdate, type Slots, type UpdateRule } from './rule';

/**
 * The rows a gradient touches. A dense gradient of a matrix (W or W_dec in `mask` mode,
 * where cells no sample used have exactly-zero rows) touches the rows with any nonzero
 * entry: exactly-zero rows count as untouched. A dense 1-D gradient (a bias) stays dense,
 * so biases take the dense Adam update ("Dense parameters take the dense update under
 * every variant"). A row-sparse bias (b in the gather modes) is updated lazily like W.
 */
function touchedRows(grad: Gradient, param: tf.Tensor): Gradient {
  return grad.kind === 'dense' && param.rank >= 2 ? nonzeroRows(grad.value) : grad;
}

/** `update` on the rows the gradient touches (touchedRows), the others bit-identical: lazy-adam and its variants. */
export function lazyRule<S extends Slots>(initSlots: (param: tf.Tensor) => S, update: RowUpdate<S>): UpdateRule<S> {
  const rowwise = rowwiseRule(initSlots, update);
  return {
    initSlots,
    apply: (state, grad, t) => rowwise.apply(state, touchedRows(grad, state.param), t),
  };
}

export function lazyAdamRule(hp: AdamHyper): UpdateRule<Moments> {
  return lazyRule(zeroMoments, adamOnRows(hp));
}
