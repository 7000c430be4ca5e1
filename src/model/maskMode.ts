/**
 * The standard k-sparse autoencoder step, `mask` mode (SPEC.md §2 and §3), with its
 * backward pass written out by hand: tfjs autograd's matMul gradient uses transposed
 * products, which take wasm's slow scalar path, so every product here is untransposed
 * and the two transposes are explicit.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../config/schema';
import { dense, type Gradients } from '../optim/gradient';
import {
  decoderActivation,
  decoderActivationGrad,
  encoderActivation,
  encoderActivationGrad,
} from './activations';
import { decoderWeight, type Params } from './params';
import { topKMask } from './topk';

export interface Forward {
  pre: tf.Tensor2D; // [B, H] x W^T + b
  mask: tf.Tensor2D; // [B, H] per-sample top-k, 0/1
  h: tf.Tensor2D; // [B, H] z * mask
  y: tf.Tensor2D; // [B, D] reconstruction
  loss: tf.Scalar; // mean over batch and pixels of (y - x)^2
  WT: tf.Tensor2D; // [D, H] W transposed once, reused by the backward pass
}

/** Mean squared reconstruction error over batch and pixels. */
export function meanSquaredError(y: tf.Tensor2D, x: tf.Tensor2D): tf.Scalar {
  return tf.mean(tf.squaredDifference(y, x));
}

export function maskForward(params: Params, x: tf.Tensor2D, model: ModelConfig): Forward {
  const WT = tf.transpose(params.W) as tf.Tensor2D; // [D, H]
  const pre = tf.add(tf.matMul(x, WT), params.b) as tf.Tensor2D; // [B, H]
  const z = encoderActivation(pre, model.encoder_activation);
  const mask = topKMask(z, model.k);
  const h = tf.mul(z, mask) as tf.Tensor2D;
  const yPre = tf.add(tf.matMul(h, decoderWeight(params)), params.c) as tf.Tensor2D; // [B, D]
  const y = decoderActivation(yPre, model.decoder_activation);
  return { pre, mask, h, y, loss: meanSquaredError(y, x), WT };
}

/** Gradients of the mean squared error with respect to every parameter (all dense). */
export function maskBackward(params: Params, x: tf.Tensor2D, fwd: Forward, model: ModelConfig): Gradients {
  const [batch, pixels] = x.shape;
  const dy = tf.mul(tf.sub(fwd.y, x), 2 / (batch * pixels)) as tf.Tensor2D; // [B, D]
  const dyPre = decoderActivationGrad(dy, fwd.y, model.decoder_activation);
  const dDecoder = tf.matMul(tf.transpose(fwd.h), dyPre); // [H, D]
  const decoderT = params.W_dec ? (tf.transpose(params.W_dec) as tf.Tensor2D) : fwd.WT; // [D, H]
  const dh = tf.matMul(dyPre, decoderT); // [B, H]
  const dPre = encoderActivationGrad(tf.mul(dh, fwd.mask) as tf.Tensor2D, fwd.pre, model.encoder_activation);
  const dEncoder = tf.matMul(tf.transpose(dPre), x); // [H, D]
  const grads: Gradients = {
    b: dense(tf.sum(dPre, 0)),
    c: dense(tf.sum(dyPre, 0)),
  };
  if (params.W_dec) {
    grads.W = dense(dEncoder);
    grads.W_dec = dense(dDecoder);
  } else {
    grads.W = dense(tf.add(dEncoder, dDecoder));
  }
  return grads;
}
