import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { coalesceRows, densify, fractionOfRowsChanged, nonzeroRows, type RowGradient } from '../../src/optim/rows';
import { assertClose, TEST_BACKENDS, useBackend, values } from '../backends';
import { rowGradient } from './fixtures';

const coalesceCases: { what: string; indices: number[]; values: number[][]; unique: number[]; summed: number[][] }[] = [
  { what: 'no duplicates', indices: [3, 0, 2], values: [[1, 2], [3, 4], [5, 6]], unique: [3, 0, 2], summed: [[1, 2], [3, 4], [5, 6]] },
  { what: 'all duplicates', indices: [1, 1, 1], values: [[1, 2], [3, 4], [5, 6]], unique: [1], summed: [[9, 12]] },
  {
    what: 'unsorted, first-occurrence order',
    indices: [4, 1, 4, 0, 1],
    values: [[1, 0], [0, 1], [2, 0], [0, 3], [5, 5]],
    unique: [4, 1, 0],
    summed: [[3, 0], [5, 6], [0, 3]],
  },
];

function asRows(grad: ReturnType<typeof rowGradient>): RowGradient {
  assert.equal(grad.kind, 'rows');
  return grad as RowGradient;
}

for (const backend of TEST_BACKENDS) {
  for (const c of coalesceCases) {
    test(`coalesceRows: ${c.what} (${backend})`, async () => {
      await useBackend(backend);
      const grad = asRows(rowGradient(c.indices, c.values));
      const out = tf.tidy(() => coalesceRows(grad, 5));
      assert.deepEqual(values(out.indices), c.unique);
      assertClose(values(out.values), c.summed.flat(), 1e-7, 'summed rows');
      assert.deepEqual(out.values.shape, [c.unique.length, 2]);
      if (c.unique.length === c.indices.length) assert.equal(out, grad, 'no duplicates: the gradient itself, no sum');
    });
  }

  test(`coalesceRows sums duplicate elements of a 1-D parameter (bias) (${backend})`, async () => {
    await useBackend(backend);
    const out = tf.tidy(() => coalesceRows(asRows(rowGradient([2, 0, 2], [1.5, -1, 2])), 3));
    assert.deepEqual(values(out.indices), [2, 0]);
    assertClose(values(out.values), [3.5, -1], 1e-7, 'summed');
  });

  test(`densify: zero rows outside the indices, duplicates summed (${backend})`, async () => {
    await useBackend(backend);
    const dense = tf.tidy(() => densify(rowGradient([2, 0, 2], [[1, 2], [3, 4], [5, 6]]), [4, 2]));
    assert.deepEqual(values(dense), [3, 4, 0, 0, 6, 8, 0, 0]);
  });

  test(`nonzeroRows: rows with any nonzero entry; -0 counts as zero (${backend})`, async () => {
    await useBackend(backend);
    const g = tf.tensor2d([[0, 0], [0, -1e-30], [-0, 0], [2, 0]]);
    const out = tf.tidy(() => nonzeroRows(g));
    assert.deepEqual(values(out.indices), [1, 3]);
    assert.deepEqual(values(out.values), [0, Math.fround(-1e-30), 2, 0]);
  });

  test(`fractionOfRowsChanged counts rows with any differing entry (${backend})`, async () => {
    await useBackend(backend);
    const before = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
    const after = tf.tensor2d([[1, 2], [3, 4.5], [5, 6], [-7, 8]]);
    assert.equal(fractionOfRowsChanged(before, after), 0.5);
    assert.equal(fractionOfRowsChanged(before, before), 0);
  });
}

test('coalesceRows refuses a row index outside the parameter', async () => {
  await useBackend('cpu');
  assert.throws(() => tf.tidy(() => coalesceRows(asRows(rowGradient([0, 5], [[1], [2]])), 5)), /row index 5 outside \[0, 5\)/);
});
