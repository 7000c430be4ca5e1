import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { denseFromCode, lifetimeSamples, topKCode, topKMask } from '../../src/model/topk';
import { TEST_BACKENDS, useBackend } from '../backends';

const cases = [
  { what: 'distinct values', z: [[0.1, 0.9, -3, 0.5, 0.7]], k: 2, mask: [[0, 1, 0, 0, 1]] },
  { what: 'negative values', z: [[-5, -1, -2, -4, -3]], k: 3, mask: [[0, 1, 1, 0, 1]] },
  { what: 'ties take exactly k, lower index first', z: [[1, 3, 3, 3, 0]], k: 2, mask: [[0, 1, 1, 0, 0]] },
  { what: 'all equal', z: [[2, 2, 2, 2, 2]], k: 1, mask: [[1, 0, 0, 0, 0]] },
  { what: 'per row', z: [[1, 2, 3, 4, 5], [5, 4, 3, 2, 1]], k: 2, mask: [[0, 0, 0, 1, 1], [1, 1, 0, 0, 0]] },
];

for (const backend of TEST_BACKENDS) {
  for (const c of cases) {
    test(`topKMask: ${c.what} (${backend})`, async () => {
      await useBackend(backend);
      const mask = topKMask(tf.tensor2d(c.z), c.k);
      assert.deepEqual(mask.arraySync(), c.mask);
    });
  }

  test(`topKCode and denseFromCode keep the k largest values in place (${backend})`, async () => {
    await useBackend(backend);
    const z = tf.tensor2d([[0.1, 0.9, -3, 0.5, 0.7], [4, -1, 2, 8, 0]]);
    const { values, indices } = topKCode(z, 2);
    assert.deepEqual(indices.arraySync(), [[1, 4], [3, 0]]);
    const dense = denseFromCode(values, indices, 5).arraySync() as number[][];
    assert.deepEqual(dense.map((row) => row.map((v) => Math.round(v * 10) / 10)), [[0, 0.9, 0, 0, 0.7], [4, 0, 0, 8, 0]]);
  });
}

test('lifetimeSamples: ceil(rate * B), at least 1, at most B', () => {
  const cases: [number, number, number][] = [[0, 100, 1], [0.05, 100, 5], [0.051, 100, 6], [0.01, 50, 1], [1, 7, 7]];
  for (const [rate, batch, expected] of cases) assert.equal(lifetimeSamples(rate, batch), expected, `rate ${rate}, B ${batch}`);
});
