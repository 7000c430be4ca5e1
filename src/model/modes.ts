/**
 * The sparsening modes during training (SPEC.md §3): the loss of one batch and the
 * gradients the optimizer receives.
 * - `mask`: h = z * mask over all cells; every gradient dense (zero rows for unused cells).
 * - `gather`: A = cells active in any sample (the mask reduced over the batch); W_A, b_A
 *   (and W_dec_A) are gathered rows; h = z_A for EVERY sample; their gradients reach the
 *   optimizer row-sparse (indices A: TensorFlow's IndexedSlices).
 * - `gather-remask`: as `gather`, then h = z_A * mask[:, A], each sample's own cells.
 * When the optimizer reads per-sample statistics (`count-adam`), the row-sparse gradients
 * carry them (src/model/sampleStatistics.ts, M = the training mask on the gathered cells),
 * in `mask` mode too (maskModeRows); other optimizers get none and pay nothing for them.
 */
import * as tf from '@tensorflow/tfjs';
import { gatherColumns, gatherRows } from '../backend/ops';
import type { Config, ModelConfig } from '../config/schema';
import { dense, rows, type Gradients } from '../optim/gradient';
import { readsSampleStatistics } from '../optim/optimizer';
import { backward, encoderPre, forward, type ErrorSignals, type Forward, type ParamGradients } from './autoencoder';
import { encoderActivation } from './activations';
import type { Params } from './params';
import { sampleStatistics, type ParamStatistics } from './sampleStatistics';
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

/** W (and W_dec) row-sparse on cells A, with their per-sample statistics when computed. */
function matrixRows(A: tf.Tensor1D, W: tf.Tensor, W_dec: tf.Tensor | null, stats: ParamStatistics | null): Gradients {
  const grads: Gradients = { W: rows(A, W, stats?.W) };
  if (W_dec) grads.W_dec = rows(A, W_dec, stats?.W_dec);
  return grads;
}

/**
 * `count-adam` in `mask` mode: the statistics from the full mask (M = the mask; the
 * identity holds for every cell), taken on the cells A the batch uses, as every other
 * cell has n_j = 0 and a zero gradient. W (and W_dec) reach the optimizer row-sparse on A
 * with their statistics; the biases stay dense and take the dense update (SPEC.md §4), so
 * count-adam differs between `mask` and `gather-remask` through b only, as lazy-adam does.
 */
function maskModeRows(x: tf.Tensor2D, fwd: Forward, g: ParamGradients, signals: ErrorSignals): Gradients {
  const mask = fwd.mask!;
  const A = tf.tensor1d(activeCells(mask), 'int32'); // [|A|]
  const onA = (t: tf.Tensor2D) => gatherColumns(t, A); // [B, |A|]
  const input = { x, mask: onA(mask), h: onA(fwd.h), signals: { dPre: onA(signals.dPre), dyPre: signals.dyPre } };
  const stats = sampleStatistics(input, g.W_dec === null);
  return matrixRows(A, gatherRows(g.W, A), g.W_dec && gatherRows(g.W_dec, A), stats);
}

function maskStep(params: Params, x: tf.Tensor2D, model: ModelConfig, perSample: boolean): StepLoss {
  const fwd = forward(params, x, model, (z) => trainingMask(z, model));
  const { grads: g, signals } = backward(params, x, fwd, model);
  const grads: Gradients = { W: dense(g.W), b: dense(g.b), c: dense(g.c) };
  if (g.W_dec) grads.W_dec = dense(g.W_dec);
  if (perSample) Object.assign(grads, maskModeRows(x, fwd, g, signals));
  return { loss: fwd.loss, grads, activePerSample: meanActive(fwd.mask!), gatheredCells: 0 };
}

function gatherStep(params: Params, x: tf.Tensor2D, model: ModelConfig, remask: boolean, perSample: boolean): StepLoss {
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
  const maskA = remask || perSample ? gatherColumns(mask, A) : null; // [B, |A|]
  // z_A = x W_A^T + b_A: the gathered columns of x W^T + b, the same numbers.
  const fwd = forward(gathered, x, model, () => (remask ? maskA : null), gatherColumns(pre, A));
  const { grads: g, signals } = backward(gathered, x, fwd, model);
  // S_j: the samples whose own mask holds cell j, also in `gather`, where h uses all of A.
  const stats = perSample && maskA ? sampleStatistics({ x, mask: maskA, h: fwd.h, signals }, g.W_dec === null) : null;
  const grads: Gradients = { ...matrixRows(A, g.W, g.W_dec, stats), b: rows(A, g.b, stats?.b), c: dense(g.c) };
  const activePerSample = remask && maskA ? meanActive(maskA) : tf.scalar(cells.length);
  return { loss: fwd.loss, grads, activePerSample, gatheredCells: cells.length };
}

/** Loss and gradients of one batch in the configured mode; call inside tf.tidy. */
export function lossAndGradients(params: Params, x: tf.Tensor2D, config: Config): StepLoss {
  const mode = config.train.mode;
  const perSample = readsSampleStatistics(config.optimizer);
  if (mode === 'mask') return maskStep(params, x, config.model, perSample);
  return gatherStep(params, x, config.model, mode === 'gather-remask', perSample);
}
