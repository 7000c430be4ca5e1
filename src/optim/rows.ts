/**
 * Row-sparse gradients (TensorFlow's IndexedSlices): summing duplicate rows, densifying,
 * finding the rows a dense gradient touches, and updating only some rows of a state.
 * All functions here create tensors: call them inside tf.tidy.
 */
import * as tf from '@tensorflow/tfjs';
import { assert } from '../errors';
import type { Gradient } from './gradient';
import type { ParamState, Slots } from './rule';
import { gatherRows } from '../backend/ops';
import { differingRows } from './differingRows';

export type RowGradient = Extract<Gradient, { kind: 'rows' }>;

/** Rows of a parameter (its first dimension: hidden cells for W and b). */
export function rowCount(param: tf.Tensor): number {
  const rows = param.shape[0];
  assert(rows !== undefined, () => `a parameter of rank ${param.rank} has no rows`);
  return rows;
}

/** Distinct row ids in first-occurrence order, and for each entry of `ids` its slot among them. */
function groupRowIds(ids: ArrayLike<number>, rows: number): { unique: number[]; slot: Int32Array } {
  const slotOf = new Map<number, number>();
  const unique: number[] = [];
  const slot = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    assert(Number.isInteger(id) && id >= 0 && id < rows, () => `row index ${id} outside [0, ${rows})`);
    let s = slotOf.get(id);
    if (s === undefined) {
      s = unique.push(id) - 1;
      slotOf.set(id, s);
    }
    slot[i] = s;
  }
  return { unique, slot };
}

/**
 * The same gradient with distinct indices: the rows of duplicate indices summed (SPEC.md
 * §4, TF's _deduplicate_indexed_slices). Without duplicates the gradient comes back as is.
 * The sum scatters each row into its slot of a [u, ...row] buffer (ScatterNd adds
 * collisions): about 1.3 ms on wasm for 900 rows of 784, as fast as the alternatives, and
 * present on every backend, unlike tfjs's segment sums (UnsortedSegmentSum is missing on
 * wasm, SparseSegmentSum on tensorflow).
 */
export function coalesceRows(grad: RowGradient, rows: number): RowGradient {
  assert(grad.indices.dtype === 'int32', () => `row indices of dtype ${grad.indices.dtype}, expected int32`);
  const { unique, slot } = groupRowIds(grad.indices.dataSync(), rows);
  if (unique.length === slot.length) return grad;
  const rowShape = grad.values.shape.slice(1);
  const slots = tf.tensor2d(slot, [slot.length, 1], 'int32'); // [n, 1]
  return {
    kind: 'rows',
    indices: tf.tensor1d(unique, 'int32'), // [u]
    values: tf.scatterND(slots, grad.values, [unique.length, ...rowShape]), // [u, ...row]
  };
}

/** Asserts that row indices (int32) are rows of the parameter and that none repeats. */
export function assertDistinctRows(indices: tf.Tensor1D, rows: number): void {
  assert(indices.dtype === 'int32', () => `row indices of dtype ${indices.dtype}, expected int32`);
  const { unique, slot } = groupRowIds(indices.dataSync(), rows);
  assert(unique.length === slot.length, () => `row indices repeat: ${slot.length} indices, ${unique.length} distinct`);
}

/** A gradient as the dense tensor it stands for (rows outside the indices zero, duplicates summed). */
export function densify(grad: Gradient, shape: number[]): tf.Tensor {
  if (grad.kind === 'dense') return grad.value;
  return tf.scatterND(tf.expandDims(grad.indices, 1), grad.values, shape);
}

/** A dense gradient as the row-sparse one of its rows with any nonzero entry (distinct indices). */
export function nonzeroRows(g: tf.Tensor): RowGradient {
  const touched = differingRows(g, tf.scalar(0)).dataSync(); // [rows], 1 where any nonzero
  const ids: number[] = [];
  touched.forEach((flag, row) => {
    if (flag) ids.push(row);
  });
  const indices = tf.tensor1d(ids, 'int32');
  return { kind: 'rows', indices, values: gatherRows(g, indices) };
}

/**
 * A tensor TensorScatterUpdate may write into. tfjs 4.22's cpu kernel writes into its
 * input's buffer (the old tensor changes too), so there it gets a copy (x * 1 keeps every
 * bit, -0 included); the wasm and tensorflow kernels copy by themselves.
 */
function scatterTarget(x: tf.Tensor): tf.Tensor {
  return tf.getBackend() === 'cpu' ? tf.mul(x, 1) : x;
}

/** x with rows `indices` replaced by `rows` ([n, ...row]); other rows bit-identical. */
function putRows(x: tf.Tensor, indices: tf.Tensor1D, rows: tf.Tensor): tf.Tensor {
  return tf.tensorScatterUpdate(scatterTarget(x), tf.expandDims(indices, 1), rows);
}

/** x with `updates` ([n, ...row]) added to rows `indices` (distinct): a scatter-add. */
export function scatterAddRows(x: tf.Tensor, indices: tf.Tensor1D, updates: tf.Tensor): tf.Tensor {
  if (indices.size === 0) return x;
  return putRows(x, indices, tf.add(gatherRows(x, indices), updates));
}

function mapSlots<S extends Slots>(slots: S, f: (x: tf.Tensor, name: keyof S) => tf.Tensor): S {
  return Object.fromEntries(Object.entries(slots).map(([name, x]) => [name, f(x, name)])) as S;
}

/**
 * The state after `update` of its rows `indices` (distinct): those rows of the parameter
 * and of every slot are gathered, updated together, and written back; all other rows are
 * the same tensors' rows, bit-identical.
 */
export function updateRows<S extends Slots>(
  state: ParamState<S>,
  indices: tf.Tensor1D,
  update: (rows: ParamState<S>) => ParamState<S>,
): ParamState<S> {
  if (indices.size === 0) return state;
  const rows = { param: gatherRows(state.param, indices), slots: mapSlots(state.slots, (x) => gatherRows(x, indices)) };
  const next = update(rows);
  return {
    param: putRows(state.param, indices, next.param),
    slots: mapSlots(state.slots, (x, name) => {
      const rowsOfSlot = next.slots[name];
      assert(rowsOfSlot !== undefined, () => `the row update dropped slot ${String(name)}`);
      return putRows(x, indices, rowsOfSlot);
    }),
  };
}

/** The fraction of rows flagged 1 in flags [rows] of 0 and 1 (read back). */
export function fractionFlagged(flags: tf.Tensor1D): number {
  const values = flags.dataSync() as Float32Array;
  assert(values.length > 0, () => 'flags for a matrix without rows');
  return values.reduce((sum, flag) => sum + flag, 0) / values.length;
}

/** The fraction of rows of a matrix whose values differ between two tensors. */
export function fractionOfRowsChanged(before: tf.Tensor, after: tf.Tensor): number {
  if (before === after) return 0;
  const flags = differingRows(before, after); // [rows]
  const fraction = fractionFlagged(flags);
  flags.dispose();
  return fraction;
}
