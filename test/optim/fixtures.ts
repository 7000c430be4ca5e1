/** Shared pieces of the optimizer tests: configs, row-sparse gradients, raw bits, rule runs. */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { configSchema, type OptimizerConfig } from '../../src/config/schema';
import { createRng } from '../../src/data/random';
import { adamRule, type AdamHyper } from '../../src/optim/adam';
import { dense, rows, type Gradient } from '../../src/optim/gradient';
import type { ParamState, Slots, UpdateRule } from '../../src/optim/rule';
import { assertClose, values } from '../backends';

/** lr 0.1 (large enough that every step shows), TF's betas and eps_hat; overrides win. */
export function optimizerConfig(name: OptimizerConfig['name'], overrides: Partial<OptimizerConfig> = {}): OptimizerConfig {
  return configSchema.parse({ optimizer: { name, lr: 0.1, ...overrides } }).optimizer;
}

/** A row-sparse gradient: row indices (may repeat) and one row of values per index. */
export function rowGradient(indices: number[], values: number[][] | number[]): Gradient {
  return rows(tf.tensor1d(indices, 'int32'), tf.tensor(values));
}

/** The raw IEEE-754 bits of a float32 tensor, for bit-identity checks. */
export function bits(tensor: tf.Tensor): number[] {
  return Array.from(new Uint32Array(Float32Array.from(tensor.dataSync()).buffer));
}

/** Bits of the given rows of a matrix. */
export function rowBits(matrix: tf.Tensor, rowIds: number[]): number[] {
  return tf.tidy(() => bits(tf.gather(matrix, rowIds)));
}

/** The state after each step t = 1, 2, ... of `rule` from `param` with fresh slots. */
export function runRule<S extends Slots>(rule: UpdateRule<S>, param: tf.Tensor, grads: Gradient[]): ParamState<S>[] {
  let state: ParamState<S> = { param, slots: rule.initSlots(param) };
  return grads.map((grad, i) => {
    state = tf.tidy(() => rule.apply(state, grad, i + 1));
    return state;
  });
}

/** `steps` random row-sparse gradients of a [rows, cols] matrix, `perStep` indices each, repeats allowed. */
export function randomRowGradients(seed: number, steps: number, perStep: number, shape: [number, number]): Gradient[] {
  const rng = createRng(seed);
  const [rowCount, cols] = shape;
  return Array.from({ length: steps }, () => {
    const indices = Array.from({ length: perStep }, () => Math.floor(rng() * rowCount));
    const values = indices.map(() => Array.from({ length: cols }, () => 2 * rng() - 1));
    return rowGradient(indices, values);
  });
}

/**
 * The two-step case of the sgd and adagrad tests, W0 = [[1, -2], [0.5, 3], [-1, 0.25]]:
 * dense gradients, or row-sparse ones (step 1 indices [2, 0, 2]: row 2 twice, row 1 not
 * at all; step 2 index [0]: rows 1 and 2 not).
 */
export const BASELINE_W0 = [[1, -2], [0.5, 3], [-1, 0.25]];

type AccumulatorRule = UpdateRule<{ accum: tf.Tensor }>;

export function runBaselineDense(rule: AccumulatorRule): ParamState<{ accum: tf.Tensor }>[] {
  const grads = [dense(tf.tensor2d([[0.5, -1], [0, 2], [1, 0.1]])), dense(tf.tensor2d([[-0.2, 0.4], [1, 1], [0, -3]]))];
  return runRule(rule, tf.tensor2d(BASELINE_W0), grads);
}

/** The row-sparse run, its untouched rows (W and accum) checked bit-identical. */
export function runBaselineRows(rule: AccumulatorRule): ParamState<{ accum: tf.Tensor }>[] {
  const W = tf.tensor2d(BASELINE_W0);
  const grads = [rowGradient([2, 0, 2], [[0.5, -1], [0, 2], [1, 0.1]]), rowGradient([0], [[-0.2, 0.4]])];
  const [s1, s2] = runRule(rule, W, grads);
  assert.ok(s1 && s2);
  assert.deepEqual(rowBits(s1.param, [1]), rowBits(W, [1]), 'step 1: row 1 of W');
  assert.deepEqual(rowBits(s2.param, [1, 2]), rowBits(s1.param, [1, 2]), 'step 2: rows 1, 2 of W');
  assert.deepEqual(rowBits(s2.slots.accum, [1, 2]), rowBits(s1.slots.accum, [1, 2]), 'step 2: rows 1, 2 of accum');
  return [s1, s2];
}

