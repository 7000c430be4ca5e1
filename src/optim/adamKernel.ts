/**
 * Adam's step (SPEC.md §4, the formula of adam.ts) on chosen rows of a parameter as one
 * array kernel (src/backend/ops.ts): each element is read once from W, m, v and g and
 * written once to the new W, m, v, where adam.ts's op chain makes 12 passes over whole
 * tensors. Measured on wasm for 1000 x 784 floats: 4 ms against 13-23 ms for the ops.
 * Each element's step is computed in float64 and rounded to float32 once, when stored (the
 * ops round after each operation): the two agree to float32 rounding, about 1e-7
 * relative (test/optim/adamKernel.test.ts). Rounding after every operation (Math.fround)
 * would give the ops' bits exactly, at 1.5x the kernel's time.
 * Rows not listed are copied unchanged, so lazy-adam's untouched rows stay bit-identical.
 */
import type * as tf from '@tensorflow/tfjs';
import { registerArrayKernel, runArrayKernel, type ArrayValues } from '../backend/ops';
import type { AdamHyper, Moments } from './adam';
import type { ParamState } from './rule';

const ADAM_ROWS = 'SparseAdamAdamRows';

type AdamAttrs = Pick<AdamHyper, 'beta1' | 'beta2' | 'epsilon'> & { stepSize: number };
type AdamInputs = Record<'param' | 'm' | 'v' | 'rows' | 'grad', ArrayValues>;

/** The new W, m, v of rows `rows` (distinct; grad holds their gradients in order), others copied. */
function adamRows({ param, m, v, rows, grad }: AdamInputs, [newParam, newM, newV]: Float32Array[], hp: AdamAttrs): void {
  const rowSize = rows.length > 0 ? grad.length / rows.length : 0;
  if (rows.length * rowSize !== param.length) {
    newParam!.set(param);
    newM!.set(m);
    newV!.set(v);
  }
  const { beta1, beta2, epsilon, stepSize } = hp;
  const rowCount = param.length / Math.max(rowSize, 1);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    if (!(row >= 0 && row < rowCount)) throw new Error(`row ${row} outside [0, ${rowCount})`);
    for (let i = row * rowSize, at = r * rowSize, end = i + rowSize; i < end; i++, at++) {
      const g = grad[at]!;
      const mi = beta1 * m[i]! + (1 - beta1) * g; // m <- b1 m + (1 - b1) g
      const vi = beta2 * v[i]! + (1 - beta2) * g * g; // v <- b2 v + (1 - b2) g^2
      newM![i] = mi;
      newV![i] = vi;
      newParam![i] = param[i]! - (stepSize * mi) / (Math.sqrt(vi) + epsilon); // W <- W - alpha_t m / (sqrt(v) + eps_hat)
    }
  }
}

registerArrayKernel({
  name: ADAM_ROWS,
  inputs: ['param', 'm', 'v', 'rows', 'grad'] as const,
  outputShapes: ({ param }) => [param, param, param],
  compute: adamRows,
});

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
  const [param, m, v] = runArrayKernel(ADAM_ROWS, inputs, attrs) as [tf.Tensor, tf.Tensor, tf.Tensor];
  return { param, slots: { m, v } };
}
