/**
 * The forward and backward passes over the entries of the training mask (maskEntries.ts),
 * for the modes whose code is the mask (SPEC.md §3 `mask` and `gather-remask`). Only the
 * n = B k (+ lifetime) entries carry a code value, so the decoder and the weight gradients
 * read and write only their rows of W: no [B, H] x [H, D] product, only sums of scaled
 * rows and dot products of rows (src/backend/rowKernels.ts). With s = s(n), j = j(n)
 * entry n's sample and cell:
 *   h_n    = keep_n act(pre[s, j])                               code values    [n]
 *   y_i    = act_dec(sum_{n: s(n) = i} h_n W_dec[j] + c)         by sample      [B, D]
 *   dh_n   = dyPre_s . W_dec[j]                                  dot products   [n]
 *   dPre_n = act'(pre[s, j]) keep_n dh_n                                        [n]
 *   row n of dW_enc = dPre_n x_s,  of dW_dec = h_n dyPre_s,  of db = dPre_n
 * The weight gradients are handed over as those scaled rows, not yet summed (ScaledRows):
 * the mode sums them by the slot it gives each cell (all H cells, or the gathered A).
 * With tied weights both paths reach W: 2n scaled rows of the stacked [x; dyPre].
 * The same maths as the dense passes (autoencoder.ts) on the mask;
 * test/model/sparseAutoencoder.test.ts checks the two against each other.
 */
import * as tf from '@tensorflow/tfjs';
import { gatherElements } from '../backend/ops';
import { rowDots, sumScaledRows } from '../backend/rowKernels';
import type { ModelConfig } from '../config/schema';
import { decoderActivation, decoderActivationGrad, encoderActivation, encoderActivationGrad } from './activations';
import { meanSquaredError } from './autoencoder';
import type { MaskEntries } from './maskEntries';
import { decoderWeight, type Params } from './params';

export interface SparseForward {
  preAt: tf.Tensor1D; // [n] pre[s(n), j(n)]
  h: tf.Tensor1D; // [n] code values
  y: tf.Tensor2D; // [B, D] reconstruction
  loss: tf.Scalar;
}

/** A weight gradient's rows before summing: entry e (of cell cells[e]) adds coef[e] src[rows[e]]. */
export interface ScaledRows {
  cells: tf.Tensor1D; // [m] int32
  coef: tf.Tensor1D; // [m]
  src: tf.Tensor2D; // [S, D]
  rows: tf.Tensor1D; // [m] int32, rows of src
}

/** The gradients of the sparse passes: weight rows unsummed, biases by entry (b) and dense (c). */
export interface EntryGradients {
  W: ScaledRows; // encoder and (tied) decoder paths
  b: tf.Tensor1D; // [n], entry n's share of cell j(n)
  W_dec: ScaledRows | null; // when untied
  c: tf.Tensor1D; // [D] (dense: every sample reaches every pixel)
}

export interface SparseBackward {
  grads: EntryGradients;
  dPre: tf.Tensor1D; // [n] d loss / d pre at the entries (batch mean, as the loss)
  dyPre: tf.Tensor2D; // [B, D] d loss / d (h W_dec + c)
}

/** The scaled rows summed by slot: `slotOf` maps each entry's cell to its output row; [count, D]. */
export function sumRowsBySlot(g: ScaledRows, slotOf: (cells: tf.Tensor1D) => tf.Tensor1D, count: number): tf.Tensor2D {
  return sumScaledRows(slotOf(g.cells), g.coef, g.src, g.rows, count) as tf.Tensor2D;
}

/** Forward pass on the entries, given the encoder's pre-activation pre [B, H]. */
export function sparseForward(params: Params, x: tf.Tensor2D, pre: tf.Tensor2D, entries: MaskEntries, model: ModelConfig): SparseForward {
  const batch = pre.shape[0];
  const preAt = gatherElements(pre, entries.samples, entries.cells); // [n] pre[s, j]
  const h = tf.mul(encoderActivation(preAt, model.encoder_activation), entries.keep) as tf.Tensor1D;
  const decoded = sumScaledRows(entries.samples, h, decoderWeight(params), entries.cells, batch); // [B, D] sum_n h_n W_dec[j]
  const y = decoderActivation(tf.add(decoded, params.c) as tf.Tensor2D, model.decoder_activation);
  return { preAt, h, y, loss: meanSquaredError(y, x) };
}

/** Backward pass: the gradients as entry rows and the error signals. */
export function sparseBackward(params: Params, x: tf.Tensor2D, entries: MaskEntries, fwd: SparseForward, model: ModelConfig): SparseBackward {
  const [batch, pixels] = x.shape;
  const dy = tf.mul(tf.sub(fwd.y, x), 2 / (batch * pixels)) as tf.Tensor2D; // [B, D]
  const dyPre = decoderActivationGrad(dy, fwd.y, model.decoder_activation);
  const dh = rowDots(dyPre, entries.samples, decoderWeight(params), entries.cells); // [n]
  const dPre = encoderActivationGrad(tf.mul(dh, entries.keep) as tf.Tensor1D, fwd.preAt, model.encoder_activation);
  const encoder: ScaledRows = { cells: entries.cells, coef: dPre, src: x, rows: entries.samples }; // dPre_n x_s
  const decoder: ScaledRows = { cells: entries.cells, coef: fwd.h, src: dyPre, rows: entries.samples }; // h_n dyPre_s
  const grads = {
    W: params.W_dec ? encoder : bothPaths(encoder, decoder, batch),
    b: dPre,
    W_dec: params.W_dec ? decoder : null,
    c: tf.sum(dyPre, 0) as tf.Tensor1D,
  };
  return { grads, dPre, dyPre };
}

/** Tied W: the encoder's rows then the decoder's, as rows of the stacked [x; dyPre] ([2B, D]). */
function bothPaths(encoder: ScaledRows, decoder: ScaledRows, batch: number): ScaledRows {
  return {
    cells: tf.concat([encoder.cells, decoder.cells]) as tf.Tensor1D,
    coef: tf.concat([encoder.coef, decoder.coef]) as tf.Tensor1D,
    src: tf.concat([encoder.src, decoder.src]) as tf.Tensor2D,
    rows: tf.concat([encoder.rows, tf.add(decoder.rows, tf.scalar(batch, 'int32'))]) as tf.Tensor1D,
  };
}
