import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { resolveConfig } from '../../src/config/load';
import { loadEmbedded } from '../../src/data/embedded';
import { firstN } from '../../src/data/dataset';
import { disposeParams, initParams } from '../../src/model/params';
import { runExperiment } from '../../src/train/experiment';
import { TEST_BACKENDS, useBackend } from '../backends';

const embedded = loadEmbedded({ testCount: 2000, seed: 0 });
const dataset = { ...embedded, train: firstN(embedded.train, 400), test: firstN(embedded.test, 200) };

for (const backend of TEST_BACKENDS) {
  test(`tensor count and bytes stay flat across epochs, and nothing is left after the run (${backend})`, async () => {
    await useBackend(backend);
    const config = resolveConfig({
      sets: ['model.hidden=16', 'model.k=3', 'train.epochs=4', 'train.batch_size=50', 'eval.classifier_epochs=1'],
    });
    const before = tf.memory().numTensors;
    const params = initParams(config.model, dataset.train.pixels, config.seed);
    const perEpoch: { tensors: number; bytes: number }[] = [];
    await runExperiment(config, dataset, params, {
      onEpochEnd: () => perEpoch.push({ tensors: tf.memory().numTensors, bytes: tf.memory().numBytes }),
    });
    assert.equal(perEpoch.length, 4);
    // The first epoch creates the optimizer's slots; from then on nothing may grow.
    for (const epoch of perEpoch.slice(1)) assert.deepEqual(epoch, perEpoch[0]);
    disposeParams(params);
    assert.equal(tf.memory().numTensors, before, 'the run disposed its optimizer and every intermediate');
  });
}
