import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../src/errors';
import { sliceCodes } from '../../src/eval/codes';
import { evaluateClassifier, type ClassifierOptions } from '../../src/eval/classify';
import { accuracy, fitSoftmax, type SoftmaxModel } from '../../src/eval/softmax';
import { syntheticCodes, type Labelled, type SyntheticSpec } from './synthetic';

/** Train and test splits drawn the same way with different seeds. */
function splits(spec: Omit<SyntheticSpec, 'count' | 'seed'>, trainCount: number, testCount: number) {
  return {
    train: syntheticCodes({ ...spec, count: trainCount, seed: 1 }),
    test: syntheticCodes({ ...spec, count: testCount, seed: 2 }),
  };
}

interface PathFit {
  l2: number;
  model: SoftmaxModel;
  validationAccuracy: number;
}

/** The candidate fits, recomputed here from the procedure: on all but the last ceil(f * n) codes,
 *  strongest l2 first, each starting from the fit before it; returned in that order. */
function pathFits(train: Labelled, options: ClassifierOptions): PathFit[] {
  const cut = train.codes.count - Math.ceil(options.validationFraction * train.codes.count);
  const fit = sliceCodes(train.codes, 0, cut);
  const validation = sliceCodes(train.codes, cut, train.codes.count);
  const fits: PathFit[] = [];
  for (const l2 of [...options.l2Candidates].sort((a, b) => b - a)) {
    const start = fits.at(-1)?.model;
    const model = fitSoftmax(fit, train.labels.subarray(0, cut), { l2, epochs: options.epochs, seed: options.seed, start });
    fits.push({ l2, model, validationAccuracy: accuracy(model, validation, train.labels.subarray(cut)) });
  }
  return fits;
}

/** Validation accuracy of each candidate along the path, in the order of options.l2Candidates. */
function validationAccuracies(train: Labelled, options: ClassifierOptions): number[] {
  const fits = pathFits(train, options);
  return options.l2Candidates.map((l2) => fits.find((f) => f.l2 === l2)!.validationAccuracy);
}

/** Noisy labels: 60% replaced at random, so only the class cell generalises and memorising the noise cells hurts. */
const noisy = { hidden: 1000, active: 20, signal: 1, blockSize: 1, labelNoise: 0.6 };
/** Clean labels, three cells of ten per class: separable, but with too strong an l2 the fit collapses. */
const clean = { hidden: 1000, active: 20, signal: 3, blockSize: 10, labelNoise: 0 };

test('the result follows the procedure: a path of fits strongest l2 first, chosen on the last ceil(f * n) codes, refit from the chosen fit', () => {
  const { train, test: heldOut } = splits(noisy, 505, 200);
  const options = { l2Candidates: [1e-2, 1e-4, 1e-1], epochs: 10, validationFraction: 0.1, seed: 3 }; // 51 validate
  const result = evaluateClassifier(train, heldOut, options);
  const fits = pathFits(train, options);
  assert.deepEqual(fits.map((f) => f.l2), [1e-1, 1e-2, 1e-4]);
  const best = Math.max(...fits.map((f) => f.validationAccuracy));
  const chosen = fits.find((f) => f.validationAccuracy === best)!; // the first best is the strongest
  assert.equal(result.validationAccuracy, best);
  assert.equal(result.l2, chosen.l2);
  const final = fitSoftmax(train.codes, train.labels, { l2: chosen.l2, epochs: options.epochs, seed: options.seed, start: chosen.model });
  assert.equal(result.trainAccuracy, accuracy(final, train.codes, train.labels));
  assert.equal(result.testAccuracy, accuracy(final, heldOut.codes, heldOut.labels));
});

