import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SparseCodes } from '../../src/eval/codes';
import { accuracy, fitSoftmax, lossAndGradient, predict, type SoftmaxModel } from '../../src/eval/softmax';
import { syntheticCodes } from './synthetic';

/** Two samples of three cells, two stored each; the values 1, 3, 3, 1 have root mean square sqrt(5). */
const tiny: SparseCodes = {
  count: 2,
  hidden: 3,
  active: 2,
  indices: Int32Array.from([0, 2, 1, 2]),
  values: Float32Array.from([1, 3, 3, 1]),
};
const tinyLabels = Uint8Array.from([3, 7]);
const bothSamples = Int32Array.from([0, 1]);

/** The starting point of training: zero epochs leave the weights and bias at zero. */
function untrained(codes: SparseCodes, labels: Uint8Array): SoftmaxModel {
  return fitSoftmax(codes, labels, { l2: 0, epochs: 0, seed: 0 });
}

/** Ten entries equal to `base`, except those given as [class, value]. */
function row(base: number, ...exceptions: [number, number][]): number[] {
  const entries = new Array<number>(10).fill(base);
  for (const [c, value] of exceptions) entries[c] = value;
  return entries;
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tolerance, `entry ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

test('the gradient at zero weights is the cross-entropy gradient worked by hand', () => {
  const model = untrained(tiny, tinyLabels);
  assert.equal(model.featureScale, Math.sqrt(5));
  const gradient = new Float64Array(model.parameters.length);
  const loss = lossAndGradient(model, tiny, tinyLabels, bothSamples, 0.5, gradient);
  // All logits are 0, so p = 0.1 for every class and the loss is log 10 (the penalty is 0 at W = 0).
  assert.ok(Math.abs(loss - Math.log(10)) < 1e-12, `loss ${loss}`);
  // Scaled codes: sample 0 (label 3) has cell 0 = r, cell 2 = 3r; sample 1 (label 7) has
  // cell 1 = 3r, cell 2 = r; r = 1 / sqrt(5). Mean over the batch of x_j (p - onehot):
  const r = 1 / Math.sqrt(5);
  const expected = [
    ...row(0.5 * r * 0.1, [3, 0.5 * r * -0.9]), // cell 0: sample 0 only
    ...row(0.5 * 3 * r * 0.1, [7, 0.5 * 3 * r * -0.9]), // cell 1: sample 1 only
    ...row(0.5 * (3 * r * 0.1 + r * 0.1), [3, 0.5 * (3 * r * -0.9 + r * 0.1)], [7, 0.5 * (3 * r * 0.1 + r * -0.9)]), // cell 2
    ...row(0.1, [3, -0.4], [7, -0.4]), // bias: 0.5 (0.1 - [c = 3] + 0.1 - [c = 7])
  ];
  assertClose(gradient, expected, 1e-12);
  // the same numbers, written out: cell 2, class 3 is -1.3 r; the bias of class 0 is 0.1
  assert.ok(Math.abs(gradient[2 * 10 + 3]! - -1.3 * r) < 1e-12);
  assert.ok(Math.abs(gradient[30]! - 0.1) < 1e-12);
});

test('the first Adam step moves every parameter with a gradient by the same amount against it', () => {
  const one = { ...tiny, count: 1, indices: tiny.indices.subarray(0, 2), values: tiny.values.subarray(0, 2) };
  const oneLabel = tinyLabels.subarray(0, 1);
  const gradient = new Float64Array(untrained(one, oneLabel).parameters.length);
  lossAndGradient(untrained(one, oneLabel), one, oneLabel, Int32Array.from([0]), 0, gradient);
  const model = fitSoftmax(one, oneLabel, { l2: 0, epochs: 1, seed: 0 }); // one sample: one step
  const moved = Array.from(model.parameters).filter((p) => p !== 0);
  const step = Math.abs(moved[0]!);
  assert.ok(step > 0);
  model.parameters.forEach((p, i) => {
    const g = gradient[i]!;
    if (g === 0) assert.equal(p, 0, `parameter ${i} has no gradient but moved to ${p}`);
    else {
      assert.equal(Math.sign(p), -Math.sign(g), `parameter ${i}: ${p} after gradient ${g}`);
      assert.ok(Math.abs(Math.abs(p) - step) < 1e-4 * step, `parameter ${i}: step ${p} vs ${step}`); // Adam's epsilon aside
    }
  });
  // cell 1 is not stored in sample 0: its row has no gradient and stays 0
  assert.deepEqual(Array.from(model.weights.subarray(10, 20)), row(0));
});

test('lossAndGradient agrees with central differences of the loss, penalty on W only', () => {
  const { codes, labels } = syntheticCodes({ count: 40, hidden: 60, active: 6, signal: 2, blockSize: 3, labelNoise: 0.3, seed: 5 });
  const l2 = 0.3;
  const model = fitSoftmax(codes, labels, { l2, epochs: 3, seed: 1 });
  const batch = Int32Array.from([3, 17, 8, 25, 39, 0]);
  const gradient = new Float64Array(model.parameters.length);
  lossAndGradient(model, codes, labels, batch, l2, gradient);
  const scratch = new Float64Array(model.parameters.length);
  const lossAt = (p: number, value: number): number => {
    const saved = model.parameters[p]!;
    model.parameters[p] = value;
    const loss = lossAndGradient(model, codes, labels, batch, l2, scratch);
    model.parameters[p] = saved;
    return loss;
  };
  const cellOfSample3 = codes.indices[3 * 6]!;
  const probes = [
    cellOfSample3 * 10 + labels[3]!, // a weight the batch's data touches
    cellOfSample3 * 10 + ((labels[3]! + 1) % 10),
    59 * 10 + 4, // a noise cell: its gradient is mostly (or only) the penalty
    600 + labels[3]!, // bias entries
    600 + 9,
  ];
  for (const p of probes) {
    const h = 1e-6;
    const w = model.parameters[p]!;
    const numeric = (lossAt(p, w + h) - lossAt(p, w - h)) / (2 * h);
    assert.ok(Math.abs(numeric - gradient[p]!) < 1e-7, `parameter ${p}: analytic ${gradient[p]} vs numeric ${numeric}`);
  }
  // the loss's penalty is (l2 / 2) |W|^2, the bias left out
  let squaredNorm = 0;
  for (const w of model.weights) squaredNorm += w * w;
  const withPenalty = lossAndGradient(model, codes, labels, batch, l2, scratch);
  const without = lossAndGradient(model, codes, labels, batch, 0, scratch);
  assert.ok(Math.abs(withPenalty - without - 0.5 * l2 * squaredNorm) < 1e-12);
});

test('huge logits give a finite loss (the max is subtracted before exp)', () => {
  const model = untrained(tiny, tinyLabels);
  model.weights[2 * 10 + 3] = 1e4; // cell 2 votes for class 3: logits 3r 1e4 (sample 0) and r 1e4 (sample 1)
  const gradient = new Float64Array(model.parameters.length);
  const r = 1 / Math.sqrt(5);
  const right = lossAndGradient(model, tiny, tinyLabels, Int32Array.from([0]), 0, gradient);
  assert.ok(right >= 0 && right < 1e-12, `confident and right: loss ${right}`);
  const wrong = lossAndGradient(model, tiny, tinyLabels, Int32Array.from([1]), 0, gradient);
  assert.ok(Math.abs(wrong - r * 1e4) < 1e-9 * r * 1e4, `confident and wrong: loss ${wrong}, expected ${r * 1e4}`);
  assert.ok(gradient.every(Number.isFinite));
});

test('codes whose classes own their cells are classified perfectly, train and held out', () => {
  const spec = { hidden: 200, active: 10, signal: 3, blockSize: 10, labelNoise: 0 };
  const train = syntheticCodes({ ...spec, count: 600, seed: 1 });
  const heldOut = syntheticCodes({ ...spec, count: 300, seed: 2 });
  const model = fitSoftmax(train.codes, train.labels, { l2: 1e-3, epochs: 20, seed: 0 });
  assert.equal(accuracy(model, train.codes, train.labels), 1);
  assert.equal(accuracy(model, heldOut.codes, heldOut.labels), 1);
});

test('the zero model predicts the first class; accuracy counts matches', () => {
  const model = untrained(tiny, tinyLabels);
  assert.deepEqual(Array.from(predict(model, tiny)), [0, 0]);
  assert.equal(accuracy(model, tiny, Uint8Array.from([0, 5])), 0.5);
});

test('scaling every code value by 1024 changes the feature scale and nothing else', () => {
  const { codes, labels } = syntheticCodes({ count: 300, hidden: 100, active: 8, signal: 2, blockSize: 5, labelNoise: 0.2, seed: 3 });
  const scaled = { ...codes, values: codes.values.map((v) => v * 1024) };
  const options = { l2: 1e-3, epochs: 5, seed: 7 };
  const model = fitSoftmax(codes, labels, options);
  const scaledModel = fitSoftmax(scaled, labels, options);
  assert.equal(scaledModel.featureScale, 1024 * model.featureScale);
  assert.deepEqual(scaledModel.parameters, model.parameters);
});

test('the same seed gives the same model; another seed shuffles differently', () => {
  const { codes, labels } = syntheticCodes({ count: 300, hidden: 100, active: 8, signal: 2, blockSize: 5, labelNoise: 0.2, seed: 4 });
  const fit = (seed: number) => fitSoftmax(codes, labels, { l2: 1e-3, epochs: 5, seed });
  assert.deepEqual(fit(11).parameters, fit(11).parameters);
  assert.notDeepEqual(fit(11).parameters, fit(12).parameters);
});

test('a warm start begins at the start model: zero epochs copy it, feature scale included', () => {
  const { codes, labels } = syntheticCodes({ count: 300, hidden: 100, active: 8, signal: 2, blockSize: 5, labelNoise: 0.2, seed: 6 });
  const start = fitSoftmax(codes, labels, { l2: 1e-3, epochs: 2, seed: 1 });
  const rescaled = { ...codes, values: codes.values.map((v) => v * 4) }; // another feature scale of their own
  const copy = fitSoftmax(rescaled, labels, { l2: 1e-3, epochs: 0, seed: 1, start });
  assert.equal(copy.featureScale, start.featureScale);
  assert.deepEqual(copy.parameters, start.parameters);
  copy.parameters[0] = 1;
  assert.notEqual(start.parameters[0], 1, 'the copy shares its parameters with the start');
});

test('a warm start goes on from the start model, which it leaves untouched', () => {
  const { codes, labels } = syntheticCodes({ count: 300, hidden: 100, active: 8, signal: 2, blockSize: 5, labelNoise: 0.2, seed: 6 });
  const all = Int32Array.from({ length: codes.count }, (_, i) => i);
  const objective = (model: SoftmaxModel) => lossAndGradient(model, codes, labels, all, 1e-3, new Float64Array(model.parameters.length));
  const start = fitSoftmax(codes, labels, { l2: 1e-3, epochs: 1, seed: 1 });
  const before = Float64Array.from(start.parameters);
  const warm = fitSoftmax(codes, labels, { l2: 1e-3, epochs: 1, seed: 2, start });
  const cold = fitSoftmax(codes, labels, { l2: 1e-3, epochs: 1, seed: 2 });
  assert.deepEqual(start.parameters, before);
  // one epoch on top of one epoch ends lower than the start and than one epoch from zero
  assert.ok(objective(warm) < objective(start) - 0.01, `objective ${objective(warm)} after the warm start, ${objective(start)} at its start`);
  assert.ok(objective(warm) < objective(cold) - 0.01, `objective ${objective(warm)} warm vs ${objective(cold)} from zero`);
});

test('a start model of another size is refused', () => {
  const start = untrained(tiny, tinyLabels); // 3 cells
  const { codes, labels } = syntheticCodes({ count: 20, hidden: 30, active: 4, signal: 2, blockSize: 2, labelNoise: 0, seed: 1 });
  assert.throws(() => fitSoftmax(codes, labels, { l2: 0, epochs: 1, seed: 0, start }), /codes of 30 cells for a model of 3/);
});

test('labels that do not fit the codes are refused', () => {
  assert.throws(() => fitSoftmax(tiny, Uint8Array.from([3]), { l2: 0, epochs: 1, seed: 0 }), /1 labels for 2 codes/);
  assert.throws(() => fitSoftmax(tiny, Uint8Array.from([3, 10]), { l2: 0, epochs: 1, seed: 0 }), /label 10 at 1/);
  const badCell = { ...tiny, indices: Int32Array.from([0, 3, 1, 2]) };
  assert.throws(() => fitSoftmax(badCell, tinyLabels, { l2: 0, epochs: 1, seed: 0 }), /cell index 3 at 1 outside \[0, 3\)/);
});
