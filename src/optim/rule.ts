/**
 * What every optimizer of SPEC.md §4 is made of: per parameter a state (the parameter and
 * its slots: moments, accumulators), a formula that maps the state and a gradient to the
 * next state, and an update rule saying which rows the formula sees for a row-sparse
 * gradient. All functions here create tensors: call them inside tf.tidy.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Gradient } from './gradient';
import { coalesceRows, rowCount, updateRows } from './rows';

/** An optimizer's slot tensors for one parameter, each with the parameter's rows as first dimension. */
export type Slots = Record<string, tf.Tensor>;

/**
 * A parameter with its slots (or the same rows of each, for a row-wise update). `dropped`:
 * the owner disposes this state after the update and never reads it again, so an update
 * may write the new slots over these (src/optim/adamKernel.ts does; never the parameter,
 * which other code may have handed to the backend's caches).
 * `changedRows`, on a state an update returns: flags [rows], 1 where the update changed
 * the parameter's row, from an update that knows them (else the optimizer compares the
 * parameter before and after).
 */
export type ParamState<S extends Slots> = { param: tf.Tensor; slots: S; dropped?: true; changedRows?: tf.Tensor1D };

/** The state after gradient g (the shape of state.param) at global step t (t >= 1). */
export type Formula<S extends Slots> = (state: ParamState<S>, g: tf.Tensor, t: number) => ParamState<S>;

/** One optimizer's update of one parameter, for dense and row-sparse gradients. */
export interface UpdateRule<S extends Slots> {
  /** The slots of a parameter no step has touched yet. */
  initSlots(param: tf.Tensor): S;
  apply(state: ParamState<S>, grad: Gradient, t: number): ParamState<S>;
}

/** A state update on all rows (g of the parameter's shape) or on given rows (distinct; g [n, ...row]). */
export interface RowUpdate<S extends Slots> {
  all: Formula<S>;
  rows(state: ParamState<S>, indices: tf.Tensor1D, g: tf.Tensor, t: number): ParamState<S>;
}

/** `formula` on all rows, or on the given rows gathered, updated and written back (updateRows). */
export function formulaOnRows<S extends Slots>(formula: Formula<S>): RowUpdate<S> {
  return {
    all: formula,
    rows: (state, indices, g, t) => updateRows(state, indices, (rows) => formula(rows, g, t)),
  };
}

/**
 * A rule that applies `update` to the rows a gradient touches: every row for a dense
 * gradient; for a row-sparse one the rows in U only, duplicates summed first (SPEC.md §4),
 * the other rows of the parameter and its slots left bit-identical.
 */
export function rowwiseRule<S extends Slots>(initSlots: (param: tf.Tensor) => S, update: RowUpdate<S>): UpdateRule<S> {
  return {
    initSlots,
    apply(state, grad, t) {
      if (grad.kind === 'dense') return update.all(state, grad.value, t);
      const touched = coalesceRows(grad, rowCount(state.param));
      return update.rows(state, touched.indices, touched.values, t);
    },
  };
}
