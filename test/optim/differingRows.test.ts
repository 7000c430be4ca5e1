import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { differingRows } from '../../src/optim/differingRows';
import { TEST_BACKENDS, useBackend, values } from '../backends';

/** The op-based formulation the kernel replaces. */
function opsReference(a: tf.Tensor, b: tf.Tensor): number[] {
  return tf.tidy(() => values(tf.cast(tf.any(tf.reshape(tf.notEqual(a, b), [a.shape[0]!, -1]), 1), 'float32')));
}

const a = [[1, 2, 3], [0, -0, 0], [NaN, 1, 1], [4, 5, 6], [Infinity, 0, 0]];
const b = [[1, 2, 3], [-0, 0, 0], [NaN, 1, 1], [4, 5, 7], [Infinity, 0, 0]];

for (const backend of TEST_BACKENDS) {
  test(`differingRows = any(notEqual) per row: -0 equals 0, NaN differs from itself (${backend})`, async () => {
    await useBackend(backend);
    const [ta, tb] = [tf.tensor2d(a), tf.tensor2d(b)];
    assert.deepEqual(values(differingRows(ta, tb)), [0, 0, 1, 1, 0]);
    assert.deepEqual(values(differingRows(ta, tb)), opsReference(ta, tb));
  });

  test(`differingRows against one value, and on a 1-D tensor (${backend})`, async () => {
    await useBackend(backend);
    const ta = tf.tensor2d(a);
    assert.deepEqual(values(differingRows(ta, tf.scalar(0))), opsReference(ta, tf.scalar(0)));
    assert.deepEqual(values(differingRows(tf.tensor1d([0, 2, -0]), tf.scalar(0))), [0, 1, 0]);
    const big = tf.randomNormal([200, 50], 0, 1, 'float32', 1);
    const changed = tf.tensorScatterUpdate(tf.mul(big, 1), [[7], [150]], tf.zeros([2, 50]));
    assert.deepEqual(values(differingRows(big, changed)), opsReference(big, changed));
  });

  test(`differingRows finds a lone difference in any lane of a row and in its tail (${backend})`, async () => {
    await useBackend(backend);
    const base = Array.from({ length: 10 }, (_, i) => i + 0.5);
    const edit = (at: number, value: number) => base.map((x, i) => (i === at ? value : x));
    const ta = tf.tensor2d([base, base, base, base, base]);
    const tb = tf.tensor2d([base, edit(5, 0), edit(9, -1), edit(8, NaN), edit(3, 3.5 + 1e-6)]);
    assert.deepEqual(values(differingRows(ta, tb)), [0, 1, 1, 1, 1]);
    const zeros = new Array<number>(10).fill(0);
    const rows = [zeros, zeros.map((x, i) => (i === 9 ? 1e-30 : x)), zeros.map((x, i) => (i === 5 ? -0 : x)), zeros.map((x, i) => (i === 6 ? NaN : x))];
    assert.deepEqual(values(differingRows(tf.tensor2d(rows), tf.scalar(0))), [0, 1, 0, 1], 'against one value');
  });
}
