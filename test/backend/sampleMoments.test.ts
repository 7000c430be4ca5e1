import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { sampleMoments, sampleMomentsByOps, type EntryTerm, type RowMoments } from '../../src/backend/sampleMoments';
import { createRng } from '../../src/data/random';
import { bits } from '../optim/fixtures';
import { assertClose, TEST_BACKENDS, useBackend, values } from '../backends';

const int = (xs: ArrayLike<number>) => tf.tensor1d(Array.from(xs), 'int32');

type Inputs = { slots: number[]; rows: number[]; count: number; a: Float32Array; b: Float32Array; coefA: Float32Array; coefB: Float32Array; size: number; scale: number };

/** Random entries over `count` slots and `batch` rows of `size`, with repeated slots. */
function randomInputs(seed: number, size: number, entries = 300, batch = 20, count = 40): Inputs {
  const rng = createRng(seed);
  const draw = (n: number) => Float32Array.from({ length: n }, () => 2 * rng() - 1);
  const pick = (n: number) => Array.from({ length: entries }, () => Math.floor(rng() * n));
  return { slots: pick(count), rows: pick(batch), count, a: draw(batch * size), b: draw(batch * size), coefA: draw(entries), coefB: draw(entries), size, scale: batch };
}

/**
 * Inputs whose two terms nearly cancel: b = -a coefA / coefB, then each element of b
 * nudged by a relative 1e-5 or less, so that G_e is 1e-5 (or less) of either term.
 */
function cancellingInputs(seed: number, size: number): Inputs {
  const inputs = randomInputs(seed, size, 200, 10, 30);
  const rng = createRng(seed + 1);
  const { rows, coefA, coefB, a, b } = inputs;
  rows.forEach((row, e) => {
    for (let i = 0; i < size; i++) b[row * size + i] = -a[row * size + i]! * (coefA[e]! / coefB[e]!) * (1 + 1e-5 * (2 * rng() - 1));
  });
  return inputs;
}

function run(inputs: Inputs, by: typeof sampleMomentsByOps = sampleMoments): RowMoments {
  const { slots, rows, count, a, b, coefA, coefB, size, scale } = inputs;
  const batch = a.length / size;
  const term = (coef: Float32Array, src: Float32Array): EntryTerm => ({ coef: tf.tensor1d(coef), src: tf.tensor2d(src, [batch, size]) });
  return by(int(slots), int(rows), count, scale, term(coefA, a), term(coefB, b));
}

/** float64 from the same float32 inputs: G_e exactly (to float64), then squared; and the sums of |G_e|. */
function exactMoments(inputs: Inputs): { sum: number[]; squares: number[]; absSum: number[] } {
  const { slots, rows, count, a, b, coefA, coefB, size, scale } = inputs;
  const [sum, squares, absSum] = [0, 1, 2].map(() => new Array<number>(count * size).fill(0)) as [number[], number[], number[]];
  slots.forEach((slot, e) => {
    for (let i = 0; i < size; i++) {
      const g = scale * (coefA[e]! * a[rows[e]! * size + i]! + coefB[e]! * b[rows[e]! * size + i]!);
      sum[slot * size + i]! += g;
      squares[slot * size + i]! += g * g;
      absSum[slot * size + i]! += Math.abs(g);
    }
  });
  return { sum, squares, absSum };
}

/** A float32 sum of terms of either sign: within 1e-6 of the sum of their sizes. */
function assertSumsClose(actual: number[], expected: number[], absSum: number[], what: string): void {
  expected.forEach((e, i) => {
    assert.ok(Math.abs(actual[i]! - e) <= 1e-6 * absSum[i]!, `${what}[${i}] = ${actual[i]}, expected ${e} (sum of |G| ${absSum[i]})`);
  });
}

