import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { dense } from '../../src/optim/gradient';
import { lazyAdamRowstepRule } from '../../src/optim/lazyAdamRowstep';
import { assertClose, TEST_BACKENDS, useBackend, values } from '../backends';
import { adamRowsCase, assertAdamSteps, assertDenseBiasIsAdam, optimizerConfig, rowBits, runRule } from './fixtures';

const hp = optimizerConfig('lazy-adam-rowstep'); // lr 0.1, b1 0.9, b2 0.999, eps_hat 1e-8

/*
 * lazy-adam's case (test/optim/lazyAdam.test.ts), by hand in float64 (python3), W0 =
 * [[1, 2], [3, 4], [5, 6], [7, 8]], m = v = c = 0; alpha(c) = 0.1 sqrt(1 - 0.999^c) / (1 - 0.9^c).
 * t = 1, indices [0, 2, 0]: g_0 = [0.5, -1] + [0.1, 0.3] = [0.6, -0.7] (summed: one step,
 *   one count), g_2 = [2, 0.25]; c_0 = c_2 = 1, so the step is lazy-adam's at t = 1:
 *   W_j moves by alpha(1) m_j / (sqrt(v_j) + 1e-8) = 0.1 sign(g_j): W_0 = [0.9, 2.1], W_2 = [4.9, 5.9].
 * t = 2, indices [1, 2]: row 1 is touched for the first time, c_1 = 1 (lazy-adam uses t = 2):
 *   m_1 = [-0.04, 0.08], v_1 = [0.00016, 0.00064], W_1 = [3, 4] - 0.1 sign(g_1) = [3.1, 3.9]
 *   (lazy-adam: [3.0744136, 3.9255864]). Row 2, c_2 = 2 = t: lazy-adam's step,
 *   m_2 = [0.28, -0.1775], v_2 = [0.004996, 0.0040624375], W_2 = [4.8067821, 5.9655328].
 *   Rows 0 and 3 untouched; row 3 never.
 */
const expected = [
  {
    W: [0.900000053, 2.09999996, 3, 4, 4.90000002, 5.90000013, 7, 8],
    m: [0.06, -0.07, 0, 0, 0.2, 0.025, 0, 0],
    v: [0.00036, 0.00049, 0, 0, 0.004, 6.25e-5, 0, 0],
    count: [1, 0, 1, 0],
  },
  {
    W: [0.900000053, 2.09999996, 3.09999992, 3.90000004, 4.80678207, 5.96553278, 7, 8],
    m: [0.06, -0.07, -0.04, 0.08, 0.28, -0.1775, 0, 0],
    v: [0.00036, 0.00049, 0.00016, 0.00064, 0.004996, 0.0040624375, 0, 0],
    count: [1, 1, 2, 0],
  },
];

for (const backend of TEST_BACKENDS) {
  test(`lazy-adam-rowstep: two steps by hand, bias correction by the row's count; untouched rows bit-identical (${backend})`, async () => {
    await useBackend(backend);
    const { W0, grads } = adamRowsCase();
    assertAdamSteps(lazyAdamRowstepRule(hp), W0, grads, expected, [[1, 3], [0, 3]]);
  });

  test(`lazy-adam-rowstep on dense gradients: zero rows of a matrix untouched, a bias takes the dense Adam step (${backend})`, async () => {
    await useBackend(backend);
    const W0 = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const [w1, w2] = runRule(lazyAdamRowstepRule(hp), W0, [
      dense(tf.tensor2d([[0, 0], [1, -2], [0, 0]])),
      dense(tf.tensor2d([[0.5, 0], [0, 0], [0, 0]])),
    ]);
    assert.ok(w1 && w2);
    // Row 0's first touch is at t = 2 with c_0 = 1: W_00 = 1 - 0.1 (lazy-adam: 0.925586365).
    assertClose(values(w2.param), [0.9, 2, 2.90000003, 4.09999998, 5, 6], 1e-6, 'W after step 2');
    assert.deepEqual(values(w2.slots.count), [1, 1, 0]);
    assert.deepEqual(rowBits(w2.param, [1, 2]), rowBits(w1.param, [1, 2]), 'step 2: zero rows 1, 2 of W');
    // A bias is dense: every element counts every step, c = t, so the step is Adam's.
    assertDenseBiasIsAdam(lazyAdamRowstepRule(hp), hp);
  });
}
