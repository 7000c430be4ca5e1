/**
 * The sparsening modes during training (SPEC.md §3): the loss of one batch and the
 * gradients the optimizer receives.
 * - `mask`: h = z * mask over all cells; every gradient dense (zero rows for unused cells).
 * - `gather`: A = cells active in any sample (the mask reduced over the batch); W_A, b_A
 *   (and W_dec_A) are gathered rows; h = z_A for EVERY sample; their gradients reach the
 *   optimizer row-sparse (indices A: TensorFlow's IndexedSlices).
 * - `gather-remask`: as `gather`, then h = z_A * mask[:, A], each sample's own cells.
 */
import * as tf from '@tensorflow/tfjs';
import { gatherColumns, gatherRows } from '../backend/ops';
import type { Config, ModelConfig } from '../config/schema';
import { dense, rows, type Gradients } from '../optim/gradient';
import { backward, encoderPre, forward } from './autoencoder';
import { encoderActivation } from './activations';
import type { Params } from './params';
import { lifetimeMask, lifetimeSamples, topKMask } from './topk';

export type StepLoss = {
  loss: tf.Scalar;
  grads: Gradients;
  /** Mean number of cells active per training sample (in h). */
  activePerSample: tf.Scalar;
  /** Gather modes: |A|, the cells gathered this step; 0 in mask mode, which gathers nothing. */
  gatheredCells: number;
};

/** The training mask: per-sample top-k, OR'ed with the lifetime mask when it is on (§2). */
export function trainingMask(z: tf.Tensor2D, model: ModelConfig): tf.Tensor2D {
  const perSample = topKMask(z, model.k);
  if (!model.lifetime_sparsity) return perSample;
  return tf.maximum(perSample, lifetimeMask(z, lifetimeSamples(model.lifetime_rate, z.shape[0])));
}

/** A = { j : max_i mask[i, j] = 1 }, ascending; read back to pick the rows to gather. */
export function activeCells(mask: tf.Tensor2D): Int32Array {
  const used = tf.tidy(() => tf.max(mask, 0).dataSync()); // [H]
  const cells: number[] = [];
  used.forEach((u, j) => {
    if (u > 0) cells.push(j);
  });
  return Int32Array.from(cells);
}

function meanActive(mask: tf.Tensor2D): tf.Scalar {
  return tf.mean(tf.sum(mask, 1));
}

function maskStep(params: Params, x: tf.Tensor2D, model: ModelConfig): StepLoss {
  const fwd = forward(params, x, model, (z) => trainingMask(z, model));
  const g = backward(params, x, fwd, model);
  const grads: Gradients = { W: dense(g.W), b: dense(g.b), c: dense(g.c) };
  if (g.W_dec) grads.W_dec = dense(g.W_dec);
  return { loss: fwd.loss, grads, activePerSample: meanActive(fwd.mask!), gatheredCells: 0 };
}

function gatherStep(params: Params, x: tf.Tensor2D, model: ModelConfig, remask: boolean): StepLoss {
  const pre = encoderPre(x, tf.transpose(params.W) as tf.Tensor2D, params.b); // [B, H]
  const mask = trainingMask(encoderActivation(pre, model.encoder_activation), model);
  const cells = activeCells(mask);
  const A = tf.tensor1d(cells, 'int32'); // [|A|]
  const gathered: Params = {
    W: gatherRows(params.W, A) as tf.Tensor2D, // [|A|, D]
    b: gatherRows(params.b, A) as tf.Tensor1D,
    c: params.c,
    W_dec: params.W_dec ? (gatherRows(params.W_dec, A) as tf.Tensor2D) : null,
  };
  const maskA = remask ? gatherColumns(mask, A) : null; // [B, |A|]
  // z_A = x W_A^T + b_A: the gathered columns of x W^T + b, the same numbers.
  const fwd = forward(gathered, x, model, () => maskA, gatherColumns(pre, A));
  const g = backward(gathered, x, fwd, model);
  const grads: Gradients = { W: rows(A, g.W), b: rows(A, g.b), c: dense(g.c) };
  if (g.W_dec) grads.W_dec = rows(A, g.W_dec);
  const activePerSample = maskA ? meanActive(maskA) : tf.scalar(cells.length);
  return { loss: fwd.loss, grads, activePerSample, gatheredCells: cells.length };
}

/** Loss and gradients of one batch in the configured mode; call inside tf.tidy. */
export function lossAndGradients(params: Params, x: tf.Tensor2D, config: Config): StepLoss {
  const mode = config.train.mode;
  if (mode === 'mask') return maskStep(params, x, config.model);
  return gatherStep(params, x, config.model, mode === 'gather-remask');
}
