import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { Config } from '../../src/config/schema';
import { encoderActivation } from '../../src/model/activations';
import { backward, encoderPre, forward } from '../../src/model/autoencoder';
import { sumBySlot, trainingEntries } from '../../src/model/maskEntries';
import { paramEntries, type ParamName, type Params } from '../../src/model/params';
import { sparseBackward, sparseForward, sumRowsBySlot, type ScaledRows } from '../../src/model/sparseAutoencoder';
import { assertClose, TEST_BACKENDS, useBackend, values } from '../backends';
import { trainingMask } from './denseMask';
import { tinyBatch, tinyConfig, tinyParams } from './tiny';

type Result = { loss: number; grads: Record<string, number[]> };

/** Loss and gradients of the dense passes on the dense training mask: the reference. */
function densePasses(params: Params, x: tf.Tensor2D, model: Config['model']): Result {
  return tf.tidy(() => {
    const pre = encoderPre(x, params.W, params.b);
    const mask = trainingMask(encoderActivation(pre, model.encoder_activation), model);
    const fwd = forward(params, x, model, () => mask, pre);
    const { grads } = backward(params, x, fwd, model);
    const named: Record<string, number[]> = { W: values(grads.W), b: values(grads.b), c: values(grads.c) };
    if (grads.W_dec) named.W_dec = values(grads.W_dec);
    return { loss: fwd.loss.dataSync()[0]!, grads: named };
  });
}

/** The sparse passes on the mask's entries, each gradient's entry rows summed by cell. */
function sparsePasses(params: Params, x: tf.Tensor2D, model: Config['model']): Result {
  return tf.tidy(() => {
    const pre = encoderPre(x, params.W, params.b);
    const entries = trainingEntries(encoderActivation(pre, model.encoder_activation), model);
    const fwd = sparseForward(params, x, pre, entries, model);
    const { grads } = sparseBackward(params, x, entries, fwd, model);
    const byCell = (rows: ScaledRows) => values(sumRowsBySlot(rows, (cells) => cells, model.hidden));
    const named: Record<string, number[]> = { W: byCell(grads.W), b: values(sumBySlot(entries.cells, grads.b, model.hidden)), c: values(grads.c) };
    if (grads.W_dec) named.W_dec = byCell(grads.W_dec);
    return { loss: fwd.loss.dataSync()[0]!, grads: named };
  });
}

/** max |actual - expected| within tolerance times the largest |expected|. */
function assertCloseToScale(actual: number[], expected: number[], tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const scale = expected.reduce((max, e) => Math.max(max, Math.abs(e)), 0);
  const worst = actual.reduce((max, a, i) => Math.max(max, Math.abs(a - expected[i]!)), 0);
  assert.ok(worst <= tolerance * scale, `${what}: differs by ${worst}, scale ${scale}`);
}

const variants: { what: string; tied: boolean; model: Partial<Config['model']> }[] = [
  { what: 'tied, linear', tied: true, model: {} },
  { what: 'untied, linear', tied: false, model: { tied: false } },
  { what: 'tied, relu encoder, sigmoid decoder', tied: true, model: { encoder_activation: 'relu', decoder_activation: 'sigmoid' } },
  { what: 'untied, lifetime sparsity', tied: false, model: { tied: false, lifetime_sparsity: true } },
];

for (const backend of TEST_BACKENDS) {
  for (const v of variants) {
    test(`sparse passes on the mask's entries = dense passes on the mask, tiny model (${v.what}, ${backend})`, async () => {
      await useBackend(backend);
      const model = tinyConfig(v.model).model;
      const params = tinyParams(v.tied);
      const x = tinyBatch();
      const [sparse, dense] = [sparsePasses(params, x, model), densePasses(params, x, model)];
      assertClose([sparse.loss], [dense.loss], 1e-6, 'loss');
      for (const [name] of paramEntries(params) as [ParamName, tf.Tensor][]) {
        assertClose(sparse.grads[name]!, dense.grads[name]!, 1e-5, `d loss / d ${name}`);
      }
    });
  }

  test(`sparse passes = dense passes on a default-size batch (H 1000, k 25, B 100, lifetime on) (${backend})`, async () => {
    await useBackend(backend);
    const model = tinyConfig({ hidden: 1000, k: 25, lifetime_sparsity: true }).model;
    const params: Params = {
      W: tf.randomNormal([1000, 784], 0, 0.05, 'float32', 1),
      b: tf.randomNormal([1000], 0, 0.01, 'float32', 2),
      c: tf.randomNormal([784], 0, 0.01, 'float32', 3),
      W_dec: null,
    };
    const x = tf.randomUniform([100, 784], 0, 1, 'float32', 4) as tf.Tensor2D;
    const [sparse, dense] = [sparsePasses(params, x, model), densePasses(params, x, model)];
    assertClose([sparse.loss], [dense.loss], 1e-5, 'loss');
    for (const name of ['W', 'b', 'c']) assertCloseToScale(sparse.grads[name]!, dense.grads[name]!, 1e-4, `d loss / d ${name}`);
    tf.dispose(Object.values(params).filter((p): p is tf.Tensor => p !== null));
  });
}
