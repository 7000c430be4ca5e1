import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { lazyAdamRule } from '../../src/optim/lazyAdam';
import { dense } from '../../src/optim/gradient';
import { assertClose, TEST_BACKENDS, useBackend, values } from '../backends';
import { adamRowsCase, assertAdamSteps, optimizerConfig, randomRowGradients, rowBits, runRule } from './fixtures';

const hp = optimizerConfig('lazy-adam'); // lr 0.1, b1 0.9, b2 0.999, eps_hat 1e-8

/*
 * By hand (float64), W0 = [[1, 2], [3, 4], [5, 6], [7, 8]], m = v = 0:
 * t = 1, indices [0, 2, 0]: U = {0, 2}, g_0 = [0.5, -1] + [0.1, 0.3] = [0.6, -0.7] (summed),
 *   g_2 = [2, 0.25]. m_j = 0.1 g_j, v_j = 0.001 g_j^2, alpha_1 = 0.1 sqrt(0.001) / 0.1 =
 *   0.0316228, so W_j moves by alpha_1 m_j / (sqrt(v_j) + 1e-8) = 0.1 sign(g_j) (to 1e-7):
 *   W_0 = [0.9, 2.1], W_2 = [4.9, 5.9]; rows 1 and 3 untouched.
 * t = 2, indices [1, 2]: row 1 is touched for the first time, with the GLOBAL t = 2:
 *   m_1 = 0.1 [-0.4, 0.8] = [-0.04, 0.08], v_1 = 0.001 [0.16, 0.64],
 *   alpha_2 = 0.1 sqrt(1 - 0.999^2) / (1 - 0.9^2) = 0.0235317, W_1 = [3, 4] -
 *   alpha_2 m_1 / (sqrt(v_1) + 1e-8) = [3.0744136, 3.9255864] (t = 1 would give [3.1, 3.9]).
 *   Row 2: m_2 = 0.9 [0.2, 0.025] + 0.1 [1, -2] = [0.28, -0.1775],
 *   v_2 = 0.999 [0.004, 6.25e-5] + 0.001 [1, 4] = [0.004996, 0.0040624375],
 *   W_2 = [4.9, 5.9] - alpha_2 m_2 / (sqrt(v_2) + 1e-8) = [4.8067821, 5.9655328].
 *   Rows 0 and 3 untouched.
 */
const expected = [
  {
    W: [0.900000053, 2.09999995, 3, 4, 4.90000002, 5.90000013, 7, 8],
    m: [0.06, -0.07, 0, 0, 0.2, 0.025, 0, 0],
    v: [0.00036, 0.00049, 0, 0, 0.004, 6.25e-5, 0, 0],
  },
  {
    W: [0.900000053, 2.09999995, 3.07441362, 3.92558635, 4.80678207, 5.96553278, 7, 8],
    m: [0.06, -0.07, -0.04, 0.08, 0.28, -0.1775, 0, 0],
    v: [0.00036, 0.00049, 0.00016, 0.00064, 0.004996, 0.0040624375, 0, 0],
  },
];

for (const backend of TEST_BACKENDS) {
  test(`lazy-adam: touched rows by hand, duplicates summed, global t; untouched rows bit-identical (${backend})`, async () => {
    await useBackend(backend);
    const { W0, grads } = adamRowsCase();
    assertAdamSteps(lazyAdamRule(hp), W0, grads, expected, [[1, 3], [0, 3]]);
  });

  test(`lazy-adam: rows outside each step's indices keep W, m, v bit-identical over 8 random steps (${backend})`, async () => {
    await useBackend(backend);
    const W0 = tf.randomNormal([7, 3], 0, 1, 'float32', 3);
    const grads = randomRowGradients(11, 8, 3, [7, 3]);
    const states = runRule(lazyAdamRule(hp), W0, grads);
    let previous = { param: W0, slots: { m: tf.zerosLike(W0), v: tf.zerosLike(W0) } };
    states.forEach((state, i) => {
      const grad = grads[i]!;
      assert.ok(grad.kind === 'rows');
      const touched = new Set(values(grad.indices));
      const untouched = [0, 1, 2, 3, 4, 5, 6].filter((row) => !touched.has(row));
      for (const [what, now, before] of [
        ['W', state.param, previous.param],
        ['m', state.slots.m, previous.slots.m],
        ['v', state.slots.v, previous.slots.v],
      ] as const) {
        assert.deepEqual(rowBits(now, untouched), rowBits(before, untouched), `step ${i + 1}: rows ${untouched} of ${what}`);
      }
      const moved = tf.tidy(() => values(tf.any(tf.notEqual(state.param, previous.param), 1)));
      assert.deepEqual([...touched].filter((row) => !moved[row]), [], `step ${i + 1}: every touched row of W moved`);
      previous = state;
    });
  });

  test(`lazy-adam on dense gradients: zero rows of a matrix untouched, a bias takes the dense update (${backend})`, async () => {
    await useBackend(backend);
    const W0 = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const b0 = tf.tensor1d([0.5, -0.5, 1]);
    const rule = lazyAdamRule(hp);
    const [w1, w2] = runRule(rule, W0, [dense(tf.tensor2d([[0, 0], [1, -2], [0, 0]])), dense(tf.tensor2d([[0.5, 0], [0, 0], [0, 0]]))]);
    const [b1, b2] = runRule(rule, b0, [dense(tf.tensor1d([1, 0, -2])), dense(tf.tensor1d([0, 0.5, 0]))]);
    assert.ok(w1 && w2 && b1 && b2);
    // W: row 1 takes the Adam step at t = 1 (moves by 0.1 sign(g)); row 0 at t = 2 with
    // alpha_2 (m = 0.1 [0.5, 0] -> W_00 = 1 - 0.0235317 * 0.05 / (sqrt(0.00025) + 1e-8)).
    assertClose(values(w1.param), [1, 2, 2.90000003, 4.09999998, 5, 6], 1e-6, 'W after step 1');
    assertClose(values(w2.param), [0.925586365, 2, 2.90000003, 4.09999998, 5, 6], 1e-6, 'W after step 2');
    assert.deepEqual(rowBits(w1.param, [0, 2]), rowBits(W0, [0, 2]), 'step 1: zero rows 0, 2 of W');
    assert.deepEqual(rowBits(w1.slots.m, [0, 2]), rowBits(tf.zeros([3, 2]), [0, 2]), 'step 1: zero rows 0, 2 of m');
    assert.deepEqual(rowBits(w2.param, [1, 2]), rowBits(w1.param, [1, 2]), 'step 2: zero rows 1, 2 of W');
    assert.deepEqual(rowBits(w2.slots.m, [1, 2]), rowBits(w1.slots.m, [1, 2]), 'step 2: zero rows 1, 2 of m');
    assert.deepEqual(rowBits(w2.slots.v, [1, 2]), rowBits(w1.slots.v, [1, 2]), 'step 2: zero rows 1, 2 of v');
    // b, dense Adam: element 0 moves at t = 2 with g = 0 (m = 0.09, v = 0.000999), which a
    // row-wise update would not do: 0.4 - 0.0235317 * 0.09 / sqrt(0.000999) = 0.3329942.
    assertClose(values(b1.param), [0.400000032, -0.5, 1.09999998], 1e-6, 'b after step 1');
    assertClose(values(b2.param), [0.332994227, -0.574413635, 1.1670058], 1e-6, 'b after step 2');
  });
}
