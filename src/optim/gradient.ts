/**
 * A parameter's gradient as the optimizer receives it: dense, or row-sparse (the rows
 * that carry gradient and their values: TensorFlow's IndexedSlices).
 */
import type * as tf from '@tensorflow/tfjs';
import type { ParamName } from '../model/params';

export type Gradient =
  | { kind: 'dense'; value: tf.Tensor }
  | { kind: 'rows'; indices: tf.Tensor1D; values: tf.Tensor2D }; // indices [n] int32, values [n, D]

export type Gradients = Partial<Record<ParamName, Gradient>>;

export function dense(value: tf.Tensor): Gradient {
  return { kind: 'dense', value };
}
