import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { countAdamRule } from '../../src/optim/countAdam';
import { dense, type Gradient } from '../../src/optim/gradient';
import { TEST_BACKENDS, useBackend } from '../backends';
import { adamRowsCase, assertAdamSteps, assertDenseBiasIsAdam, optimizerConfig, rowGradient, sampledRowGradient } from './fixtures';

const hp = optimizerConfig('count-adam'); // lr 0.1, b1 0.9, b2 0.999, eps_hat 1e-8

/*
 * By hand in float64 (python3), W0 = [[1, 2], [3, 4], [5, 6], [7, 8]], m = v = c = 0;
 * alpha(c) = 0.1 sqrt(1 - 0.999^c) / (1 - 0.9^c).
 * t = 1, indices [0, 2, 3]:
 *   row 0, three samples [0.5, -1], [0.1, 0.3], [-0.2, 0.4]: n = 3, mean = [0.4, -0.3] / 3,
 *     mean square = [0.3, 1.25] / 3; m_0 = (1 - 0.9^3) mean = [0.0361333, -0.0271],
 *     v_0 = (1 - 0.999^3) mean square = [0.0002997001, 0.00124875042], c_0 = 3,
 *     W_0 = [1, 2] - alpha(3) m_0 / (sqrt(v_0) + 1e-8) = [0.95783632, 2.01549193];
 *   row 2, one sample [2, 0.25]: Adam's first step, W_2 = [4.9, 5.9], c_2 = 1;
 *   row 3, no sample (n = 0): untouched, like row 1, which is not in the indices.
 * t = 2, indices [1, 2]:
 *   row 1, samples [-0.4, 0.8], [0.2, 0.6]: n = 2, m_1 = 0.19 [-0.1, 0.7] = [-0.019, 0.133],
 *     v_1 = 0.001999 [0.1, 0.5] = [0.0001999, 0.0009995], c_1 = 2,
 *     W_1 = [3, 4] - alpha(2) m_1 / (sqrt(v_1) + 1e-8) = [3.03162275, 3.90100508];
 *   row 2, samples [1, -2], [0.5, 0]: m_2 = 0.81 [0.2, 0.025] + 0.19 [0.75, -1] = [0.3045, -0.16975],
 *     v_2 = 0.999^2 [0.004, 6.25e-5] + 0.001999 [0.625, 2] = [0.005241379, 0.00406037506], c_2 = 3,
 *     W_2 = [4.9, 5.9] - alpha(3) m_2 / (sqrt(v_2) + 1e-8) = [4.8150353, 5.95381481];
 *   rows 0 and 3 untouched.
 */
const expected = [
  {
    W: [0.957836322, 2.01549193, 3, 4, 4.90000002, 5.90000013, 7, 8],
    m: [0.0361333333, -0.0271, 0, 0, 0.2, 0.025, 0, 0],
    v: [0.0002997001, 0.00124875042, 0, 0, 0.004, 6.25e-5, 0, 0],
    count: [3, 0, 1, 0],
  },
  {
    W: [0.957836322, 2.01549193, 3.03162275, 3.90100508, 4.8150353, 5.95381481, 7, 8],
    m: [0.0361333333, -0.0271, -0.019, 0.133, 0.3045, -0.16975, 0, 0],
    v: [0.0002997001, 0.00124875042, 0.0001999, 0.0009995, 0.005241379, 0.00406037506, 0, 0],
    count: [3, 2, 3, 0],
  },
];

function handCase() {
  return [
    sampledRowGradient([0, 2, 3], [[[0.5, -1], [0.1, 0.3], [-0.2, 0.4]], [[2, 0.25]], []], [2]),
    sampledRowGradient([1, 2], [[[-0.4, 0.8], [0.2, 0.6]], [[1, -2], [0.5, 0]]], [2]),
  ];
}

for (const backend of TEST_BACKENDS) {
  test(`count-adam: two steps by hand, one observation per sample; rows with n = 0 bit-identical (${backend})`, async () => {
    await useBackend(backend);
    assertAdamSteps(countAdamRule(hp), adamRowsCase().W0, handCase(), expected, [[1, 3], [0, 3]]);
  });

  test(`count-adam on a dense bias is the dense Adam step (${backend})`, async () => {
    await useBackend(backend);
    assertDenseBiasIsAdam(countAdamRule(hp), hp);
  });
}

test('count-adam refuses repeated indices, rows without statistics and a dense matrix', async () => {
  await useBackend('cpu');
  const W0 = tf.tensor2d([[1, 2], [3, 4]]);
  const rule = countAdamRule(hp);
  const refused = (grad: Gradient) => () => tf.tidy(() => rule.apply({ param: W0, slots: rule.initSlots(W0) }, grad, 1));
  assert.throws(refused(sampledRowGradient([1, 1], [[[1, 2]], [[3, 4]]], [2])), /row indices repeat: 2 indices, 1 distinct/);
  assert.throws(refused(rowGradient([0], [[1, 2]])), /count-adam got a row-sparse gradient without per-sample statistics/);
  assert.throws(refused(dense(tf.ones([2, 2]))), /count-adam got a dense gradient \[2,2\] without per-sample statistics/);
});
