/**
 * Test-time encoding (SPEC.md §2): each image keeps its top-(alpha*k) cells, no lifetime
 * term. Produces the sparse codes the classifier reads and the reconstruction MSE. With the
 * default tied, linear decoder the error comes from the codes themselves
 * (src/model/codeError.ts), so only the encoder's product [B, D] x [D, H] is dense; other
 * decoders decode each batch (h W_dec + c, a dense product).
 */
import * as tf from '@tensorflow/tfjs';
import { testActiveCells } from '../config/feasible';
import type { ModelConfig } from '../config/schema';
import { sliceSplit, type Split } from '../data/dataset';
import { assert } from '../errors';
import { decoderActivation, encoderActivation } from '../model/activations';
import { codeSquaredError, tiedLinearDecoder, type TiedLinearDecoder } from '../model/codeError';
import { decoderWeight, type Params } from '../model/params';
import { denseFromCode, topKCode } from '../model/topk';
import type { SparseCodes } from './codes';

export interface EncodedSplit {
  codes: SparseCodes;
  /** Mean squared reconstruction error over images and pixels, from the sparse codes. */
  mse: number;
}

/** Whether codeSquaredError applies: a tied, linear decoder. */
function decodesLinearlyWithW(model: ModelConfig): boolean {
  return model.tied && model.decoder_activation === 'linear';
}

/** A batch's codes: each image's top-(alpha*k) cells and their values, [B, a] each. */
function encodeBatch(params: Params, WT: tf.Tensor2D, x: tf.Tensor2D, model: ModelConfig, active: number) {
  return tf.tidy(() => {
    const pre = tf.add(tf.matMul(x, WT), params.b) as tf.Tensor2D; // [B, H]
    return topKCode(encoderActivation(pre, model.encoder_activation), active);
  });
}

/**
 * The summed squared error of a batch decoded from its codes, y = act(h W_dec + c): per
 * image in float32, over images in float64 (wasm's float32 Sum over a whole [1000, 784]
 * batch drifts by 1e-3 relative).
 */
function decodedSquaredError(params: Params, code: { values: tf.Tensor2D; indices: tf.Tensor2D }, x: tf.Tensor2D, model: ModelConfig): number {
  const perImage = tf.tidy(() => {
    const h = denseFromCode(code.values, code.indices, model.hidden); // [B, H]
    const yPre = tf.add(tf.matMul(h, decoderWeight(params)), params.c) as tf.Tensor2D;
    const y = decoderActivation(yPre, model.decoder_activation); // [B, D]
    return tf.sum(tf.squaredDifference(y, x), 1); // [B]
  });
  const sums = perImage.dataSync() as Float32Array;
  perImage.dispose();
  return sums.reduce((sum, e) => sum + e, 0);
}

/** The summed squared error of images [from, from + count) from their codes (tied, linear decoder). */
function codesSquaredError(decoder: TiedLinearDecoder, codes: SparseCodes, split: Split, from: number, count: number): number {
  const { active, indices, values } = codes;
  let sum = 0;
  for (let i = from; i < from + count; i++) {
    const image = split.images.subarray(i * split.pixels, (i + 1) * split.pixels);
    sum += codeSquaredError(decoder, { indices, values, from: i * active, size: active }, image);
  }
  return sum;
}

export function encodeSplit(params: Params, split: Split, model: ModelConfig, batchSize: number): EncodedSplit {
  const active = testActiveCells(model);
  assert(active >= 1 && active <= model.hidden, () => `alpha*k = ${active} must lie in 1..hidden (${model.hidden})`);
  const codes: SparseCodes = {
    count: split.count,
    hidden: model.hidden,
    active,
    indices: new Int32Array(split.count * active),
    values: new Float32Array(split.count * active),
  };
  let squaredError = 0;
  const WT = tf.transpose(params.W) as tf.Tensor2D; // [D, H], once per split
  const decoder = decodesLinearlyWithW(model) ? tiedLinearDecoder(params, WT) : null;
  for (let from = 0; from < split.count; from += batchSize) {
    const batch = sliceSplit(split, from, Math.min(from + batchSize, split.count));
    const x = tf.tensor2d(batch.images, [batch.count, split.pixels]);
    const code = encodeBatch(params, WT, x, model, active);
    codes.indices.set(code.indices.dataSync(), from * active);
    codes.values.set(code.values.dataSync(), from * active);
    squaredError += decoder ? codesSquaredError(decoder, codes, split, from, batch.count) : decodedSquaredError(params, code, x, model);
    tf.dispose([x, code.values, code.indices]);
  }
  WT.dispose();
  return { codes, mse: squaredError / (split.count * split.pixels) };
}

/** Cells that are in no training image's top-(alpha*k): they never take part in a code. */
export function countDeadCells(codes: SparseCodes): number {
  const used = new Uint8Array(codes.hidden);
  for (const cell of codes.indices) used[cell] = 1;
  return codes.hidden - used.reduce((sum, u) => sum + u, 0);
}
