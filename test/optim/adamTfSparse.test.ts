import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { adamRule } from '../../src/optim/adam';
import { adamTfSparseRule } from '../../src/optim/adamTfSparse';
import { dense, type Gradient } from '../../src/optim/gradient';
import { assertClose, TEST_BACKENDS, useBackend, values } from '../backends';
import { optimizerConfig, randomRowGradients, runRule } from './fixtures';

const hp = optimizerConfig('adam-tf-sparse');
const H = 7;
const D = 3;

/** The dense gradient a row-sparse one stands for, summed in plain JS (no tensor op involved). */
function denseInJs(grad: Gradient): Gradient {
  assert.ok(grad.kind === 'rows');
  const sum = new Float32Array(H * D);
  const rowValues = values(grad.values);
  values(grad.indices).forEach((row, i) => {
    for (let d = 0; d < D; d++) sum[row * D + d]! += rowValues[i * D + d]!;
  });
  return dense(tf.tensor2d(sum, [H, D]));
}

for (const backend of TEST_BACKENDS) {
  test(`adam-tf-sparse equals adam (W, m, v) over 20 steps of row-sparse gradients with duplicates (${backend})`, async () => {
    await useBackend(backend);
    const W0 = tf.randomNormal([H, D], 0, 1, 'float32', 5);
    const grads = randomRowGradients(2, 20, 5, [H, D]); // 5 indices of 7 rows: repeats in most steps
    const withDuplicates = grads.filter((g) => g.kind === 'rows' && new Set(values(g.indices)).size < 5).length;
    assert.ok(withDuplicates >= 10, `only ${withDuplicates} of 20 steps repeat an index`);
    const reference = runRule(adamRule(hp), W0, grads.map(denseInJs));
    const runs = { 'adam (rows)': runRule(adamRule(hp), W0, grads), 'adam-tf-sparse': runRule(adamTfSparseRule(hp), W0, grads) };
    // W is W0 ~ N(0, 1) minus steps of about lr, m a sum of (1 - b1) g with g in [-1, 1]:
    // where either lands near 0 its float32 rounding is that of those terms (the ops round
    // each step, the cpu kernel once), ~1e-8 here. v's terms are all positive.
    const wFloor = 1e-6 * hp.lr;
    const mFloor = 1e-6 * (1 - hp.beta1);
    for (const [name, states] of Object.entries(runs)) {
      states.forEach((s, i) => {
        const want = reference[i]!;
        assertClose(values(s.param), values(want.param), 1e-6, `${name}: W after step ${i + 1}`, wFloor);
        assertClose(values(s.slots.m), values(want.slots.m), 1e-6, `${name}: m after step ${i + 1}`, mFloor);
        assertClose(values(s.slots.v), values(want.slots.v), 1e-6, `${name}: v after step ${i + 1}`);
      });
    }
    // Untouched rows still move (m decays but is nonzero): W changes on more rows than U.
    const last = runs['adam-tf-sparse'][19]!;
    const before = runs['adam-tf-sparse'][18]!;
    const moved = tf.tidy(() => values(tf.sum(tf.cast(tf.any(tf.notEqual(last.param, before.param), 1), 'int32'))));
    assert.equal(moved[0], H, 'every row of W moves at step 20');
  });

  test(`adam-tf-sparse on a dense gradient is the dense adam step (${backend})`, async () => {
    await useBackend(backend);
    const b0 = tf.tensor1d([1, -2, 0.5]);
    const grads = [dense(tf.tensor1d([0.5, -1, 0])), dense(tf.tensor1d([0.1, 2, 0]))];
    const want = runRule(adamRule(hp), b0, grads);
    runRule(adamTfSparseRule(hp), b0, grads).forEach((s, i) => {
      assert.deepEqual(values(s.param), values(want[i]!.param), `b after step ${i + 1}`);
    });
  });
}
