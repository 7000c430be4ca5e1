/**
 * The squared reconstruction error of a sparse code under a tied, linear decoder (SPEC.md
 * §2: y = h W + c), computed without decoding. For a code h on the cells S of an image x,
 * with pre_a = W_a . x + b_a the encoder's pre-activation of cell a,
 *   |y - x|^2 = sum_{a, a' in S} h_a h_a' G[a, a'] + 2 sum_{a in S} h_a (Wc_a - pre_a + b_a) + |c - x|^2,
 * where G = W W^T [H, H] and Wc = W c^T [H] are computed once per split. A linear or relu
 * encoder has h_a (pre_a - b_a) = h_a (h_a - b_a) (relu's h_a = 0 wherever it cut pre_a),
 * so the code alone gives the middle term. Per image |S|^2 / 2 + |S| + D operations, in
 * float64, instead of the decoder's H D; the result agrees with decoding to float32 rounding
 * (test/model/codeError.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { Params } from './params';

export interface TiedLinearDecoder {
  hidden: number; // H
  gram: Float32Array; // [H, H] G = W W^T
  Wc: Float32Array; // [H] W c^T
  b: Float32Array; // [H] encoder bias
  c: Float32Array; // [D] decoder bias
}

/** G, Wc, b and c read back once, for the codes of a whole split (W tied, not W_dec). */
export function tiedLinearDecoder(params: Params, WT: tf.Tensor2D): TiedLinearDecoder {
  const products = tf.tidy(() => [tf.matMul(params.W, WT), tf.matMul(params.W, tf.reshape(params.c, [-1, 1]))]); // [H, H], [H, 1]
  const [gram, Wc] = products.map((p) => p.dataSync() as Float32Array);
  tf.dispose(products);
  return { hidden: params.W.shape[0], gram: gram!, Wc: Wc!, b: params.b.dataSync() as Float32Array, c: params.c.dataSync() as Float32Array };
}

/** A code: the image's cells indices[from .. from + size) with values values[...]. */
export interface Code {
  indices: Int32Array;
  values: Float32Array;
  from: number;
  size: number;
}

/** |h W + c - x|^2 for one image x [D] and its code. */
export function codeSquaredError(decoder: TiedLinearDecoder, code: Code, image: Float32Array): number {
  const { gram, Wc, b, c, hidden } = decoder;
  const { indices, values, from, size } = code;
  let quadratic = 0; // sum_{a, a'} h_a h_a' G[a, a'], each pair a < a' twice
  let cross = 0; // sum_a h_a (Wc_a - h_a + b_a)
  for (let p = from, end = from + size; p < end; p++) {
    const a = indices[p]!;
    const h = values[p]!;
    const row = a * hidden;
    let withLater = 0;
    for (let q = p + 1; q < end; q++) withLater += values[q]! * gram[row + indices[q]!]!;
    quadratic += h * (h * gram[row + a]! + 2 * withLater);
    cross += h * (Wc[a]! - h + b[a]!);
  }
  let residual = 0; // |c - x|^2
  for (let d = 0; d < image.length; d++) residual += (c[d]! - image[d]!) ** 2;
  return quadratic + 2 * cross + residual;
}
