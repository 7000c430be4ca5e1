/**
 * The autoencoder's parameters (SPEC.md §2): W [H, D] one row per hidden cell, encoder
 * bias b [H], decoder bias c [D], and, when untied, a decoder matrix W_dec [H, D].
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../config/schema';
import { deriveSeed } from '../data/random';

export const PARAM_NAMES = ['W', 'b', 'c', 'W_dec'] as const;
export type ParamName = (typeof PARAM_NAMES)[number];

export interface Params {
  W: tf.Tensor2D; // [H, D]
  b: tf.Tensor1D; // [H]
  c: tf.Tensor1D; // [D]
  W_dec: tf.Tensor2D | null; // [H, D], null when tied
}

/** The matrix the decoder multiplies by: W itself when tied. */
export function decoderWeight(params: Params): tf.Tensor2D {
  return params.W_dec ?? params.W;
}

function initMatrix(model: ModelConfig, inputs: number, seed: number, name: ParamName): tf.Tensor2D {
  const shape: [number, number] = [model.hidden, inputs];
  // tfjs draws an unseeded stream for seed 0 (it tests `seed ?`), so never pass 0.
  const streamSeed = deriveSeed(seed, `init-${name}`) || 1;
  if (model.init === 'normal') return tf.randomNormal(shape, 0, model.init_std, 'float32', streamSeed);
  const limit = Math.sqrt(6 / (model.hidden + inputs)); // Glorot-uniform
  return tf.randomUniform(shape, -limit, limit, 'float32', streamSeed);
}

/** Fresh parameters: W by the configured init, biases zero. */
export function initParams(model: ModelConfig, inputs: number, seed: number): Params {
  return {
    W: initMatrix(model, inputs, seed, 'W'),
    b: tf.zeros([model.hidden]),
    c: tf.zeros([inputs]),
    W_dec: model.tied ? null : initMatrix(model, inputs, seed, 'W_dec'),
  };
}

export function disposeParams(params: Params): void {
  tf.dispose([params.W, params.b, params.c, ...(params.W_dec ? [params.W_dec] : [])]);
}

/** The parameters present, by name (W_dec only when untied). */
export function paramEntries(params: Params): [ParamName, tf.Tensor][] {
  const entries: [ParamName, tf.Tensor][] = [['W', params.W], ['b', params.b], ['c', params.c]];
  if (params.W_dec) entries.push(['W_dec', params.W_dec]);
  return entries;
}
