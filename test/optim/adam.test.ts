import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { adamStep, adamStepSize } from '../../src/optim/adam';
import { createOptimizer } from '../../src/optim/optimizer';
import { dense } from '../../src/optim/gradient';
import { initParams } from '../../src/model/params';
import { resolveConfig } from '../../src/config/load';
import { assertClose, TEST_BACKENDS, useBackend, values } from '../backends';

const hp = { lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
const gradients = [
  [0.5, -1.0, 0.0],
  [0.1, 2.0, 0.0],
  [-0.3, 0.0, 4.0],
];
// SPEC.md §4 by hand (float64): W, m, v after steps 1, 2, 3 from W0 = [1, -2, 0.5], m = v = 0.
const expected = [
  { W: [0.900000063, -1.900000032, 0.5], m: [0.05, -0.1, 0], v: [0.00025, 0.001, 0] },
  { W: [0.819696015, -1.936610379, 0.5], m: [0.055, 0.11, 0], v: [0.00025975, 0.004999, 0] },
  { W: [0.798624731, -1.964910284, 0.436118645], m: [0.0195, 0.099, 0.4], v: [0.00034949025, 0.004994001, 0.016] },
];

test('alpha_t = lr sqrt(1 - b2^t) / (1 - b1^t)', () => {
  assert.ok(Math.abs(adamStepSize(hp, 1) - 0.1 * Math.sqrt(0.001) / 0.1) < 1e-15);
  assert.ok(Math.abs(adamStepSize(hp, 3) - 0.0202010597) < 1e-9);
});

for (const backend of TEST_BACKENDS) {
  test(`adam: three steps match the formula computed by hand (${backend})`, async () => {
    await useBackend(backend);
    let param: tf.Tensor = tf.tensor1d([1, -2, 0.5]);
    let moments = { m: tf.zeros([3]), v: tf.zeros([3]) };
    gradients.forEach((g, i) => {
      const next = adamStep(param, tf.tensor1d(g), moments, i + 1, hp);
      param = next.param;
      moments = next.moments as typeof moments;
      const want = expected[i]!;
      assertClose(values(param), want.W, 1e-6, `W after step ${i + 1}`);
      assertClose(values(moments.m), want.m, 1e-6, `m after step ${i + 1}`);
      assertClose(values(moments.v), want.v, 1e-6, `v after step ${i + 1}`);
    });
  });
}

test('the optimizer counts steps globally and leaves no tensor behind', async () => {
  await useBackend('cpu');
  const config = resolveConfig({ sets: ['model.hidden=4', 'optimizer.lr=0.1'] });
  const params = initParams(config.model, 3, 0);
  const optimizer = createOptimizer(config.optimizer);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) {
    const grads = { b: dense(tf.ones([4])), c: dense(tf.ones([3])) };
    optimizer.step(params, grads);
    tf.dispose(grads);
  }
  assert.equal(optimizer.steps, 3);
  // Slots for b and c (m and v each) are the only new tensors; the old params were disposed.
  assert.equal(tf.memory().numTensors, before + 4);
  // Constant gradient 1: every step moves by alpha_t * m_hat / sqrt(v_hat) = lr exactly (to eps).
  assertClose(values(params.b), [-0.3, -0.3, -0.3, -0.3], 1e-5, 'b');
  optimizer.dispose();
  assert.equal(tf.memory().numTensors, before);
});
