/**
 * The per-sample sums count-adam reads (src/model/sampleStatistics.ts), as one pass over
 * the entries of the training mask. Entry e is one sample's own gradient of one row,
 *   G_e = scale (coefA[e] a[rows[e]] + coefB[e] b[rows[e]])    (a, b: [B, D]; coefs: [n])
 * (the encoder and decoder terms of a tied W; a single term has coefB = 0; scale = B turns
 * the backward pass's batch-mean signals into one sample's own), and
 *   sum[slots[e]]     += G_e
 *   squares[slots[e]] += G_e^2                                            [count, D] each
 * G_e is squared after its two terms are added: the expanded square
 * (coefA a)^2 + 2 coefA coefB a b + (coefB b)^2 loses every digit when the terms nearly
 * cancel and can even come out negative.
 * On wasm the SIMD kernel `sample_moments` (simd/kernels.wat) and on cpu the JS loop below
 * compute G_e in float64 (the products of two float32 values are exact there, so the sum
 * and the scaling each round once), square it in float64, and add G_e and G_e^2, each
 * rounded to float32, to the float32 sums in entry order: the same bits on both, and G_e^2
 * within float32 rounding of the exact square of the given inputs however much the terms
 * cancel. Elsewhere (tensorflow) the op-based formulation beside it does the same in
 * float32: the products are rounded before the sum, so G_e carries an error of about
 * 6e-8 scale |coefA a| (relative to G_e: that over the cancellation), still never negative.
 */
import * as tf from '@tensorflow/tfjs';
import { assert } from '../errors';
import { arrayKernelsAvailable, assertRowsWithin, gatherRows, registerArrayKernel, runArrayKernel, type ArrayValues } from './ops';
import type { SimdKernels } from './simd';

const SAMPLE_MOMENTS = 'SparseAdamSampleMoments';

type MomentAttrs = { size: number; count: number; scale: number };
type MomentInputs = Record<'slots' | 'rows' | 'coefA' | 'a' | 'coefB' | 'b', ArrayValues>;

function sampleMomentsKernel(inputs: MomentInputs, outputs: Float32Array[], { size, count, scale }: MomentAttrs, simd: SimdKernels | null): void {
  const { slots, rows, coefA, a, coefB, b } = inputs;
  const [sum, squares] = outputs as [Float32Array, Float32Array];
  assertRowsWithin(slots, count);
  assertRowsWithin(rows, size > 0 ? Math.min(a.length, b.length) / size : 0);
  sum.fill(0); // the wasm heap hands out memory as it was left
  squares.fill(0);
  if (simd) {
    const pointers = [sum, squares, slots, rows, coefA, a, coefB, b].map((x) => x.byteOffset) as [number, number, number, number, number, number, number, number];
    return simd.sample_moments(...pointers, slots.length, size, scale);
  }
  for (let e = 0; e < slots.length; e++) {
    const [o, s, ca, cb] = [slots[e]! * size, rows[e]! * size, coefA[e]!, coefB[e]!];
    for (let i = 0; i < size; i++) {
      const g = scale * (ca * a[s + i]! + cb * b[s + i]!); // float64: exact products, a rounding for the sum and one for the scaling
      sum[o + i]! += Math.fround(g); // float32 sums (each += rounds once more, as f32.add)
      squares[o + i]! += Math.fround(g * g);
    }
  }
}

registerArrayKernel({
  name: SAMPLE_MOMENTS,
  inputs: ['slots', 'rows', 'coefA', 'a', 'coefB', 'b'] as const,
  outputShapes: ({ a }, { count }: MomentAttrs) => [[count, ...a.slice(1)], [count, ...a.slice(1)]],
  compute: sampleMomentsKernel,
});

/** One term of G_e: coef[e] src[rows[e]]. */
export interface EntryTerm {
  coef: tf.Tensor1D; // [n]
  src: tf.Tensor2D; // [B, D]
}

export type RowMoments = {
  sum: tf.Tensor2D; // [count, D]
  squares: tf.Tensor2D; // [count, D]
};

/** The op-based formulation: G [n, D] as a tensor, squared, both scattered by slot; float32 throughout. */
export function sampleMomentsByOps(slots: tf.Tensor1D, rows: tf.Tensor1D, count: number, scale: number, first: EntryTerm, second: EntryTerm): RowMoments {
  return tf.tidy(() => {
    const term = (t: EntryTerm) => tf.mul(gatherRows(t.src, rows), tf.expandDims(t.coef, 1));
    const g = tf.mul(tf.add(term(first), term(second)), scale); // [n, D]
    const bySlot = (x: tf.Tensor) => tf.scatterND(tf.expandDims(slots, 1), x, [count, first.src.shape[1]]) as tf.Tensor2D;
    return { sum: bySlot(g), squares: bySlot(tf.square(g)) };
  });
}

/**
 * sum and sum of squares by slot of G_e = scale (first.coef[e] first.src[rows[e]] + the
 * same of `second`, when given) over the entries e, into `count` rows: [count, D] each.
 */
export function sampleMoments(slots: tf.Tensor1D, rows: tf.Tensor1D, count: number, scale: number, first: EntryTerm, second?: EntryTerm): RowMoments {
  return tf.tidy(() => {
    const other = second ?? { coef: tf.zerosLike(first.coef) as tf.Tensor1D, src: first.src };
    assert(other.src.shape.join() === first.src.shape.join(), () => `terms of rows [${first.src.shape}] and [${other.src.shape}]`);
    const n = slots.size;
    assert([rows, first.coef, other.coef].every((x) => x.size === n), () => `${n} slots, ${rows.size} rows, coefficients ${first.coef.size} and ${other.coef.size}`);
    if (!arrayKernelsAvailable()) return sampleMomentsByOps(slots, rows, count, scale, first, other);
    const inputs = { slots, rows, coefA: first.coef, a: first.src, coefB: other.coef, b: other.src };
    const [sum, squares] = runArrayKernel(SAMPLE_MOMENTS, inputs, { size: first.src.shape[1], count, scale });
    return { sum: sum as tf.Tensor2D, squares: squares as tf.Tensor2D };
  });
}
