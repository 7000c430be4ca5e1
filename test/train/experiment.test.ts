import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveConfig } from '../../src/config/load';
import { firstN } from '../../src/data/dataset';
import { loadEmbedded } from '../../src/data/embedded';
import { disposeParams, initParams } from '../../src/model/params';
import { runExperiment } from '../../src/train/experiment';
import { useBackend } from '../backends';

test('a run whose epochs would have no step fails loudly instead of completing untrained', async () => {
  await useBackend('cpu');
  const embedded = loadEmbedded({ testCount: 2000, seed: 0 });
  const dataset = { ...embedded, train: firstN(embedded.train, 50), test: firstN(embedded.test, 20) };
  const config = resolveConfig({ sets: ['model.hidden=16', 'model.k=3', 'train.epochs=1', 'train.batch_size=100'] });
  const params = initParams(config.model, dataset.train.pixels, config.seed);
  const epochs: number[] = [];
  try {
    await assert.rejects(
      runExperiment(config, dataset, params, { onEpochEnd: (row) => epochs.push(row.epoch) }),
      /^Error: internal error: 50 training images in batches of 100: an epoch with no step$/,
    );
    assert.deepEqual(epochs, [], 'no epoch was recorded');
  } finally {
    disposeParams(params);
  }
});
