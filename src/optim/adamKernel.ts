/**
 * Adam's step (SPEC.md §4, the formula of adam.ts) on chosen rows of a parameter as one
 * array kernel (src/backend/ops.ts): each element is read once from W, m, v and g and
 * written once to the new W, m, v, where adam.ts's op chain makes 12 passes over whole
 * tensors. On wasm the SIMD kernel `adam_rows` (src/backend/simd/kernels.wat) computes in
 * float32 in the ops' order, so its bits equal the op-based step's; for 1000 x 784 floats
 * it takes about 0.6 ms, against 4 ms for the JS loop and 13-23 ms for the ops. The JS
 * loop (cpu) computes each element in float64 and rounds once, when stored: within float32
 * rounding of the ops, about 1e-7 relative (test/optim/adamKernel.test.ts).
 * Rows not listed are copied unchanged, so lazy-adam's untouched rows stay bit-identical.
 * The kernel also flags the rows whose parameter values it changed (ParamState.changedRows:
 * rows_changed_fraction), comparing each new value with the old one it has in hand, so the
 * step needs no before/after comparison of W.
 * For a state its owner drops after the step (ParamState.dropped: the optimizer's own), the
 * new m and v are written over the old ones instead of into new tensors: the step's working
 * set shrinks by two [H, D] arrays (on wasm with both cores busy: 0.41 ms where new tensors
 * take 0.64 ms). The parameter itself always gets a new tensor: the wasm backend caches
 * XNNPACK's packed copy of a matMul's second operand by its storage, so a parameter
 * rewritten in place would leave a later product with it (say W c^T in the evaluation)
 * reading stale values.
 */
import type * as tf from '@tensorflow/tfjs';
import { assertRowsWithin, registerArrayKernel, runArrayKernel, type ArrayValues } from '../backend/ops';
import type { SimdKernels } from '../backend/simd';
import type { AdamHyper, Moments } from './adam';
import type { ParamState } from './rule';

const ADAM_ROWS = 'SparseAdamAdamRows';
const ADAM_ROWS_IN_PLACE = 'SparseAdamAdamRowsInPlace';

type AdamAttrs = Pick<AdamHyper, 'beta1' | 'beta2' | 'epsilon'> & { stepSize: number };
type AdamInputs = Record<'param' | 'm' | 'v' | 'rows' | 'grad', ArrayValues>;

/**
 * The new W, m, v of rows `rows` (distinct; grad holds their gradients in order), others
 * the old ones; changed[row] = 1 where the row's W changed, else 0.
 */
function adamRows(inputs: AdamInputs, outputs: Float32Array[], hp: AdamAttrs, simd: SimdKernels | null): void {
  const { param, m, v, rows, grad } = inputs;
  const [newParam, newM, newV, changed] = outputs as [Float32Array, Float32Array, Float32Array, Float32Array];
  const rowSize = rows.length > 0 ? grad.length / rows.length : 0;
  assertRowsWithin(rows, changed.length);
  if (rows.length !== changed.length) {
    changed.fill(0);
    for (const [to, from] of [[newParam, param], [newM, m], [newV, v]] as const) if (to !== from) to.set(from);
  }
  const { beta1, beta2, epsilon, stepSize } = hp;
  if (simd) {
    const [c1, c2] = [Math.fround(1 - beta1), Math.fround(1 - beta2)]; // the ops' float32 scalars
    const arrays = [param, m, v, rows, grad, newParam, newM, newV, changed];
    const pointers = arrays.map((a) => a.byteOffset) as [number, number, number, number, number, number, number, number, number];
    return simd.adam_rows(...pointers, rows.length, rowSize, beta1, c1, beta2, c2, epsilon, stepSize);
  }
  for (let r = 0; r < rows.length; r++) {
    let differs = 0;
    for (let i = rows[r]! * rowSize, at = r * rowSize, end = i + rowSize; i < end; i++, at++) {
      const g = grad[at]!;
      const mi = beta1 * m[i]! + (1 - beta1) * g; // m <- b1 m + (1 - b1) g
      const vi = beta2 * v[i]! + (1 - beta2) * g * g; // v <- b2 v + (1 - b2) g^2
      const w = param[i]!;
      const wi = Math.fround(w - (stepSize * mi) / (Math.sqrt(vi) + epsilon)); // W <- W - alpha_t m / (sqrt(v) + eps_hat)
      newM[i] = mi;
      newV[i] = vi;
      newParam[i] = wi;
      if (wi !== w) differs = 1;
    }
    changed[rows[r]!] = differs;
  }
}

const adamRowsKernelSpec = {
  inputs: ['param', 'm', 'v', 'rows', 'grad'] as const,
  outputShapes: ({ param }: Record<string, number[]>) => [param!, param!, param!, [param![0]!]],
  compute: adamRows,
};
registerArrayKernel({ name: ADAM_ROWS, ...adamRowsKernelSpec });
/** The new m and v written over the old ones: for a state its owner drops after the step. */
registerArrayKernel({ name: ADAM_ROWS_IN_PLACE, ...adamRowsKernelSpec, overwrites: [null, 'm', 'v', null] });

/** Adam's step with step size alpha_t on rows `rows` (distinct) of the state; g: their gradient [n, ...row]. */
export function adamRowsKernel(
  state: ParamState<Moments>,
  rows: tf.Tensor1D,
  g: tf.Tensor,
  stepSize: number,
  hp: AdamHyper,
): ParamState<Moments> {
  const inputs = { param: state.param, m: state.slots.m, v: state.slots.v, rows, grad: g };
  const attrs: AdamAttrs = { beta1: hp.beta1, beta2: hp.beta2, epsilon: hp.epsilon, stepSize };
  const kernel = state.dropped ? ADAM_ROWS_IN_PLACE : ADAM_ROWS;
  const [param, m, v, changedRows] = runArrayKernel(kernel, inputs, attrs) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor1D];
  return { param, slots: { m, v }, changedRows };
}
