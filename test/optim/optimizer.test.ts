import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { OptimizerConfig } from '../../src/config/schema';
import type { Params } from '../../src/model/params';
import { dense, type Gradients } from '../../src/optim/gradient';
import { createOptimizer } from '../../src/optim/optimizer';
import { assertClose, TEST_BACKENDS, useBackend, values } from '../backends';
import { optimizerConfig, rowGradient, sampledRowGradient } from './fixtures';

/** Every optimizer name (the Record makes the compiler list them all) and its first step
 * on b from 0 with dense gradient 2: the Adam family 0.1 m / sqrt(v) at t = 1 = 0.1 (a
 * dense bias takes the dense Adam step under every variant); sgd 0.1 * 2; adagrad 0.1 * 2 / sqrt(0.1 + 4). */
const FIRST_STEP: Record<OptimizerConfig['name'], number> = {
  adam: -0.1,
  'adam-tf-sparse': -0.1,
  'lazy-adam': -0.1,
  'lazy-adam-rowstep': -0.1,
  'count-adam': -0.1,
  sgd: -0.2,
  adagrad: -0.0987729597,
};
const NAMES = Object.keys(FIRST_STEP) as OptimizerConfig['name'][];
const H = 7;
const D = 3;

function freshParams(): Params {
  return { W: tf.randomNormal([H, D], 0, 1, 'float32', 9), b: tf.zeros([H]), c: tf.zeros([D]), W_dec: null };
}

/** What `gather` mode hands the optimizer: W and b row-sparse on cells `cells`, c dense. */
function gatherGradients(cells: number[]): Gradients {
  const ones = cells.map(() => Array.from({ length: D }, (_, d) => d - 1.5));
  return { W: rowGradient(cells, ones), b: rowGradient(cells, cells.map(() => 0.5)), c: dense(tf.ones([D])) };
}

/** What the model hands count-adam: W and b row-sparse with per-sample statistics (counts `samples`, one 0 allowed), c dense. */
function countedGradients(cells: number[], samples: number[]): Gradients {
  const perSample = (row: number[]) => cells.map((_, r) => Array<number[]>(samples[r]!).fill(row));
  return {
    W: sampledRowGradient(cells, perSample([1, -0.5, 2]), [D]),
    b: sampledRowGradient(cells, perSample([0.5]), []),
    c: dense(tf.ones([D])),
  };
}

/** What `mask` mode hands it: everything dense, W with exactly-zero rows for unused cells. */
function maskGradients(usedCells: number[]): Gradients {
  const W = tf.tidy(() => tf.mul(tf.randomNormal([H, D], 0, 1, 'float32', 4), tf.oneHot(usedCells, H).sum(0).reshape([H, 1])));
  return { W: dense(W), b: dense(tf.ones([H])), c: dense(tf.ones([D])) };
}

/** Step i of the memory test: gather gradients (a repeated index) and mask gradients in turn. */
function otherGradients(i: number): Gradients {
  return i % 2 === 0 ? gatherGradients([i % H, (3 * i) % H, i % H]) : maskGradients([i % H, 2]);
}

