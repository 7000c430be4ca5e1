import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { healthOf } from '../../src/report/health';
import { finalMetrics, readExperiment } from '../../src/report/read';
import { useBackend } from '../backends';
import { withTempDir } from '../data/fixtures';
import { EPOCHS, GATHER, HIDDEN, MASK, writeFakeExperiment } from './fixture';

before(() => useBackend('cpu'));

test("readExperiment: summary.csv's runs in order, with swept values, resolved config, record and metrics as numbers", () =>
  withTempDir((dir) => {
    const experiment = readExperiment(writeFakeExperiment(dir, MASK, 'F4'));
    assert.deepEqual(experiment.sweptKeys, ['seed', 'optimizer.lr', 'optimizer.name']);
    assert.deepEqual(experiment.runs.slice(0, 6).map((run) => [run.values.seed, run.values['optimizer.lr'], run.values['optimizer.name'], run.status]), [
      [0, 0.001, 'adam', 'completed'],
      [0, 0.001, 'lazy-adam', 'completed'],
      [0, 0.01, 'adam', 'completed'],
      [0, 0.01, 'lazy-adam', 'completed'],
      [0, 0.1, 'adam', 'diverged'],
      [0, 0.1, 'lazy-adam', 'pending'],
    ]);
    assert.equal(experiment.runs.length, 12);
    const [first] = experiment.runs;
    assert.equal(first?.config?.model.hidden, HIDDEN);
    assert.equal(first?.config?.optimizer.lr, 0.001);
    assert.equal(experiment.runs[6]?.config?.seed, 1);
    assert.equal(first?.record?.epochs_completed, EPOCHS);
    assert.deepEqual(first?.metrics.map((row) => row.epoch), [1, 2, 3]);
    assert.deepEqual(finalMetrics(first!), { ...first?.metrics[2]!, test_accuracy: 0.9123, gathered_fraction: null });
    assert.ok(first?.weightsFile?.endsWith('weights.json') && fs.existsSync(first.weightsFile));
  }));

test('readExperiment: a diverged run keeps its completed epochs and has no weights; a pending run has nothing', () =>
  withTempDir((dir) => {
    const runs = readExperiment(writeFakeExperiment(dir, MASK, 'F4')).runs;
    const diverged = runs[4]!;
    assert.deepEqual([diverged.metrics.length, diverged.weightsFile, diverged.record?.diverged_epoch], [1, null, 2]);
    const pending = runs[5]!;
    assert.deepEqual([pending.config, pending.record, pending.metrics, pending.weightsFile, finalMetrics(pending)], [null, null, [], null, null]);
  }));

test('healthOf: a completed run whose test MSE blew up (6.7e7) is `blown up`; the others keep their status', () =>
  withTempDir((dir) => {
    const runs = readExperiment(writeFakeExperiment(dir, MASK, 'F4')).runs;
    assert.deepEqual(runs.map(healthOf), [
      ...['completed', 'completed', 'completed', 'completed', 'diverged', 'pending'],
      ...['completed', 'completed', 'completed', 'blown up', 'diverged', 'pending'],
    ]);
    assert.equal(runs[9]!.status, 'completed');
  }));

test('readExperiment: gather modes have their gathered_fraction; a folder without summary.csv is an error naming it', () =>
  withTempDir((dir) => {
    const gather = readExperiment(writeFakeExperiment(dir, GATHER, 'F1'));
    assert.deepEqual(gather.runs.map((run) => finalMetrics(run)?.gathered_fraction), [1, 1, 1, 1, 1, 1, 1, 1]);
    const empty = path.join(dir, 'empty');
    assert.throws(() => readExperiment({ name: 'empty', finding: '', dir: empty }), { message: `${path.join(empty, 'summary.csv')}: no such file` });
  }));
