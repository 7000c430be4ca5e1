import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { gatherElements, gatherRows } from '../../src/backend/ops';
import { TEST_BACKENDS, useBackend, values } from '../backends';

for (const backend of TEST_BACKENDS) {
  test(`gatherRows = tf.gather on rows, repeats allowed, matrices and vectors (${backend})`, async () => {
    await useBackend(backend);
    const rows = tf.tensor1d([4, 0, 4, 2], 'int32');
    for (const x of [tf.randomNormal([5, 3], 0, 1, 'float32', 1), tf.randomNormal([5], 0, 1, 'float32', 2), tf.tensor1d([7, 8, 9, 10, 11], 'int32')]) {
      const got = gatherRows(x, rows);
      assert.deepEqual(got.shape, [4, ...x.shape.slice(1)]);
      assert.equal(got.dtype, x.dtype);
      assert.deepEqual(values(got), values(tf.gather(x, rows)));
    }
    assert.deepEqual(gatherRows(tf.ones([5, 3]), tf.tensor1d([], 'int32')).shape, [0, 3]);
  });

  test(`gatherElements picks x[rows[e], columns[e]], repeats allowed (${backend})`, async () => {
    await useBackend(backend);
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const got = gatherElements(x, tf.tensor1d([1, 0, 1, 1], 'int32'), tf.tensor1d([2, 0, 0, 2], 'int32'));
    assert.deepEqual(got.shape, [4]);
    assert.deepEqual(values(got), [6, 1, 4, 6]);
  });
}

test('gatherRows refuses a row outside the tensor (cpu, array kernel)', async () => {
  await useBackend('cpu');
  assert.throws(() => gatherRows(tf.ones([3, 2]), tf.tensor1d([3], 'int32')), /row 3 outside \[0, 3\)/);
});
