import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { rowDots, sumScaledRows } from '../../src/backend/rowKernels';
import { assertClose, TEST_BACKENDS, useBackend, values } from '../backends';

/** The op-based formulation the kernel replaces: gather, scale each row, scatter-add by slot. */
function opsSumScaledRows(slots: tf.Tensor1D, coef: tf.Tensor1D, src: tf.Tensor2D, rows: tf.Tensor1D, count: number): number[] {
  return tf.tidy(() => values(tf.scatterND(tf.expandDims(slots, 1), tf.mul(tf.gather(src, rows), tf.expandDims(coef, 1)), [count, src.shape[1]])));
}

const int = (xs: number[]) => tf.tensor1d(xs, 'int32');

for (const backend of TEST_BACKENDS) {
  test(`sumScaledRows by hand: repeated slots add up, untouched rows stay 0 (${backend})`, async () => {
    await useBackend(backend);
    const src = tf.tensor2d([[1, 2], [10, 20], [100, 200]]);
    const out = sumScaledRows(int([2, 0, 2]), tf.tensor1d([3, -1, 0.5]), src, int([0, 1, 2]), 4);
    assert.deepEqual(out.shape, [4, 2]);
    // row 0 = -1 [10, 20]; row 2 = 3 [1, 2] + 0.5 [100, 200]; rows 1, 3 untouched
    assert.deepEqual(values(out), [-10, -20, 0, 0, 53, 106, 0, 0]);
  });

  test(`sumScaledRows = gather + scale + scatterND bit for bit, rows with and without a 4-lane tail (${backend})`, async () => {
    await useBackend(backend);
    for (const size of [784, 13, 3]) {
      const src = tf.randomNormal([50, size], 0, 1, 'float32', size) as tf.Tensor2D;
      const n = 300;
      const slots = tf.randomUniform([n], 0, 40, 'int32', 1) as tf.Tensor1D;
      const rows = tf.randomUniform([n], 0, 50, 'int32', 2) as tf.Tensor1D;
      const coef = tf.randomNormal([n], 0, 1, 'float32', 3) as tf.Tensor1D;
      assert.deepEqual(values(sumScaledRows(slots, coef, src, rows, 40)), opsSumScaledRows(slots, coef, src, rows, 40), `rows of ${size}`);
    }
  });

  test(`rowDots by hand and against sum(a[i] * b[j]) on 784-long rows (${backend})`, async () => {
    await useBackend(backend);
    const a = tf.tensor2d([[1, 2, 3, 4, 5], [0, 0, 0, 0, 1]]);
    const b = tf.tensor2d([[1, 1, 1, 1, 1], [2, 0, 0, 0, 3]]);
    assert.deepEqual(values(rowDots(a, int([0, 1, 0]), b, int([1, 1, 0]))), [17, 3, 15]);
    const [x, y] = [tf.randomNormal([30, 784], 0, 1, 'float32', 4) as tf.Tensor2D, tf.randomNormal([20, 784], 0, 1, 'float32', 5) as tf.Tensor2D];
    const [p, q] = [int([0, 29, 3, 3]), int([19, 0, 3, 7])];
    const expected = tf.tidy(() => values(tf.sum(tf.mul(tf.gather(x, p), tf.gather(y, q)), 1)));
    assertClose(values(rowDots(x, p, y, q)), expected, 1e-5, 'row dots');
  });

  test(`row kernels refuse an index outside their matrices (${backend})`, async () => {
    await useBackend(backend);
    const src = tf.ones([3, 8]);
    assert.throws(() => sumScaledRows(int([4]), tf.ones([1]) as tf.Tensor1D, src, int([0]), 4), /row 4 outside \[0, 4\)/);
    assert.throws(() => sumScaledRows(int([0]), tf.ones([1]) as tf.Tensor1D, src, int([-1]), 4), /row -1 outside \[0, 3\)/);
    assert.throws(() => rowDots(src as tf.Tensor2D, int([3]), src as tf.Tensor2D, int([0])), /row 3 outside \[0, 3\)/);
  });
}
