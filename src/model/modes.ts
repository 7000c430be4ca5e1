/**
 * The sparsening modes during training (SPEC.md §3): the loss of one batch and the
 * gradients the optimizer receives.
 * - `mask`: h = z * mask over all cells; every gradient dense (zero rows for unused cells).
 * - `gather`: A = cells active in any sample (the mask reduced over the batch); W_A, b_A
 *   (and W_dec_A) are gathered rows; h = z_A for EVERY sample; their gradients reach the
 *   optimizer row-sparse (indices A: TensorFlow's IndexedSlices).
 * - `gather-remask`: as `gather`, then h = z_A * mask[:, A], each sample's own cells.
 * `mask` and `gather-remask` compute the same loss and the same rows of the gradients, on
 * the entries of the mask (sparseAutoencoder.ts); they differ in what the optimizer gets:
 * the rows summed into dense [H, D] gradients, or row-sparse on A. `gather` has a dense
 * code on A and takes the dense passes (autoencoder.ts).
 * When the optimizer reads per-sample statistics (`count-adam`), the row-sparse gradients
 * carry them (src/model/sampleStatistics.ts, from the backward signals at the training
 * mask's entries, on the gathered cells), in `mask` mode too; other optimizers get none
 * and pay nothing for them.
 */
import * as tf from '@tensorflow/tfjs';
import { gatherColumns, gatherElements, gatherRows } from '../backend/ops';
import type { Config, ModelConfig } from '../config/schema';
import { dense, rows, type Gradients } from '../optim/gradient';
import { readsSampleStatistics } from '../optim/optimizer';
import { encoderActivation } from './activations';
import { backward, encoderPre, forward } from './autoencoder';
import {
  gatheredCells,
  meanActive,
  sumBySlot,
  trainingEntries,
  type GatheredCells,
  type MaskEntries,
} from './maskEntries';
import type { Params } from './params';
import { sampleStatistics, type ParamStatistics } from './sampleStatistics';
import {
  sparseBackward,
  sparseForward,
  sumRowsBySlot,
  type EntryGradients,
  type ScaledRows,
  type SparseBackward,
  type SparseForward,
} from './sparseAutoencoder';

export type StepLoss = {
  loss: tf.Scalar;
  grads: Gradients;
  /** Mean number of cells active per training sample (in h). */
  activePerSample: tf.Scalar;
  /** Gather modes: |A|, the cells gathered this step; 0 in mask mode, which gathers nothing. */
  gatheredCells: number;
};

/** The batch's pre-activation [B, H] and the entries of its training mask. */
function encodeBatch(params: Params, x: tf.Tensor2D, model: ModelConfig): { pre: tf.Tensor2D; entries: MaskEntries } {
  const pre = encoderPre(x, params.W, params.b); // [B, H]
  return { pre, entries: trainingEntries(encoderActivation(pre, model.encoder_activation), model) };
}

/** W (and W_dec) row-sparse on cells A, with their per-sample statistics when computed. */
function matrixRows(A: tf.Tensor1D, W: tf.Tensor, W_dec: tf.Tensor | null, stats: ParamStatistics | null): Gradients {
  const grads: Gradients = { W: rows(A, W, stats?.W) };
  if (W_dec) grads.W_dec = rows(A, W_dec, stats?.W_dec);
  return grads;
}

/** The per-sample statistics on A from the signals at the mask's entries (dPre, h: [n], 0 where keep = 0). */
function statisticsOnA(x: tf.Tensor2D, dyPre: tf.Tensor2D, entries: MaskEntries, gathered: GatheredCells, at: { dPre: tf.Tensor1D; h: tf.Tensor1D }, tied: boolean): ParamStatistics {
  const { samples, keep } = entries;
  return sampleStatistics({ x, dyPre, samples, slots: gathered.slots, keep, ...at, cells: gathered.size }, tied);
}

/** `mask`: the entries' rows summed into dense gradients of all H cells. */
function onAllCells(entries: MaskEntries, g: EntryGradients, hidden: number): Gradients {
  const sum = (rowsOf: ScaledRows) => dense(sumRowsBySlot(rowsOf, (cells) => cells, hidden)); // [H, D]
  const grads: Gradients = { W: sum(g.W), b: dense(sumBySlot(entries.cells, g.b, hidden)) };
  if (g.W_dec) grads.W_dec = sum(g.W_dec);
  return grads;
}

