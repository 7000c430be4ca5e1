/**
 * The k-sparse autoencoder's dense forward pass and its backward pass written out by hand
 * (SPEC.md §2), on a code that is a [B, n] matrix: the `gather` mode's code on the
 * gathered cells (SPEC.md §3), where every cell is active for every sample, and the
 * reference the sparse passes (sparseAutoencoder.ts) are tested against. tfjs autograd's
 * matMul gradient uses transposed products, which take wasm's slow scalar path; here every
 * product is untransposed and only small [B, n] and [B, D] matrices are transposed, never
 * W: x W^T is computed as (W x^T)^T.
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

/** The encoder's pre-activation x W^T + b, as (W x^T)^T + b. */
export function encoderPre(x: tf.Tensor2D, W: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  const preT = tf.matMul(W, tf.transpose(x)); // [H, B]
  return tf.add(tf.transpose(preT), b) as tf.Tensor2D; // [B, H]
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
  const encoded = pre ?? encoderPre(x, params.W, params.b);
  const z = encoderActivation(encoded, model.encoder_activation);
  const mask = maskOf(z);
  const h = mask ? (tf.mul(z, mask) as tf.Tensor2D) : z;
  const yPre = tf.add(tf.matMul(h, decoderWeight(params)), params.c) as tf.Tensor2D; // [B, D]
  const y = decoderActivation(yPre, model.decoder_activation);
  return { pre: encoded, z, mask, h, y, loss: meanSquaredError(y, x) };
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
  const dh = tf.transpose(tf.matMul(decoderWeight(params), tf.transpose(dyPre))) as tf.Tensor2D; // [B, H] = dyPre W_dec^T
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
