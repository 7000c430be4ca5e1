/**
 * A parameter's gradient as the optimizer receives it: dense, or row-sparse (the rows
 * that carry gradient and their values: TensorFlow's IndexedSlices). Row indices may
 * repeat; optimizers sum duplicates first (SPEC.md §4), except count-adam, which refuses
 * them (src/optim/countAdam.ts: per-sample statistics of two entries of one row cannot be
 * merged; the modes never repeat a row).
 */
import type * as tf from '@tensorflow/tfjs';
import type { ParamName } from '../model/params';

/**
 * What `count-adam` reads instead of the batch gradient (issue "Adam variants that count
 * updates"): for each row j of a row-sparse gradient, S_j is the set of samples whose
 * training mask holds cell j, and G_ij is sample i's own gradient of row j (the gradient
 * of its loss alone, not divided by B). Made by src/model/sampleStatistics.ts.
 */
export type SampleStatistics = {
  counts: tf.Tensor1D; // [n] n_j = |S_j|
  sum: tf.Tensor; // [n, ...row shape] sum_{i in S_j} G_ij
  sumSquares: tf.Tensor; // [n, ...row shape] sum_{i in S_j} G_ij^2, elementwise
};

export type Gradient =
  | { kind: 'dense'; value: tf.Tensor }
  // indices [n] int32, values [n, ...row shape]; samples only when the optimizer reads them
  | { kind: 'rows'; indices: tf.Tensor1D; values: tf.Tensor; samples?: SampleStatistics };

export type Gradients = Partial<Record<ParamName, Gradient>>;

export function dense(value: tf.Tensor): Gradient {
  return { kind: 'dense', value };
}

export function rows(indices: tf.Tensor1D, values: tf.Tensor, samples?: SampleStatistics): Gradient {
  return samples ? { kind: 'rows', indices, values, samples } : { kind: 'rows', indices, values };
}
