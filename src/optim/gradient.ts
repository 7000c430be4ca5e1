/**
 * A parameter's gradient as the optimizer receives it: dense, or row-sparse (the rows
 * that carry gradient and their values: TensorFlow's IndexedSlices). Row indices may
 * repeat; optimizers sum duplicates first (SPEC.md §4).
 */
import type * as tf from '@tensorflow/tfjs';
import type { ParamName } from '../model/params';

export type Gradient =
  | { kind: 'dense'; value: tf.Tensor }
  | { kind: 'rows'; indices: tf.Tensor1D; values: tf.Tensor }; // indices [n] int32, values [n, ...row shape]

export type Gradients = Partial<Record<ParamName, Gradient>>;

export function dense(value: tf.Tensor): Gradient {
  return { kind: 'dense', value };
}

export function rows(indices: tf.Tensor1D, values: tf.Tensor): Gradient {
  return { kind: 'rows', indices, values };
}
