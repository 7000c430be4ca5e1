/**
 * The two row operations of the sparse passes (src/model/sparseAutoencoder.ts), each one
 * pass over the rows it reads, where a gather, a scaling and a scatter or a reduction
 * would each write an [n, D] tensor:
 *   sumScaledRows: out[slots[e]] += coef[e] src[rows[e]]  (e in order, out from zero) [count, D]
 *   rowDots:       out[e] = a[aRows[e]] . b[bRows[e]]                                   [n]
 * On wasm the SIMD kernels of simd/kernels.wat run them in the backend's heap, on cpu the
 * JS loops below, elsewhere the op-based formulations beside them. sumScaledRows gives the
 * same bits on all three (float32 products added in entry order); rowDots' sums are
 * ordered differently on each (float32 rounding apart).
 */
import * as tf from '@tensorflow/tfjs';
import { arrayKernelsAvailable, assertRowsWithin, gatherRows, registerArrayKernel, runArrayKernel, type ArrayValues } from './ops';
import type { SimdKernels } from './simd';

const SUM_SCALED_ROWS = 'SparseAdamSumScaledRows';
const ROW_DOTS = 'SparseAdamRowDots';

/** Row length D and, for sumScaledRows, the rows of the output. */
type RowAttrs = { size: number; count: number };
type DotAttrs = { size: number };
type ScaledRows = Record<'slots' | 'coef' | 'src' | 'rows', ArrayValues>;
type RowPairs = Record<'a' | 'aRows' | 'b' | 'bRows', ArrayValues>;

function rowsOf(matrix: ArrayValues, size: number): number {
  return size > 0 ? matrix.length / size : 0;
}

function sumScaledRowsKernel(inputs: ScaledRows, [out]: Float32Array[], { size, count }: RowAttrs, simd: SimdKernels | null): void {
  const { slots, coef, src, rows } = inputs;
  assertRowsWithin(slots, count);
  assertRowsWithin(rows, rowsOf(src, size));
  out!.fill(0); // the wasm heap hands out memory as it was left
  if (simd) return simd.sum_scaled_rows(out!.byteOffset, slots.byteOffset, coef.byteOffset, src.byteOffset, rows.byteOffset, slots.length, size);
  for (let e = 0; e < slots.length; e++) {
    const [o, s, c] = [slots[e]! * size, rows[e]! * size, coef[e]!];
    for (let i = 0; i < size; i++) out![o + i]! += Math.fround(src[s + i]! * c); // float32 product, float32 sum
  }
}

function rowDotsKernel(inputs: RowPairs, [out]: Float32Array[], { size }: DotAttrs, simd: SimdKernels | null): void {
  const { a, aRows, b, bRows } = inputs;
  assertRowsWithin(aRows, rowsOf(a, size));
  assertRowsWithin(bRows, rowsOf(b, size));
  if (simd) return simd.row_dots(out!.byteOffset, a.byteOffset, aRows.byteOffset, b.byteOffset, bRows.byteOffset, aRows.length, size);
  for (let e = 0; e < aRows.length; e++) {
    const [p, q] = [aRows[e]! * size, bRows[e]! * size];
    let sum = 0;
    for (let i = 0; i < size; i++) sum += a[p + i]! * b[q + i]!;
    out![e] = sum;
  }
}

registerArrayKernel({
  name: SUM_SCALED_ROWS,
  inputs: ['slots', 'coef', 'src', 'rows'] as const,
  outputShapes: ({ src }, { count }: RowAttrs) => [[count, ...src.slice(1)]],
  compute: sumScaledRowsKernel,
});
registerArrayKernel({
  name: ROW_DOTS,
  inputs: ['a', 'aRows', 'b', 'bRows'] as const,
  outputShapes: ({ aRows }) => [aRows],
  compute: rowDotsKernel,
});

/** Row length of a [rows, ...] tensor. */
function rowLength(x: tf.Tensor): number {
  return x.shape.slice(1).reduce((a, b) => a * b, 1);
}

/** out[slots[e]] += coef[e] src[rows[e]] over the entries e, into `count` rows: [count, ...row]. */
export function sumScaledRows(slots: tf.Tensor1D, coef: tf.Tensor1D, src: tf.Tensor, rows: tf.Tensor1D, count: number): tf.Tensor {
  if (arrayKernelsAvailable()) return runArrayKernel(SUM_SCALED_ROWS, { slots, coef, src, rows }, { size: rowLength(src), count })[0]!;
  return tf.tidy(() => {
    const scaled = tf.mul(gatherRows(src, rows), tf.reshape(coef, [-1, ...new Array<number>(src.rank - 1).fill(1)]));
    return tf.scatterND(tf.expandDims(slots, 1), scaled, [count, ...src.shape.slice(1)]);
  });
}

/** out[e] = a[aRows[e]] . b[bRows[e]] for the row pairs e of two matrices: [n]. */
export function rowDots(a: tf.Tensor2D, aRows: tf.Tensor1D, b: tf.Tensor2D, bRows: tf.Tensor1D): tf.Tensor1D {
  if (arrayKernelsAvailable()) return runArrayKernel(ROW_DOTS, { a, aRows, b, bRows }, { size: a.shape[1] })[0] as tf.Tensor1D;
  return tf.tidy(() => tf.sum(tf.mul(gatherRows(a, aRows), gatherRows(b, bRows)), 1) as tf.Tensor1D);
}
