import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { Config } from '../../src/config/schema';
import { maskBackward, maskForward } from '../../src/model/maskMode';
import { paramEntries, type ParamName, type Params } from '../../src/model/params';
import type { Gradient } from '../../src/optim/gradient';
import { assertClose, TEST_BACKENDS, useBackend, values } from '../backends';
import { tinyBatch, tinyConfig, tinyParams } from './tiny';

/** Central differences of the loss in every coordinate of one parameter. */
function numericalGradient(params: Params, name: ParamName, x: tf.Tensor2D, config: Config, eps = 1e-3): number[] {
  const original = params[name]!;
  const base = values(original);
  const lossWith = (flat: number[]) =>
    tf.tidy(() => {
      const trial = { ...params, [name]: tf.tensor(flat, original.shape) };
      return maskForward(trial, x, config.model).loss.dataSync()[0]!;
    });
  return base.map((_, i) => {
    const up = [...base];
    const down = [...base];
    up[i]! += eps;
    down[i]! -= eps;
    return (lossWith(up) - lossWith(down)) / (2 * eps);
  });
}

function denseValues(grad: Gradient | undefined): number[] {
  assert.ok(grad && grad.kind === 'dense', 'mask mode gives dense gradients');
  return values(grad.value);
}

const variants: { what: string; tied: boolean; model: Partial<Config['model']> }[] = [
  { what: 'tied, linear', tied: true, model: {} },
  { what: 'untied, linear', tied: false, model: { tied: false } },
  { what: 'tied, relu encoder, sigmoid decoder', tied: true, model: { encoder_activation: 'relu', decoder_activation: 'sigmoid' } },
];

for (const backend of TEST_BACKENDS) {
  for (const v of variants) {
    test(`mask mode: hand-written gradients match finite differences (${v.what}, ${backend})`, async () => {
      await useBackend(backend);
      const config = tinyConfig(v.model);
      const params = tinyParams(v.tied);
      const x = tinyBatch();
      const grads = tf.tidy(() => maskBackward(params, x, maskForward(params, x, config.model), config.model));
      for (const [name] of paramEntries(params)) {
        assertClose(denseValues(grads[name]), numericalGradient(params, name, x, config), 2e-3, `d loss / d ${name}`);
      }
    });
  }

  test(`mask mode: each sample keeps exactly k cells and the loss is the mean squared error (${backend})`, async () => {
    await useBackend(backend);
    const config = tinyConfig();
    const params = tinyParams(true);
    const x = tinyBatch();
    const fwd = maskForward(params, x, config.model);
    assert.deepEqual(values(tf.sum(fwd.mask, 1)), [2, 2, 2, 2]);
    const manual = tf.mean(tf.square(tf.sub(fwd.y, x))).dataSync()[0]!;
    assertClose([fwd.loss.dataSync()[0]!], [manual], 1e-6, 'loss');
  });
}
