import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { arrayKernelsAvailable } from '../../src/backend/ops';
import { adamFormula, adamOnRows, type Moments } from '../../src/optim/adam';
import { updateRows } from '../../src/optim/rows';
import type { ParamState } from '../../src/optim/rule';
import { TEST_BACKENDS, useBackend, values } from '../backends';
import { rowBits } from './fixtures';

const hp = { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

function randomState(shape: number[], seed: number): ParamState<Moments> {
  return {
    param: tf.randomNormal(shape, 0, 1, 'float32', seed),
    slots: { m: tf.randomNormal(shape, 0, 0.01, 'float32', seed + 1), v: tf.abs(tf.randomNormal(shape, 0, 1e-4, 'float32', seed + 2)) },
  };
}

/** Each of W, m, v within float32 rounding of the op-based step's: 1e-6 of the tensor's largest value. */
function assertSameStep(kernel: ParamState<Moments>, ops: ParamState<Moments>, what: string): void {
  for (const [name, a, b] of [['W', kernel.param, ops.param], ['m', kernel.slots.m, ops.slots.m], ['v', kernel.slots.v, ops.slots.v]] as const) {
    const [x, y] = [values(a), values(b)];
    const scale = y.reduce((max, yi) => Math.max(max, Math.abs(yi)), 0);
    const worst = x.reduce((max, xi, i) => Math.max(max, Math.abs(xi - y[i]!)), 0);
    assert.ok(worst <= 1e-6 * scale, `${what} ${name}: differs by ${worst}, largest value ${scale}`);
  }
}

for (const backend of TEST_BACKENDS) {
  test(`Adam kernel on all rows = the op-based step (matrix and bias, t = 1 and 50) (${backend})`, async () => {
    await useBackend(backend);
    assert.ok(arrayKernelsAvailable(), 'cpu and wasm run array kernels');
    for (const shape of [[40, 13], [40]]) {
      for (const t of [1, 50]) {
        const state = randomState(shape, 3);
        const g = tf.randomNormal(shape, 0, 0.1, 'float32', 9);
        assertSameStep(adamOnRows(hp).all(state, g, t), adamFormula(hp)(state, g, t), `[${shape}] t = ${t}`);
      }
    }
  });

  test(`Adam kernel on some rows = the op-based row update; other rows bit-identical (${backend})`, async () => {
    await useBackend(backend);
    const state = randomState([30, 7], 5);
    const rows = tf.tensor1d([17, 2, 29, 8], 'int32');
    const g = tf.randomNormal([4, 7], 0, 0.1, 'float32', 6);
    const kernel = adamOnRows(hp).rows(state, rows, g, 12);
    assertSameStep(kernel, updateRows(state, rows, (r) => adamFormula(hp)(r, g, 12)), 'rows 17, 2, 29, 8');
    const untouched = Array.from({ length: 30 }, (_, i) => i).filter((i) => ![17, 2, 29, 8].includes(i));
    for (const [a, b] of [[kernel.param, state.param], [kernel.slots.m, state.slots.m], [kernel.slots.v, state.slots.v]] as const) {
      assert.deepEqual(rowBits(a, untouched), rowBits(b, untouched));
    }
  });

  test(`Adam kernel on a dropped state writes m and v over the old ones, W into a new tensor: the same bits and flags, alive after the old tensors are disposed (${backend})`, async () => {
    await useBackend(backend);
    const rows = tf.tensor1d([5, 0, 9], 'int32');
    const g = tf.randomNormal([3, 7], 0, 0.1, 'float32', 22);
    const [kept, dropped] = [randomState([10, 7], 21), randomState([10, 7], 21)];
    const pure = adamOnRows(hp).rows(kept, rows, g, 4);
    const inPlace = adamOnRows(hp).rows({ ...dropped, dropped: true }, rows, g, 4);
    const fresh = randomState([10, 7], 21);
    assert.deepEqual(values(kept.param), values(fresh.param), 'a state not dropped keeps its W');
    assert.deepEqual(values(kept.slots.m), values(fresh.slots.m), 'a state not dropped keeps its m');
    assert.deepEqual(values(dropped.param), values(fresh.param), 'the old W keeps its values: the parameter is never written in place');
    assert.deepEqual(values(dropped.slots.m), values(inPlace.slots.m), 'the old m holds the new values: written in place');
    tf.dispose([dropped.param, dropped.slots.m, dropped.slots.v]);
    for (const [name, a, b] of [['W', inPlace.param, pure.param], ['m', inPlace.slots.m, pure.slots.m], ['v', inPlace.slots.v, pure.slots.v]] as const) {
      assert.deepEqual(values(a), values(b), name);
    }
    assert.deepEqual(values(inPlace.changedRows!), values(pure.changedRows!), 'changed rows');
  });

  test(`Adam kernel on a dropped state whose m another tensor shares writes a new m and leaves the shared one alone (${backend})`, async () => {
    await useBackend(backend);
    const rows = tf.tensor1d([1, 3], 'int32');
    const g = tf.randomNormal([2, 5], 0, 0.1, 'float32', 31);
    const [kept, dropped] = [randomState([4, 5], 30), randomState([4, 5], 30)];
    const view = tf.reshape(dropped.slots.m, [20]); // shares m's storage
    const before = values(view);
    const pure = adamOnRows(hp).rows(kept, rows, g, 2);
    const next = adamOnRows(hp).rows({ ...dropped, dropped: true }, rows, g, 2);
    assert.deepEqual(values(view), before, 'the shared m is unchanged');
    assert.deepEqual(values(next.slots.m), values(pure.slots.m), 'the new m');
    assert.deepEqual(values(dropped.slots.v), values(next.slots.v), 'v, not shared, is still written in place');
  });

  test(`Adam kernel flags the rows whose W it changed, a change in any lane or in the tail (${backend})`, async () => {
    await useBackend(backend);
    const param = tf.randomNormal([5, 7], 0, 1, 'float32', 40);
    // Row 1 changes in its last element (a 4-lane kernel's tail), row 2 in its second (a
    // vector lane), row 3 not at all (g = 0 and m = 0: the step is 0), row 4 is not listed.
    const g = tf.tensor2d([
      [0, 0, 0, 0, 0, 0, 0.5],
      [0, -0.5, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0],
    ]);
    const rows = tf.tensor1d([1, 2, 3], 'int32');
    for (const dropped of [false, true]) {
      const state = { param: tf.add(param, 0), slots: { m: tf.zeros([5, 7]), v: tf.zeros([5, 7]) } }; // storage of its own
      const next = adamOnRows(hp).rows(dropped ? { ...state, dropped: true } : state, rows, g, 1);
      assert.deepEqual(values(next.changedRows!), [0, 1, 1, 0, 0], dropped ? 'in place' : 'new tensors');
    }
  });

  test(`Adam kernel refuses a row outside the parameter (${backend})`, async () => {
    await useBackend(backend);
    const state = randomState([3, 2], 1);
    assert.throws(() => adamOnRows(hp).rows(state, tf.tensor1d([3], 'int32'), tf.ones([1, 2]), 1), /row 3 outside \[0, 3\)/);
  });
}

test('wasm: the SIMD Adam kernel gives the op-based step bit for bit (rows of 784 and a 3-lane tail)', async () => {
  await useBackend('wasm');
  for (const shape of [[20, 784], [9, 7]]) {
    const state = randomState(shape, 11);
    const g = tf.randomNormal(shape, 0, 0.1, 'float32', 12);
    const [kernel, ops] = [adamOnRows(hp).all(state, g, 7), adamFormula(hp)(state, g, 7)];
    assert.deepEqual(values(kernel.param), values(ops.param), `[${shape}] W`);
    assert.deepEqual(values(kernel.slots.m), values(ops.slots.m), `[${shape}] m`);
    assert.deepEqual(values(kernel.slots.v), values(ops.slots.v), `[${shape}] v`);
  }
});
