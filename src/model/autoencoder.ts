/**
 * The k-sparse autoencoder's forward pass and its backward pass written out by hand
 * (SPEC.md §2): tfjs autograd's matMul gradient uses transposed products, which take
 * wasm's slow scalar path, so every product here is untransposed and the transposes are
 * explicit. The same maths serves every mode (SPEC.md §3): `params` holds all cells in
 * `mask` mode and only the gathered cells in the gather modes.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../config/schema';
import {
  decoderActivation,
  decoderActivationGrad,
  encoderActivation,
  encoderActivationGrad,
} from './activations';
import { decoderWeight, type Params } from './params';

export interface Forward {
  WT: tf.Tensor2D; // [D, H] W transposed once, reused by the backward pass
  pre: tf.Tensor2D; // [B, H] x W^T + b
  z: tf.Tensor2D; // [B, H] encoder activation
  mask: tf.Tensor2D | null; // [B, H] 0/1 cells kept per sample; null keeps every cell
  h: tf.Tensor2D; // [B, H] z * mask
  y: tf.Tensor2D; // [B, D] reconstruction
  loss: tf.Scalar; // mean over batch and pixels of (y - x)^2
}

/** Dense gradients of the loss for the parameters the forward pass used. */
export interface ParamGradients {
  W: tf.Tensor2D; // [H, D], encoder and (tied) decoder paths summed
  b: tf.Tensor1D; // [H]
  c: tf.Tensor1D; // [D]
  W_dec: tf.Tensor2D | null; // [H, D] when untied
}

/** Mean squared reconstruction error over batch and pixels. */
export function meanSquaredError(y: tf.Tensor2D, x: tf.Tensor2D): tf.Scalar {
  return tf.mean(tf.squaredDifference(y, x));
}

/** The encoder's pre-activation x W^T + b. */
export function encoderPre(x: tf.Tensor2D, WT: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  return tf.add(tf.matMul(x, WT), b) as tf.Tensor2D; // [B, H]
}

/**
 * Forward pass; `maskOf` picks the cells each sample keeps from the activations (null:
 * all). `pre` may be passed in when the caller already computed x W^T + b.
 */
export function forward(
  params: Params,
  x: tf.Tensor2D,
  model: ModelConfig,
  maskOf: (z: tf.Tensor2D) => tf.Tensor2D | null,
  pre?: tf.Tensor2D,
): Forward {
  const WT = tf.transpose(params.W) as tf.Tensor2D;
  const encoded = pre ?? encoderPre(x, WT, params.b);
  const z = encoderActivation(encoded, model.encoder_activation);
  const mask = maskOf(z);
  const h = mask ? (tf.mul(z, mask) as tf.Tensor2D) : z;
  const yPre = tf.add(tf.matMul(h, decoderWeight(params)), params.c) as tf.Tensor2D; // [B, D]
  const y = decoderActivation(yPre, model.decoder_activation);
  return { WT, pre: encoded, z, mask, h, y, loss: meanSquaredError(y, x) };
}

/**
 * The backward pass's error signals, batch means like the loss: sample i's own loss alone
 * has B times row i of each (src/model/sampleStatistics.ts uses that).
 */
export interface ErrorSignals {
  dyPre: tf.Tensor2D; // [B, D] d loss / d (h W_dec + c)
  dPre: tf.Tensor2D; // [B, H] d loss / d (x W^T + b)
}

export interface Backward {
  grads: ParamGradients;
  signals: ErrorSignals;
}

/** Gradients of the mean squared error with respect to every parameter of `params`. */
export function backward(params: Params, x: tf.Tensor2D, fwd: Forward, model: ModelConfig): Backward {
  const [batch, pixels] = x.shape;
  const dy = tf.mul(tf.sub(fwd.y, x), 2 / (batch * pixels)) as tf.Tensor2D; // [B, D]
  const dyPre = decoderActivationGrad(dy, fwd.y, model.decoder_activation);
  const dDecoder = tf.matMul(tf.transpose(fwd.h), dyPre) as tf.Tensor2D; // [H, D]
  const decoderT = params.W_dec ? (tf.transpose(params.W_dec) as tf.Tensor2D) : fwd.WT; // [D, H]
  const dh = tf.matMul(dyPre, decoderT) as tf.Tensor2D; // [B, H]
  const dz = fwd.mask ? (tf.mul(dh, fwd.mask) as tf.Tensor2D) : dh;
  const dPre = encoderActivationGrad(dz, fwd.pre, model.encoder_activation);
  const dEncoder = tf.matMul(tf.transpose(dPre), x) as tf.Tensor2D; // [H, D]
  const grads = {
    W: params.W_dec ? dEncoder : (tf.add(dEncoder, dDecoder) as tf.Tensor2D),
    b: tf.sum(dPre, 0) as tf.Tensor1D,
    c: tf.sum(dyPre, 0) as tf.Tensor1D,
    W_dec: params.W_dec ? dDecoder : null,
  };
  return { grads, signals: { dyPre, dPre } };
}
