import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFeasible, checkSettings, testActiveCells, validationSplit } from '../../src/config/feasible';
import { resolveConfig } from '../../src/config/load';
import { maxHidden } from '../../src/config/schema';
import { assertUsageError } from './usage-error';

/** The shared folder's sizes: 24,000 training images, 10,000 test images. */
const SHARED = { train: 24000, test: 10000 };

describe('checkFeasible: refusals, each naming its field and numbers', () => {
  const cases: [what: string, sets: string[], sizes: { train: number; test: number }, message: string][] = [
    [
      'a batch larger than the training split after train_limit',
      ['data.train_limit=50'],
      { train: 50, test: 2000 },
      'x.yaml: train.batch_size: 100 is more than the 50 training images (data.train_limit 50), so an epoch would train no step (the last incomplete batch is dropped)',
    ],
    [
      'a batch larger than a small data folder',
      ['train.batch_size=30000'],
      SHARED,
      'x.yaml: train.batch_size: 30000 is more than the 24000 training images, so an epoch would train no step (the last incomplete batch is dropped)',
    ],
    [
      'a validation split that leaves nothing to fit',
      ['data.validation_fraction=0.99', 'train.batch_size=10'],
      { train: 50, test: 10 },
      // ceil(0.99 * 50) = ceil(49.5) = 50 held out, 0 left
      "x.yaml: data.validation_fraction: 0.99 of 50 training images holds out ceil(0.99 * 50) = 50 to choose the classifier's L2 and leaves 0 to fit it; both need at least 1",
    ],
    [
      'a single training image (the validation split takes it)',
      ['train.batch_size=1'],
      { train: 1, test: 10 },
      "x.yaml: data.validation_fraction: 0.1 of 1 training images holds out ceil(0.1 * 1) = 1 to choose the classifier's L2 and leaves 0 to fit it; both need at least 1",
    ],
    ['an empty training split', [], { train: 0, test: 10 }, 'x.yaml: data: the training split has no images'],
    [
      'an empty test split',
      [],
      { train: 24000, test: 0 },
      'x.yaml: data: the test split has no images, so there is nothing to measure test accuracy and MSE on',
    ],
    ['k above hidden', ['model.hidden=20', 'model.k=30'], SHARED, 'x.yaml: model.k: 30 active cells per sample, more than the 20 of model.hidden'],
    [
      'alpha * k above hidden',
      ['model.hidden=50', 'model.k=20'], // round(3 * 20) = 60 > 50
      SHARED,
      'x.yaml: model.alpha: round(3 * k 20) = 60 cells per image at test time; it must be 1 to model.hidden (50)',
    ],
    [
      'alpha * k rounding to no cell',
      ['model.alpha=0.01'], // round(0.01 * 25) = round(0.25) = 0
      SHARED,
      'x.yaml: model.alpha: round(0.01 * k 25) = 0 cells per image at test time; it must be 1 to model.hidden (1000)',
    ],
    [
      'an untied model too large for the wasm heap',
      ['model.tied=false', 'model.hidden=171194', 'model.k=10'],
      SHARED,
      'x.yaml: model.hidden: 171194 cells with model.tied false: W and W_dec, each with its gradient and two moments, fit the wasm heap only up to 171193 cells',
    ],
    [
      'a lifetime rate without lifetime sparsity',
      ['model.lifetime_rate=0.05'],
      SHARED,
      'x.yaml: model.lifetime_rate: 0.05 has no effect with model.lifetime_sparsity false (set it true, or leave the rate at 0)',
    ],
  ];
  for (const [what, sets, sizes, message] of cases) {
    it(`refuses ${what}`, () => assertUsageError(() => checkFeasible(resolveConfig({ sets }), sizes, 'x.yaml'), message));
  }

  it('reports the first problem in the order of the fields: data, then model, then train', () => {
    const config = resolveConfig({ sets: ['model.hidden=20', 'model.k=30', 'data.validation_fraction=0.99'] });
    assertUsageError(() => checkFeasible(config, { train: 50, test: 10 }, 'x.yaml'), /^x\.yaml: data\.validation_fraction: /);
    assertUsageError(() => checkFeasible(config, SHARED, 'x.yaml'), /^x\.yaml: model\.k: /);
  });
});

describe('checkFeasible: accepted configs', () => {
  it('accepts the defaults on the embedded split and on the shared folder', () => {
    checkFeasible(resolveConfig({}), { train: 8000, test: 2000 }, 'x.yaml');
    checkFeasible(resolveConfig({}), SHARED, 'x.yaml');
  });

  it('accepts each constraint at its edge', () => {
    // B = train: one step per epoch; ceil(0.5 * 2) = 1 held, 1 fit.
    checkFeasible(resolveConfig({ sets: ['train.batch_size=2', 'data.validation_fraction=0.5'] }), { train: 2, test: 1 }, 'x.yaml');
    // k = H; round(1 * 20) = 20 = H cells at test time; round(0.02 * 25) = round(0.5) = 1 cell.
    checkFeasible(resolveConfig({ sets: ['model.hidden=20', 'model.k=20', 'model.alpha=1'] }), SHARED, 'x.yaml');
    checkFeasible(resolveConfig({ sets: ['model.alpha=0.02'] }), SHARED, 'x.yaml');
    checkFeasible(resolveConfig({ sets: ['model.tied=false', `model.hidden=${maxHidden(2)}`] }), SHARED, 'x.yaml');
    checkFeasible(resolveConfig({ sets: ['model.lifetime_sparsity=true', 'model.lifetime_rate=0.05'] }), SHARED, 'x.yaml');
  });

  it('checkSettings checks the model without the data, and nothing about the data', () => {
    assertUsageError(() => checkSettings(resolveConfig({ sets: ['model.hidden=20', 'model.k=30'] }), 'x.yaml'), /^x\.yaml: model\.k: /);
    checkSettings(resolveConfig({ sets: ['train.batch_size=60000'] }), 'x.yaml');
  });
});

describe('the shared definitions', () => {
  it('testActiveCells rounds alpha * k', () => {
    assert.equal(testActiveCells(resolveConfig({}).model), 75); // 3 * 25
    assert.equal(testActiveCells(resolveConfig({ sets: ['model.alpha=0.1'] }).model), 3); // round(2.5) = 3
  });

  it('validationSplit holds out ceil(fraction * count) from the end', () => {
    assert.deepEqual(validationSplit(0.1, 24000), { fit: 21600, held: 2400 });
    assert.deepEqual(validationSplit(0.1, 55), { fit: 49, held: 6 }); // ceil(5.5) = 6
  });

  it('maxHidden: W and its gradient and two moments (4 x 784 float32 per cell, per weight matrix) fit 4,294,901,760 bytes', () => {
    // floor(4294901760 / 12544) = 342386, floor(4294901760 / 25088) = 171193
    assert.deepEqual([maxHidden(1), maxHidden(2)], [342386, 171193]);
    assert.ok(maxHidden(1) * 4 * 784 * 4 <= 4294901760 && (maxHidden(1) + 1) * 4 * 784 * 4 > 4294901760);
  });
});
