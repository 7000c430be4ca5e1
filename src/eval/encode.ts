/**
 * Test-time encoding (SPEC.md §2): each image keeps its top-(alpha*k) cells, no lifetime
 * term. Produces the sparse codes the classifier reads and the reconstruction MSE.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../config/schema';
import { sliceSplit, type Split } from '../data/dataset';
import { assert } from '../errors';
import { decoderActivation, encoderActivation } from '../model/activations';
import { decoderWeight, type Params } from '../model/params';
import { denseFromCode, topKCode } from '../model/topk';
import type { SparseCodes } from './codes';

/** Cells kept per sample at test time: alpha*k, rounded. */
export function testActiveCells(model: ModelConfig): number {
  const active = Math.round(model.alpha * model.k);
  assert(active >= 1 && active <= model.hidden, () => `alpha*k = ${active} must lie in 1..hidden (${model.hidden})`);
  return active;
}

export interface EncodedSplit {
  codes: SparseCodes;
  /** Mean squared reconstruction error over images and pixels, from the sparse codes. */
  mse: number;
}

/** Encode a batch: its codes and its summed squared reconstruction error. */
function encodeBatch(params: Params, WT: tf.Tensor2D, x: tf.Tensor2D, model: ModelConfig, active: number) {
  return tf.tidy(() => {
    const pre = tf.add(tf.matMul(x, WT), params.b) as tf.Tensor2D; // [B, H]
    const code = topKCode(encoderActivation(pre, model.encoder_activation), active); // [B, a] each
    const h = denseFromCode(code.values, code.indices, model.hidden); // [B, H]
    const yPre = tf.add(tf.matMul(h, decoderWeight(params)), params.c) as tf.Tensor2D;
    const y = decoderActivation(yPre, model.decoder_activation); // [B, D]
    return { values: code.values, indices: code.indices, squaredError: tf.sum(tf.squaredDifference(y, x)) };
  });
}

export function encodeSplit(params: Params, split: Split, model: ModelConfig, batchSize: number): EncodedSplit {
  const active = testActiveCells(model);
  const codes: SparseCodes = {
    count: split.count,
    hidden: model.hidden,
    active,
    indices: new Int32Array(split.count * active),
    values: new Float32Array(split.count * active),
  };
  let squaredError = 0;
  const WT = tf.transpose(params.W) as tf.Tensor2D; // [D, H], once per split
  for (let from = 0; from < split.count; from += batchSize) {
    const batch = sliceSplit(split, from, Math.min(from + batchSize, split.count));
    const x = tf.tensor2d(batch.images, [batch.count, split.pixels]);
    const out = encodeBatch(params, WT, x, model, active);
    codes.indices.set(out.indices.dataSync(), from * active);
    codes.values.set(out.values.dataSync(), from * active);
    squaredError += out.squaredError.dataSync()[0]!;
    tf.dispose([x, out.values, out.indices, out.squaredError]);
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