for (const backend of TEST_BACKENDS) {
  test(`sampleMoments by hand: G = scale (coefA a + coefB b) per entry, summed and squared by slot (${backend})`, async () => {
    await useBackend(backend);
    const a = tf.tensor2d([[1, 2], [3, 4]]);
    const b = tf.tensor2d([[10, 20], [30, 40]]);
    // scale 2; entry 0: slot 1, row 0: 2 (2 [1, 2] + 0.5 [10, 20]) = [14, 28]
    // entry 1: slot 1, row 1: 2 (1 [3, 4] - 0.1 [30, 40]) = [0, 0]  (the terms cancel)
    // entry 2: slot 0, row 1: 2 (-1 [3, 4] + 0) = [-6, -8]
    const { sum, squares } = sampleMoments(int([1, 1, 0]), int([0, 1, 1]), 3, 2, { coef: tf.tensor1d([2, 1, -1]), src: a }, { coef: tf.tensor1d([0.5, -0.1, 0]), src: b });
    assert.deepEqual(sum.shape, [3, 2]);
    // float32 0.1 is 0.1 + 1.5e-9: entry 1 is 2 (3 - 30 * 0.1000000015) = -9e-8, not 0
    assertClose(values(sum), [-6, -8, 14, 28, 0, 0], 1e-7, 'sum', 2e-7);
    assertClose(values(squares), [36, 64, 196, 784, 0, 0], 1e-7, 'squares', 1e-13);
    // One term: the second defaults to none.
    const single = sampleMoments(int([0, 0]), int([0, 1]), 1, 1, { coef: tf.tensor1d([1, 2]), src: a });
    assert.deepEqual(values(single.sum), [7, 10]);
    assert.deepEqual(values(single.squares), [37, 68]);
  });

  test(`sampleMoments' squares are within float32 rounding of the exact squares however much the terms cancel (${backend})`, async () => {
    await useBackend(backend);
    for (const size of [784, 13, 3]) {
      const inputs = cancellingInputs(size, size);
      const want = exactMoments(inputs);
      const got = run(inputs);
      assertClose(values(got.squares), want.squares, 1e-6, `squares, rows of ${size}`);
      assertSumsClose(values(got.sum), want.sum, want.absSum, `sums, rows of ${size}`);
    }
  });

  test(`sampleMoments' op-based formulation = the kernel on ordinary inputs, and is never negative when the terms cancel (${backend})`, async () => {
    await useBackend(backend);
    for (const size of [784, 13]) {
      const inputs = randomInputs(size + 1, size);
      const [kernel, ops] = [run(inputs), run(inputs, sampleMomentsByOps)];
      assertClose(values(ops.squares), values(kernel.squares), 1e-5, `squares, rows of ${size}`);
      assertSumsClose(values(ops.sum), values(kernel.sum), exactMoments(inputs).absSum, `sums, rows of ${size}`);
      const cancelling = run(cancellingInputs(size, size), sampleMomentsByOps);
      assert.ok(values(cancelling.squares).every((x) => x >= 0), 'no negative square');
    }
  });

  test(`sampleMoments refuses an index outside its rows or slots (${backend})`, async () => {
    await useBackend(backend);
    const term = { coef: tf.ones([1]) as tf.Tensor1D, src: tf.ones([3, 8]) as tf.Tensor2D };
    assert.throws(() => sampleMoments(int([4]), int([0]), 4, 1, term), /row 4 outside \[0, 4\)/);
    assert.throws(() => sampleMoments(int([0]), int([3]), 4, 1, term), /row 3 outside \[0, 3\)/);
  });
}

test('sampleMoments: the JS loop (cpu) and the SIMD kernel (wasm) give the same bits, rows with and without a 4-lane tail', async () => {
  for (const size of [784, 13, 3]) {
    const inputs = [randomInputs(size, size), cancellingInputs(size + 7, size)];
    const results: Record<string, number[][]> = {};
    for (const backend of TEST_BACKENDS) {
      await useBackend(backend);
      results[backend] = inputs.flatMap((x) => {
        const { sum, squares } = run(x);
        return [bits(sum), bits(squares)];
      });
    }
    assert.deepEqual(results.wasm, results.cpu, `rows of ${size}`);
  }
});
