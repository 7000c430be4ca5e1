import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { gatheredCells, trainingEntries, type MaskEntries } from '../../src/model/maskEntries';
import { TEST_BACKENDS, useBackend, values } from '../backends';
import { maskedCells, trainingMask } from './denseMask';
import { tinyConfig } from './tiny';

/** The [B, H] matrix of the entries' keep values (repeated entries would add up past 1). */
function denseOf(entries: MaskEntries, shape: [number, number]): number[][] {
  return tf.tidy(() => tf.scatterND(tf.stack([entries.samples, entries.cells], 1), entries.keep, shape).arraySync() as number[][]);
}

const lifetimeCases = [
  { what: 'one sample per cell', z: [[1, 0, 5], [2, 3, 4], [0, 1, 6]], rate: 1 / 3, lifetime: [[0, 0, 0], [1, 1, 0], [0, 0, 1]] },
  { what: 'two samples per cell', z: [[1, 0, 5], [2, 3, 4], [0, 1, 6]], rate: 0.5, lifetime: [[1, 0, 1], [1, 1, 0], [0, 1, 1]] },
  { what: 'ties to the lower sample', z: [[3, 1], [3, 1]], rate: 0.5, lifetime: [[1, 1], [0, 0]] },
];

for (const backend of TEST_BACKENDS) {
  for (const c of lifetimeCases) {
    test(`trainingEntries with lifetime sparsity: top-1 OR the lifetime mask, each entry once (${c.what}, ${backend})`, async () => {
      await useBackend(backend);
      const hidden = c.z[0]!.length;
      const model = tinyConfig({ hidden, k: 1, lifetime_sparsity: true, lifetime_rate: c.rate }).model;
      const z = tf.tensor2d(c.z);
      const topOne = c.z.map((row) => row.map((v, j) => (j === row.indexOf(Math.max(...row)) ? 1 : 0)));
      const want = topOne.map((row, i) => row.map((v, j) => Math.max(v, c.lifetime[i]![j]!)));
      const entries = trainingEntries(z, model);
      assert.deepEqual(denseOf(entries, [c.z.length, hidden]), want);
    });
  }

  for (const lifetime of [false, true]) {
    test(`trainingEntries stand for the dense training mask (lifetime ${lifetime}, ${backend})`, async () => {
      await useBackend(backend);
      const model = tinyConfig({ hidden: 40, k: 3, lifetime_sparsity: lifetime, lifetime_rate: 0.1 }).model;
      const z = tf.randomNormal([20, 40], 0, 1, 'float32', 11) as tf.Tensor2D;
      const entries = trainingEntries(z, model);
      assert.deepEqual(denseOf(entries, [20, 40]), trainingMask(z, model).arraySync());
      assert.equal(entries.cells.size, 20 * 3 + (lifetime ? 40 * 2 : 0));
    });
  }

  test(`gatheredCells: the cells the entries use, ascending, and each entry's slot among them (${backend})`, async () => {
    await useBackend(backend);
    const model = tinyConfig({ hidden: 30, k: 2 }).model;
    const z = tf.randomNormal([6, 30], 0, 1, 'float32', 5) as tf.Tensor2D;
    const entries = trainingEntries(z, model);
    const gathered = gatheredCells(entries, 30);
    const A = values(gathered.A);
    assert.deepEqual(A, maskedCells(trainingMask(z, model)));
    assert.equal(gathered.size, A.length);
    assert.deepEqual(values(gathered.slots).map((s) => A[s]), values(entries.cells));
    const onA = tf.tidy(() => tf.scatterND(tf.stack([entries.samples, gathered.slots], 1), entries.keep, [6, A.length]).arraySync());
    assert.deepEqual(onA, tf.gather(trainingMask(z, model), A, 1).arraySync());
  });
}