for (const backend of TEST_BACKENDS) {
  test(`rowsChanged: lazy-adam 2/7 on a gradient touching 2 of 7 rows; adam moves the earlier rows too (${backend})`, async () => {
    await useBackend(backend);
    const changed = (name: OptimizerConfig['name']) => {
      const params = freshParams();
      const optimizer = createOptimizer(optimizerConfig(name));
      const fractions = [[0, 1], [3, 4]].map((cells) => {
        const grads = gatherGradients(cells);
        const stats = optimizer.step(params, grads);
        tf.dispose(grads);
        return stats.rowsChanged;
      });
      optimizer.dispose();
      return fractions;
    };
    assertClose(changed('lazy-adam'), [2 / 7, 2 / 7], 1e-7, 'lazy-adam');
    assertClose(changed('lazy-adam-rowstep'), [2 / 7, 2 / 7], 1e-7, 'lazy-adam-rowstep');
    // adam, step 2: rows 3, 4 by their gradient, rows 0, 1 by their nonzero m.
    assertClose(changed('adam'), [2 / 7, 4 / 7], 1e-7, 'adam');
    assertClose(changed('adam-tf-sparse'), [2 / 7, 4 / 7], 1e-7, 'adam-tf-sparse');
  });

  test(`rowsChanged: count-adam changes the rows some sample touched, not a listed row with n = 0 (${backend})`, async () => {
    await useBackend(backend);
    const params = freshParams();
    const optimizer = createOptimizer(optimizerConfig('count-adam'));
    const fractions = [[[0, 1], [3, 1]], [[3, 4], [2, 0]]].map(([cells, samples]) => {
      const grads = countedGradients(cells!, samples!);
      const stats = optimizer.step(params, grads);
      tf.dispose(grads);
      return stats.rowsChanged;
    });
    assertClose(fractions, [2 / 7, 1 / 7], 1e-7, 'count-adam');
    optimizer.dispose();
  });

  test(`rowsChanged: dense adam on a dense gradient changes every row; no W gradient changes none (${backend})`, async () => {
    await useBackend(backend);
    const params = freshParams();
    const optimizer = createOptimizer(optimizerConfig('adam'));
    const grads = maskGradients([0, 1, 2, 3, 4, 5, 6]);
    assert.equal(optimizer.step(params, grads).rowsChanged, 1);
    assert.equal(optimizer.step(params, { c: grads.c! }).rowsChanged, 0);
    tf.dispose(grads);
    optimizer.dispose();
  });

  test(`every optimizer leaves the parameters' old tensors alone: a product with a parameter as second operand sees the new values (${backend})`, async () => {
    await useBackend(backend);
    // The wasm backend caches XNNPACK's packed second operand by its storage: a parameter
    // written in place would leave this product stale.
    for (const name of NAMES.filter((n) => n !== 'count-adam')) {
      const params = freshParams();
      const optimizer = createOptimizer(optimizerConfig(name));
      const product = () => tf.tidy(() => values(tf.matMul(params.W, tf.reshape(params.c, [-1, 1])))); // [H, 1]
      product();
      const grads = maskGradients([1, 4]);
      optimizer.step(params, grads);
      const [W, c] = [values(params.W), values(params.c)];
      const expected = Array.from({ length: H }, (_, h) => W.slice(h * D, (h + 1) * D).reduce((sum, w, d) => sum + w * c[d]!, 0));
      assertClose(product(), expected, 1e-5, name);
      tf.dispose(grads);
      optimizer.dispose();
    }
  });

  test(`memory stays flat over 10 steps of every optimizer, gather and mask gradients alike (${backend})`, async () => {
    await useBackend(backend);
    for (const name of NAMES) {
      const params = freshParams();
      const optimizer = createOptimizer(optimizerConfig(name));
      let afterFirst = { numTensors: 0, numBytes: 0 };
      for (let i = 0; i < 11; i++) {
        const grads = name === 'count-adam' ? countedGradients([i % H, (i + 3) % H], [i % 3, 2]) : otherGradients(i);
        optimizer.step(params, grads);
        tf.dispose(grads);
        if (i === 0) afterFirst = { ...tf.memory() };
      }
      assert.equal(tf.memory().numTensors, afterFirst.numTensors, `${name}: tensors after 10 more steps`);
      assert.equal(tf.memory().numBytes, afterFirst.numBytes, `${name}: bytes after 10 more steps`);
      assert.equal(optimizer.steps, 11);
      optimizer.dispose();
      tf.dispose([params.W, params.b, params.c]);
    }
  });
}

test('each optimizer name takes its own first step (b from 0, dense gradient 2)', async () => {
  await useBackend('cpu');
  for (const name of NAMES) {
    const params = freshParams();
    const optimizer = createOptimizer(optimizerConfig(name));
    optimizer.step(params, { b: dense(tf.fill([H], 2)) });
    assertClose(values(params.b), Array(H).fill(FIRST_STEP[name]), 1e-6, name);
    optimizer.dispose();
  }
});

test('a gradient that does not fit its parameter is refused with both shapes', async () => {
  await useBackend('cpu');
  const optimizer = createOptimizer(optimizerConfig('lazy-adam'));
  assert.throws(() => optimizer.step(freshParams(), { W: dense(tf.ones([H, D + 1])) }), /W \[7,3\] got a gradient of dense \[7,4\]/);
  assert.throws(
    () => optimizer.step(freshParams(), { W: rowGradient([0, 1], [[1, 2, 3]]) }),
    /W \[7,3\] got a gradient of rows: indices \[2\], values \[1,3\]/,
  );
  assert.throws(() => optimizer.step(freshParams(), { W_dec: dense(tf.ones([H, D])) }), /gradient for W_dec, which this model does not have/);
});
