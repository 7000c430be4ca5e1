/**
 * model.k_schedule: the training k of each epoch by the formula (hand-computed), the
 * config's checks, and a run that trains its epochs at the scheduled k (in `mask` mode
 * without lifetime sparsity every sample has exactly k active cells, so active_per_sample
 * is the epoch's k).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/load';
import { firstN } from '../../src/data/dataset';
import { loadEmbedded } from '../../src/data/embedded';
import { disposeParams, initParams } from '../../src/model/params';
import { runExperiment } from '../../src/train/experiment';
import { epochConfig, trainingK } from '../../src/train/kSchedule';
import { TEST_BACKENDS, useBackend } from '../backends';
import { assertUsageError } from '../config/usage-error';

const model = (sets: string[]) => resolveConfig({ sets }).model;

describe('trainingK', () => {
  it('is model.k without a schedule', () => {
    assert.deepEqual([1, 2, 10].map((epoch) => trainingK(model([]), epoch)), [25, 25, 25]);
  });
  it('falls linearly from `from` at epoch 1 to k at epoch epochs + 1: 100, 75, 50, then 25', () => {
    const scheduled = model(['model.k_schedule.from=100', 'model.k_schedule.epochs=3']);
    assert.deepEqual([1, 2, 3, 4, 5].map((epoch) => trainingK(scheduled, epoch)), [100, 75, 50, 25, 25]);
  });
  it('rounds: 30 -> 25 over 2 epochs is 30, round(27.5) = 28, 25', () => {
    const scheduled = model(['model.k_schedule.from=30', 'model.k_schedule.epochs=2']);
    assert.deepEqual([1, 2, 3].map((epoch) => trainingK(scheduled, epoch)), [30, 28, 25]);
  });
  it('epochConfig changes model.k only, and returns the config itself where k is the target', () => {
    const config = resolveConfig({ sets: ['model.k_schedule.from=100', 'model.k_schedule.epochs=3'] });
    assert.deepEqual(epochConfig(config, 2), { ...config, model: { ...config.model, k: 75 } });
    assert.equal(epochConfig(config, 4), config);
  });
});

describe('model.k_schedule in the config', () => {
  it('is off by default', () => assert.deepEqual(resolveConfig({}).model.k_schedule, { from: null, epochs: 5 }));
  it('must start above model.k and at most at model.hidden', () => {
    const reason = 'a schedule falls from above model.k (25) and starts at most at model.hidden (1000)';
    assertUsageError(() => resolveConfig({ sets: ['model.k_schedule.from=25'] }), `--set model.k_schedule.from=25: model.k_schedule.from: expected a positive integer or null (${reason}), got 25`);
    assertUsageError(() => resolveConfig({ sets: ['model.k_schedule.from=1001'] }), `--set model.k_schedule.from=1001: model.k_schedule.from: expected a positive integer or null (${reason}), got 1001`);
  });
});

const embedded = loadEmbedded({ testCount: 2000, seed: 0 });
const dataset = { ...embedded, train: firstN(embedded.train, 200), test: firstN(embedded.test, 100) };

for (const backend of TEST_BACKENDS) {
  it(`a run trains at k 6, 4, then 2 (mask mode, H = 16, schedule 6 -> 2 over 2 epochs) (${backend})`, async () => {
    await useBackend(backend);
    const sets = ['model.hidden=16', 'model.k=2', 'model.alpha=2', 'train.epochs=3', 'train.batch_size=50', 'eval.classifier_epochs=1'];
    const run = async (extra: string[]) => {
      const config = resolveConfig({ sets: [...sets, ...extra] });
      const params = initParams(config.model, dataset.train.pixels, config.seed);
      try {
        return (await runExperiment(config, dataset, params)).rows;
      } finally {
        disposeParams(params);
      }
    };
    const scheduled = await run(['model.k_schedule.from=6', 'model.k_schedule.epochs=2']);
    assert.deepEqual(scheduled.map((row) => row.active_per_sample), [6, 4, 2]);
    const plain = await run([]);
    assert.deepEqual(plain.map((row) => row.active_per_sample), [2, 2, 2]);
    assert.notEqual(scheduled.at(-1)?.train_loss, plain.at(-1)?.train_loss, 'the schedule changed the training');
  });
}
