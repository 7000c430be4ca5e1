/** Tiny models for the maths tests: 6 inputs, 5 cells, k = 2, weights large enough to matter. */
import * as tf from '@tensorflow/tfjs';
import { configSchema, type Config } from '../../src/config/schema';
import type { Params } from '../../src/model/params';

export const INPUTS = 6;
export const HIDDEN = 5;
export const BATCH = 4;

export function tinyConfig(model: Partial<Config['model']> = {}): Config {
  return configSchema.parse({ model: { hidden: HIDDEN, k: 2, alpha: 1, ...model } });
}

export function tinyParams(tied: boolean, seed = 1): Params {
  return {
    W: tf.randomNormal([HIDDEN, INPUTS], 0, 0.5, 'float32', seed),
    b: tf.randomNormal([HIDDEN], 0, 0.1, 'float32', seed + 1),
    c: tf.randomNormal([INPUTS], 0, 0.1, 'float32', seed + 2),
    W_dec: tied ? null : tf.randomNormal([HIDDEN, INPUTS], 0, 0.5, 'float32', seed + 3),
  };
}

export function tinyBatch(seed = 7): tf.Tensor2D {
  return tf.randomUniform([BATCH, INPUTS], 0, 1, 'float32', seed);
}
