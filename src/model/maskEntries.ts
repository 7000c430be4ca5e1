/**
 * The training mask of a batch (SPEC.md §2) as a list of entries instead of a [B, H]
 * matrix: entry n puts cell cells[n] of sample samples[n] in the mask. The per-sample
 * top k gives k entries per sample, sample by sample. Lifetime sparsity appends, for each
 * cell, its ceil(rate B) most active samples (ties to the lower sample), with keep = 0 on
 * those the sample's own top k already holds, so that every (sample, cell) of the mask
 * max(M, L) counts exactly once. The B k (+ H ceil(rate B)) entries are the mask's
 * nonzero part; the sparse passes (sparseAutoencoder.ts) touch only their rows of W.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../config/schema';
import { lifetimeSamples, topKMask, winnerPairs } from './topk';

export interface MaskEntries {
  samples: tf.Tensor1D; // [n] int32
  cells: tf.Tensor1D; // [n] int32
  keep: tf.Tensor1D; // [n] float32: 1, or 0 for a lifetime entry the top k already holds
}

/** Each sample's top-k cells: k entries per sample, in sample order. */
function topKEntries(z: tf.Tensor2D, k: number): { samples: tf.Tensor1D; cells: tf.Tensor1D } {
  const { rows, columns } = winnerPairs(tf.topk(z, k).indices as tf.Tensor2D);
  return { samples: rows, cells: columns };
}

/** Each cell's `count` most active samples (the lifetime mask L), cell by cell. */
function lifetimeEntries(z: tf.Tensor2D, count: number): { samples: tf.Tensor1D; cells: tf.Tensor1D } {
  const { rows, columns } = winnerPairs(tf.topk(tf.transpose(z), count).indices as tf.Tensor2D);
  return { samples: columns, cells: rows };
}

/** The entries of the training mask of the activations z [B, H]; call inside tf.tidy. */
export function trainingEntries(z: tf.Tensor2D, model: ModelConfig): MaskEntries {
  const top = topKEntries(z, model.k);
  const topKeep = tf.ones(top.cells.shape) as tf.Tensor1D;
  if (!model.lifetime_sparsity) return { ...top, keep: topKeep };
  const life = lifetimeEntries(z, lifetimeSamples(model.lifetime_rate, z.shape[0]));
  const inTopK = tf.gatherND(topKMask(z, model.k), tf.stack([life.samples, life.cells], 1)); // M[s, j] per entry
  return {
    samples: tf.concat([top.samples, life.samples]) as tf.Tensor1D,
    cells: tf.concat([top.cells, life.cells]) as tf.Tensor1D,
    keep: tf.concat([topKeep, tf.sub(1, inTopK) as tf.Tensor1D]) as tf.Tensor1D,
  };
}

/** Mean over samples of the cells in each sample's mask: [] */
export function meanActive(entries: MaskEntries, batch: number): tf.Scalar {
  return tf.div(tf.sum(entries.keep), batch);
}

/** Per-entry values ([n, ...row]) summed by slot into `count` rows (repeated slots add up): [count, ...row]. */
export function sumBySlot(slots: tf.Tensor1D, perEntry: tf.Tensor, count: number): tf.Tensor {
  return tf.scatterND(tf.expandDims(slots, 1), perEntry, [count, ...perEntry.shape.slice(1)]);
}

/** The cells the entries use, A (ascending), and each entry's slot in A: read back to index rows. */
export interface GatheredCells {
  A: tf.Tensor1D; // [|A|] int32
  size: number; // |A|
  slots: tf.Tensor1D; // [n] int32, A[slots[n]] = cells[n]
  slotOfCell: tf.Tensor1D; // [H] int32, A[slotOfCell[j]] = j for the cells in A (0 for others)
}

export function gatheredCells(entries: MaskEntries, hidden: number): GatheredCells {
  const cells = entries.cells.dataSync();
  const used = new Uint8Array(hidden);
  for (const j of cells) used[j] = 1;
  const slotOf = new Int32Array(hidden);
  const A: number[] = [];
  used.forEach((u, j) => {
    if (u) slotOf[j] = A.push(j) - 1;
  });
  const slots = Int32Array.from(cells, (j) => slotOf[j]!);
  return { A: tf.tensor1d(A, 'int32'), size: A.length, slots: tf.tensor1d(slots, 'int32'), slotOfCell: tf.tensor1d(slotOf, 'int32') };
}
