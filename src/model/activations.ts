/** Encoder and decoder activations (SPEC.md §2) and their derivatives for the backward pass. */
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../config/schema';

type EncoderActivation = ModelConfig['encoder_activation'];
type DecoderActivation = ModelConfig['decoder_activation'];

export function encoderActivation<T extends tf.Tensor>(pre: T, kind: EncoderActivation): T {
  return kind === 'relu' ? tf.relu(pre) : pre;
}

/** d loss / d pre, given d loss / d z and the pre-activation. */
export function encoderActivationGrad<T extends tf.Tensor>(dz: T, pre: T, kind: EncoderActivation): T {
  return kind === 'relu' ? tf.mul(dz, tf.step(pre)) : dz;
}

export function decoderActivation(pre: tf.Tensor2D, kind: DecoderActivation): tf.Tensor2D {
  return kind === 'sigmoid' ? tf.sigmoid(pre) : pre;
}

/** d loss / d pre, given d loss / d y and the output y itself (sigmoid' = y (1 - y)). */
export function decoderActivationGrad(dy: tf.Tensor2D, y: tf.Tensor2D, kind: DecoderActivation): tf.Tensor2D {
  return kind === 'sigmoid' ? tf.mul(dy, tf.mul(y, tf.sub(1, y))) : dy;
}
