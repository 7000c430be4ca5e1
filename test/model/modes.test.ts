import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { Config } from '../../src/config/schema';
import { lossAndGradients } from '../../src/model/modes';
import { paramEntries, type ParamName, type Params } from '../../src/model/params';
import { densify } from '../../src/optim/rows';
import type { Gradient } from '../../src/optim/gradient';
import { assertClose, TEST_BACKENDS, useBackend, values } from '../backends';
import { passes, toFloat64 } from '../reference/reference';
import { tinyBatch, tinyConfig, tinyParams } from './tiny';

type Mode = Config['train']['mode'];

function withMode(config: Config, mode: Mode): Config {
  return { ...config, train: { ...config.train, mode } };
}

/**
 * Central differences, in float64, of the reference loss (test/reference/reference.ts:
 * SPEC.md's loss written independently of src/) in every coordinate of one parameter.
 * float32 differences of the model's own loss resolve no better than about 1e-4 here
 * (the loss's rounding over 2 eps), too coarse for gradients of 1e-3.
 */
function numericalGradient(params: Params, name: ParamName, x: tf.Tensor2D, config: Config, eps = 1e-6): number[] {
  const p = toFloat64({ W: params.W.dataSync(), b: params.b.dataSync(), c: params.c.dataSync(), W_dec: params.W_dec?.dataSync() ?? null });
  const xs = Float64Array.from(x.dataSync());
  assert.ok(passes(p, xs, config).margin > 1e-3, 'no near-tie in the batch');
  const value = p[name]!;
  return Array.from(value, (_, k) => {
    const lossAt = (delta: number) => passes({ ...p, [name]: value.map((v, i) => (i === k ? v + delta : v)) }, xs, config).loss;
    return (lossAt(eps) - lossAt(-eps)) / (2 * eps);
  });
}

function gradientValues(grad: Gradient | undefined, shape: number[]): number[] {
  assert.ok(grad, 'a gradient for every parameter');
  return tf.tidy(() => values(densify(grad, shape)));
}

const variants: { what: string; tied: boolean; model: Partial<Config['model']> }[] = [
  { what: 'tied, linear', tied: true, model: {} },
  { what: 'untied, linear', tied: false, model: { tied: false } },
  { what: 'tied, relu encoder, sigmoid decoder', tied: true, model: { encoder_activation: 'relu', decoder_activation: 'sigmoid' } },
  { what: 'tied, lifetime sparsity', tied: true, model: { lifetime_sparsity: true } },
];
const modes: Mode[] = ['mask', 'gather', 'gather-remask'];

for (const backend of TEST_BACKENDS) {
  for (const mode of modes) {
    for (const v of variants) {
      test(`${mode}: hand-written gradients match finite differences (${v.what}, ${backend})`, async () => {
        await useBackend(backend);
        const config = withMode(tinyConfig(v.model), mode);
        const params = tinyParams(v.tied);
        const x = tinyBatch();
        const { grads } = tf.tidy(() => lossAndGradients(params, x, config));
        for (const [name, tensor] of paramEntries(params)) {
          const analytic = gradientValues(grads[name], tensor.shape);
          const numeric = numericalGradient(params, name, x, config);
          // float32 sums of the gradient's terms round at the scale of its largest elements
          const floor = 1e-6 * Math.max(...numeric.map(Math.abs));
          assertClose(analytic, numeric, 1e-5, `${mode} d loss / d ${name}`, floor);
        }
      });
    }
  }

  test(`gather modes hand W, b (and W_dec) to the optimizer row-sparse on the gathered cells (${backend})`, async () => {
    await useBackend(backend);
    const config = withMode(tinyConfig({ tied: false }), 'gather');
    const { grads } = tf.tidy(() => lossAndGradients(tinyParams(false), tinyBatch(), config));
    for (const name of ['W', 'b', 'W_dec'] as const) assert.equal(grads[name]?.kind, 'rows', name);
    assert.equal(grads.c?.kind, 'dense');
  });

  test(`gather-remask: same loss as mask, same gradient on the gathered rows, zero elsewhere (${backend})`, async () => {
    await useBackend(backend);
    const config = tinyConfig({ hidden: 12 });
    const params = { ...tinyParams(true), W: tf.randomNormal([12, 6], 0, 0.5, 'float32', 3) as tf.Tensor2D, b: tf.zeros([12]) as tf.Tensor1D };
    const x = tinyBatch();
    const masked = tf.tidy(() => lossAndGradients(params, x, withMode(config, 'mask')));
    const remasked = tf.tidy(() => lossAndGradients(params, x, withMode(config, 'gather-remask')));
    assertClose([remasked.loss.dataSync()[0]!], [masked.loss.dataSync()[0]!], 1e-6, 'loss');
    assert.ok(remasked.gatheredCells < 12, `gathered ${remasked.gatheredCells} of 12 cells`);
    for (const [name, tensor] of paramEntries(params)) {
      assertClose(gradientValues(remasked.grads[name], tensor.shape), gradientValues(masked.grads[name], tensor.shape), 1e-5, name);
    }
  });

  test(`gather gathers every cell with lifetime sparsity, fewer without (${backend})`, async () => {
    await useBackend(backend);
    // 20 cells, 4 samples of k = 2: without lifetime at most 8 cells can be active.
    const params = { ...tinyParams(true), W: tf.randomNormal([20, 6], 0, 0.5, 'float32', 5) as tf.Tensor2D, b: tf.zeros([20]) as tf.Tensor1D };
    const x = tinyBatch();
    const gathered = (lifetime: boolean) =>
      tf.tidy(() => lossAndGradients(params, x, withMode(tinyConfig({ hidden: 20, lifetime_sparsity: lifetime }), 'gather')).gatheredCells);
    assert.equal(gathered(true), 20);
    const without = gathered(false);
    assert.ok(without >= 2 && without <= 8, `without lifetime: ${without} cells`);
  });
}