/** W and accum after steps 1 and 2, against literals computed by hand. */
export function assertTwoSteps(states: ParamState<{ accum: tf.Tensor }>[], want: { W: number[][]; accum: number[][] }): void {
  assert.equal(states.length, 2);
  states.forEach((s, i) => {
    assertClose(values(s.param), want.W[i]!, 1e-6, `W after step ${i + 1}`);
    assertClose(values(s.slots.accum), want.accum[i]!, 1e-6, `accum after step ${i + 1}`);
  });
}

/**
 * A row-sparse gradient with per-sample statistics (what the model hands `count-adam`),
 * summed in plain JS from each row's per-sample gradients: samples[r] lists the gradients
 * (flat, rowShape [] for a bias) of the samples that touched row indices[r]; an empty
 * list is n = 0. The values are the sums (count-adam does not read them).
 */
export function sampledRowGradient(indices: number[], samples: number[][][], rowShape: number[]): Gradient {
  const size = rowShape.reduce((a, b) => a * b, 1);
  const sumOf = (f: (x: number) => number) =>
    samples.flatMap((ofRow) => Array.from({ length: size }, (_, d) => ofRow.reduce((total, g) => total + f(g[d]!), 0)));
  const shape = [indices.length, ...rowShape];
  const counts = tf.tensor1d(samples.map((ofRow) => ofRow.length));
  const sum = tf.tensor(sumOf((x) => x), shape);
  const sumSquares = tf.tensor(sumOf((x) => x * x), shape);
  return rows(tf.tensor1d(indices, 'int32'), sum, { counts, sum, sumSquares });
}

/**
 * The two-step case of the Adam-family tests: W0 = [[1, 2], [3, 4], [5, 6], [7, 8]];
 * step 1 indices [0, 2, 0] (row 0 twice), step 2 indices [1, 2].
 */
export function adamRowsCase(): { W0: tf.Tensor2D; grads: Gradient[] } {
  return {
    W0: tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]),
    grads: [rowGradient([0, 2, 0], [[0.5, -1], [2, 0.25], [0.1, 0.3]]), rowGradient([1, 2], [[-0.4, 0.8], [1, -2]])],
  };
}

export type AdamExpected = { W: number[]; m: number[]; v: number[]; count?: number[] };

/**
 * Two steps of an Adam-family `rule` from W0: W, m, v (and the row counts, when expected)
 * against literals computed by hand, and rows kept[i] of W and of every slot bit-identical
 * across step i + 1.
 */
export function assertAdamSteps<S extends Slots>(
  rule: UpdateRule<S>,
  W0: tf.Tensor,
  grads: Gradient[],
  expected: AdamExpected[],
  kept: number[][],
): void {
  const states = runRule(rule, W0, grads);
  assert.equal(states.length, expected.length);
  states.forEach((s, i) => {
    const want = expected[i]!;
    assertClose(values(s.param), want.W, 1e-6, `W after step ${i + 1}`);
    assertClose(values(s.slots.m!), want.m, 1e-6, `m after step ${i + 1}`);
    assertClose(values(s.slots.v!), want.v, 1e-6, `v after step ${i + 1}`);
    if (want.count) assert.deepEqual(values(s.slots.count!), want.count, `count after step ${i + 1}`);
    const before = i === 0 ? { param: W0, slots: rule.initSlots(W0) } : states[i - 1]!;
    assertRowsKept(s, before, kept[i]!, `step ${i + 1}`);
  });
}

/** The given rows of the parameter and of every slot are bit-identical in `now` and `before`. */
function assertRowsKept<S extends Slots>(now: ParamState<S>, before: ParamState<S>, rowIds: number[], when: string): void {
  assert.deepEqual(rowBits(now.param, rowIds), rowBits(before.param, rowIds), `${when}: rows ${rowIds} of W`);
  for (const [name, slot] of Object.entries(now.slots)) {
    assert.deepEqual(rowBits(slot, rowIds), rowBits(before.slots[name]!, rowIds), `${when}: rows ${rowIds} of ${name}`);
  }
}

/** A dense 1-D gradient (a bias) takes the dense Adam step under `rule`: three steps against `adam`'s. */
export function assertDenseBiasIsAdam<S extends Slots>(rule: UpdateRule<S>, hp: AdamHyper): void {
  const b0 = tf.tensor1d([0.5, -0.5, 1]);
  const grads = [dense(tf.tensor1d([1, 0, -2])), dense(tf.tensor1d([0, 0.5, 0])), dense(tf.tensor1d([-1, 2, 0.3]))];
  const want = runRule(adamRule(hp), b0, grads);
  runRule(rule, b0, grads).forEach((s, i) => {
    assertClose(values(s.param), values(want[i]!.param), 1e-6, `b after step ${i + 1}`);
  });
}