test('along the path each fit starts from the one before: the weakest l2 is not fit from zero', () => {
  const { train } = splits(noisy, 505, 200);
  const options = { l2Candidates: [1e-4, 1e-1], epochs: 2, validationFraction: 0.1, seed: 3 };
  const [strong, weak] = pathFits(train, options);
  const cut = train.codes.count - Math.ceil(options.validationFraction * train.codes.count);
  const fitWeak = (start?: SoftmaxModel) =>
    fitSoftmax(sliceCodes(train.codes, 0, cut), train.labels.subarray(0, cut), { l2: 1e-4, epochs: 2, seed: 3, start });
  assert.deepEqual(weak!.model.parameters, fitWeak(strong!.model).parameters);
  assert.notDeepEqual(weak!.model.parameters, fitWeak().parameters);
});

test('with noisy labels the chooser takes the stronger l2, with clean ones the weaker', () => {
  const noisySplits = splits(noisy, 1000, 500);
  const noisyOptions = { l2Candidates: [1e-4, 1e-1], epochs: 20, validationFraction: 0.2, seed: 0 };
  const [weak, strong] = validationAccuracies(noisySplits.train, noisyOptions);
  assert.ok(strong! > weak! + 0.05, `validation accuracy ${strong} (l2 0.1) vs ${weak} (l2 1e-4): the data do not test the choice`);
  assert.equal(evaluateClassifier(noisySplits.train, noisySplits.test, noisyOptions).l2, 1e-1);

  const cleanSplits = splits(clean, 1000, 500);
  const cleanOptions = { ...noisyOptions, l2Candidates: [10, 1e-2] };
  const result = evaluateClassifier(cleanSplits.train, cleanSplits.test, cleanOptions);
  assert.equal(result.l2, 1e-2);
  assert.equal(result.validationAccuracy, 1);
  assert.equal(result.testAccuracy, 1);
});

test('equal validation accuracy goes to the stronger l2, whatever the candidate order', () => {
  const { train, test: heldOut } = splits(clean, 1000, 300);
  const options = { l2Candidates: [1e-2, 1e-1], epochs: 20, validationFraction: 0.2, seed: 0 };
  assert.deepEqual(validationAccuracies(train, options), [1, 1]);
  assert.equal(evaluateClassifier(train, heldOut, options).l2, 1e-1);
  assert.equal(evaluateClassifier(train, heldOut, { ...options, l2Candidates: [1e-1, 1e-2] }).l2, 1e-1);
});

test('test labels never influence the choice', () => {
  const { train, test: heldOut } = splits(noisy, 500, 300);
  const options = { l2Candidates: [1e-4, 1e-2, 1e-1], epochs: 10, validationFraction: 0.2, seed: 0 };
  const honest = evaluateClassifier(train, heldOut, options);
  // adversarial test labels: every one is shifted to a wrong class
  const shifted = { codes: heldOut.codes, labels: heldOut.labels.map((label) => (label + 1) % 10) };
  const adversarial = evaluateClassifier(train, shifted, options);
  assert.equal(adversarial.l2, honest.l2);
  assert.equal(adversarial.validationAccuracy, honest.validationAccuracy);
  assert.equal(adversarial.trainAccuracy, honest.trainAccuracy);
  assert.notEqual(adversarial.testAccuracy, honest.testAccuracy);
});

test('the same seed gives the same accuracies', () => {
  const { train, test: heldOut } = splits(noisy, 400, 200);
  const options = { l2Candidates: [1e-3, 1e-1], epochs: 5, validationFraction: 0.25, seed: 9 };
  assert.deepEqual(evaluateClassifier(train, heldOut, options), evaluateClassifier(train, heldOut, options));
});

test('a validation split that leaves nothing to fit is a usage error', () => {
  const { train, test: heldOut } = splits(clean, 1, 10);
  const options = { l2Candidates: [1e-3], epochs: 1, validationFraction: 0.1, seed: 0 };
  assert.throws(
    () => evaluateClassifier(train, heldOut, options),
    (error: unknown) => error instanceof UserError && error.exitCode === 2 && /leaves 0 to fit and 1 to validate/.test(error.message),
  );
});