/** The entries' rows summed into rows on the cells A they use (and the statistics, for count-adam). */
function onGatheredCells(x: tf.Tensor2D, entries: MaskEntries, fwd: SparseForward, back: SparseBackward, hidden: number, perSample: boolean) {
  const gathered = gatheredCells(entries, hidden);
  const slotOf = (cells: tf.Tensor1D) => gatherRows(gathered.slotOfCell, cells) as tf.Tensor1D;
  const sum = (rowsOf: ScaledRows) => sumRowsBySlot(rowsOf, slotOf, gathered.size); // [|A|, D]
  const g = back.grads;
  const stats = perSample ? statisticsOnA(x, back.dyPre, entries, gathered, { dPre: back.dPre, h: fwd.h }, g.W_dec === null) : null;
  const b = sumBySlot(gathered.slots, g.b, gathered.size); // [|A|]
  const grads: Gradients = { ...matrixRows(gathered.A, sum(g.W), g.W_dec && sum(g.W_dec), stats), b: rows(gathered.A, b, stats?.b) };
  return { grads, size: gathered.size };
}

/**
 * `mask` and `gather-remask`: the same loss and rows of the gradients, from the entries
 * of the mask. With `count-adam` in `mask` mode W (and W_dec) come row-sparse on A with
 * their statistics while the biases stay dense and take the dense update (SPEC.md §4), so
 * count-adam differs between `mask` and `gather-remask` through b only, as lazy-adam does.
 */
function maskedStep(params: Params, x: tf.Tensor2D, model: ModelConfig, remask: boolean, perSample: boolean): StepLoss {
  const { pre, entries } = encodeBatch(params, x, model);
  const fwd = sparseForward(params, x, pre, entries, model);
  const back = sparseBackward(params, x, entries, fwd, model);
  const step = { loss: fwd.loss, activePerSample: meanActive(entries, x.shape[0]) };
  const c = dense(back.grads.c);
  if (remask) {
    const onA = onGatheredCells(x, entries, fwd, back, model.hidden, perSample);
    return { ...step, grads: { ...onA.grads, c }, gatheredCells: onA.size };
  }
  const grads: Gradients = { ...onAllCells(entries, back.grads, model.hidden), c };
  if (perSample) {
    const { W, W_dec } = onGatheredCells(x, entries, fwd, back, model.hidden, true).grads;
    Object.assign(grads, W_dec ? { W, W_dec } : { W });
  }
  return { ...step, grads, gatheredCells: 0 };
}

/** `gather`: every gathered cell active for every sample, a dense code on A. */
function gatherStep(params: Params, x: tf.Tensor2D, model: ModelConfig, perSample: boolean): StepLoss {
  const { pre, entries } = encodeBatch(params, x, model);
  const gathered = gatheredCells(entries, model.hidden);
  const A = gathered.A;
  const onA: Params = {
    W: gatherRows(params.W, A) as tf.Tensor2D, // [|A|, D]
    b: gatherRows(params.b, A) as tf.Tensor1D,
    c: params.c,
    W_dec: params.W_dec ? (gatherRows(params.W_dec, A) as tf.Tensor2D) : null,
  };
  // z_A = x W_A^T + b_A: the gathered columns of x W^T + b, the same numbers.
  const fwd = forward(onA, x, model, () => null, gatherColumns(pre, A));
  const { grads: g, signals } = backward(onA, x, fwd, model);
  // S_j: the samples whose own mask holds cell j, though h uses all of A: dPre and h at the mask's entries.
  const atEntries = (m: tf.Tensor2D) => tf.mul(gatherElements(m, entries.samples, gathered.slots), entries.keep) as tf.Tensor1D;
  const at = () => ({ dPre: atEntries(signals.dPre), h: atEntries(fwd.h) });
  const stats = perSample ? statisticsOnA(x, signals.dyPre, entries, gathered, at(), g.W_dec === null) : null;
  const grads: Gradients = { ...matrixRows(A, g.W, g.W_dec, stats), b: rows(A, g.b, stats?.b), c: dense(g.c) };
  return { loss: fwd.loss, grads, activePerSample: tf.scalar(gathered.size), gatheredCells: gathered.size };
}

/** Loss and gradients of one batch in the configured mode; call inside tf.tidy. */
export function lossAndGradients(params: Params, x: tf.Tensor2D, config: Config): StepLoss {
  const mode = config.train.mode;
  const perSample = readsSampleStatistics(config.optimizer);
  if (mode === 'gather') return gatherStep(params, x, config.model, perSample);
  return maskedStep(params, x, config.model, mode === 'gather-remask', perSample);
}
