/**
 * The forward and backward passes over the entries of the training mask (maskEntries.ts),
 * for the modes whose code is the mask (SPEC.md §3 `mask` and `gather-remask`). Only the
 * n = B k (+ lifetime) entries carry a code value, so the decoder and the weight gradients
 * read and write only their rows of W: no [B, H] x [H, D] product, only gathers, products
 * of [n, D] rows and ScatterNd sums. With s = s(n), j = j(n) entry n's sample and cell:
 *   h_n    = keep_n act(pre[s, j])                               code values    [n]
 *   y_i    = act_dec(sum_{n: s(n) = i} h_n W_dec[j] + c)         by sample      [B, D]
 *   dh_n   = dyPre_s . W_dec[j]                                  dot products   [n]
 *   dPre_n = act'(pre[s, j]) keep_n dh_n                                        [n]
 *   row n of dW_enc = dPre_n x_s,  of dW_dec = h_n dyPre_s,  of db = dPre_n
 * The weight gradients come back one row per entry, unsummed ([n, D]); the mode sums the
 * rows of repeated cells into the rows it hands the optimizer (sumBySlot). The same maths
 * as the dense passes (autoencoder.ts) on the mask; test/model/sparseAutoencoder.test.ts
 * checks the two against each other.
 */
import * as tf from '@tensorflow/tfjs';
import { gatherRows, scaleRows } from '../backend/ops';
import type { ModelConfig } from '../config/schema';
import { decoderActivation, decoderActivationGrad, encoderActivation, encoderActivationGrad } from './activations';
import { meanSquaredError } from './autoencoder';
import { sumBySlot, type MaskEntries } from './maskEntries';
import { decoderWeight, type Params } from './params';

export interface SparseForward {
  preAt: tf.Tensor1D; // [n] pre[s(n), j(n)]
  h: tf.Tensor1D; // [n] code values
  decoderRows: tf.Tensor2D; // [n, D] W_dec[j(n)]
  y: tf.Tensor2D; // [B, D] reconstruction
  loss: tf.Scalar;
}

/** Per-entry rows of the gradients (rows of repeated cells not yet summed). */
export interface EntryGradients {
  W: tf.Tensor2D; // [n, D] encoder and (tied) decoder paths
  b: tf.Tensor1D; // [n]
  W_dec: tf.Tensor2D | null; // [n, D] when untied
  c: tf.Tensor1D; // [D] (dense: every sample reaches every pixel)
}

export interface SparseBackward {
  grads: EntryGradients;
  dPre: tf.Tensor1D; // [n] d loss / d pre at the entries (batch mean, as the loss)
  dyPre: tf.Tensor2D; // [B, D] d loss / d (h W_dec + c)
}

/** Sums of the rows of a matrix, as its product with a vector of ones: on wasm XNNPACK's product beats the Sum kernel 4x. */
function rowSums(m: tf.Tensor2D): tf.Tensor1D {
  return tf.reshape(tf.matMul(m, tf.ones([m.shape[1], 1])), [m.shape[0]]) as tf.Tensor1D;
}

/** Forward pass on the entries, given the encoder's pre-activation pre [B, H]. */
export function sparseForward(params: Params, x: tf.Tensor2D, pre: tf.Tensor2D, entries: MaskEntries, model: ModelConfig): SparseForward {
  const [batch, hidden] = pre.shape;
  const flatAt = tf.add(tf.mul(entries.samples, tf.scalar(hidden, 'int32')), entries.cells) as tf.Tensor1D; // [n] s H + j
  const preAt = gatherRows(tf.reshape(pre, [batch * hidden]), flatAt) as tf.Tensor1D; // [n]
  const h = tf.mul(encoderActivation(preAt, model.encoder_activation), entries.keep) as tf.Tensor1D;
  const decoderRows = gatherRows(decoderWeight(params), entries.cells) as tf.Tensor2D; // [n, D]
  const weighted = scaleRows(decoderRows, h); // [n, D]
  const yPre = tf.add(sumBySlot(entries.samples, weighted, batch), params.c) as tf.Tensor2D; // [B, D]
  const y = decoderActivation(yPre, model.decoder_activation);
  return { preAt, h, decoderRows, y, loss: meanSquaredError(y, x) };
}

/** Backward pass: the per-entry gradient rows and the error signals. */
export function sparseBackward(params: Params, x: tf.Tensor2D, entries: MaskEntries, fwd: SparseForward, model: ModelConfig): SparseBackward {
  const [batch, pixels] = x.shape;
  const dy = tf.mul(tf.sub(fwd.y, x), 2 / (batch * pixels)) as tf.Tensor2D; // [B, D]
  const dyPre = decoderActivationGrad(dy, fwd.y, model.decoder_activation);
  const dyPerEntry = gatherRows(dyPre, entries.samples) as tf.Tensor2D; // [n, D] dyPre_s(n)
  const dh = rowSums(tf.mul(fwd.decoderRows, dyPerEntry) as tf.Tensor2D); // [n]
  const dPre = encoderActivationGrad(tf.mul(dh, entries.keep) as tf.Tensor1D, fwd.preAt, model.encoder_activation);
  const encoderRows = scaleRows(gatherRows(x, entries.samples), dPre) as tf.Tensor2D; // [n, D]
  const decoderRows = scaleRows(dyPerEntry, fwd.h) as tf.Tensor2D; // [n, D]
  const grads = {
    W: params.W_dec ? encoderRows : (tf.add(encoderRows, decoderRows) as tf.Tensor2D),
    b: dPre,
    W_dec: params.W_dec ? decoderRows : null,
    c: tf.sum(dyPre, 0) as tf.Tensor1D,
  };
  return { grads, dPre, dyPre };
}
