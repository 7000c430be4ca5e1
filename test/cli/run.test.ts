import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { refusedUrl, withTempDir } from '../data/fixtures';
import { readCsv, runCli } from './cli';

/** A tiny run on the embedded subset: 50 cells, 1000 training images, 2 epochs (about 1 s). */
const TINY = `
name: tiny
data: { train_limit: 1000, test_limit: 300 }
model: { hidden: 50, k: 10 }
train: { epochs: 2, batch_size: 50 }
optimizer: { lr: 0.005 }
eval: { classifier_epochs: 10, classifier_l2: [0.001] }
`;

test('run: a tiny experiment writes metrics.csv, run.json, config.yaml and weights.json', () =>
  withTempDir(async (dir) => {
    fs.writeFileSync(path.join(dir, 'tiny.yaml'), TINY);
    const out = path.join(dir, 'out');
    const result = await runCli(['run', path.join(dir, 'tiny.yaml'), '--out', out, '--backend', 'wasm']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^backend wasm/m);
    assert.match(result.stdout, /^data embedded mnist package .*1000 train \/ 300 test/m);

    const rows = readCsv(fs.readFileSync(path.join(out, 'metrics.csv'), 'utf8'));
    assert.deepEqual(rows.map((r) => r.epoch), ['1', '2']);
    for (const column of ['train_loss', 'train_mse', 'test_mse', 'train_accuracy', 'test_accuracy', 'dead_cells', 'seconds']) {
      assert.ok(rows.every((r) => r[column] !== '' && Number.isFinite(Number(r[column]))), `${column} in every row`);
    }
    const last = rows[1]!;
    assert.ok(Number(last.train_loss) < Number(rows[0]!.train_loss), 'training loss falls');
    assert.ok(Number(last.test_accuracy) > 0.8, `test accuracy ${last.test_accuracy} beats chance by far`);
    assert.ok(Number(last.dead_cells) >= 0 && Number(last.dead_cells) <= 50);

    const record = JSON.parse(fs.readFileSync(path.join(out, 'run.json'), 'utf8'));
    assert.equal(record.status, 'completed');
    assert.equal(record.backend.name, 'wasm');
    assert.equal(record.epochs_completed, 2);
    assert.match(fs.readFileSync(path.join(out, 'config.yaml'), 'utf8'), /hidden: 50/);
    const weights = JSON.parse(fs.readFileSync(path.join(out, 'weights.json'), 'utf8'));
    assert.deepEqual(weights.tensors.W.shape, [50, 784]);
  }));

test('run --init-from: a warm start from saved weights continues where the run ended', () =>
  withTempDir(async (dir) => {
    fs.writeFileSync(path.join(dir, 'tiny.yaml'), TINY);
    const first = path.join(dir, 'first');
    assert.equal((await runCli(['run', path.join(dir, 'tiny.yaml'), '--out', first, '--backend', 'cpu'])).code, 0);
    const second = path.join(dir, 'second');
    const warm = await runCli([
      'run', path.join(dir, 'tiny.yaml'), '--out', second, '--backend', 'cpu', '--set', 'train.epochs=1',
      '--init-from', path.join(first, 'weights.json'),
    ]);
    assert.equal(warm.code, 0, warm.stderr);
    const trainLoss = (d: string) => Number(readCsv(fs.readFileSync(path.join(d, 'metrics.csv'), 'utf8'))[0]!.train_loss);
    // A fresh Adam on trained weights: the first warm epoch starts far below the cold start.
    assert.ok(trainLoss(second) < trainLoss(first), `warm ${trainLoss(second)} < cold ${trainLoss(first)}`);
  }));

const refusals = [
  { what: 'a wrong type', config: 'model:\n  k: many\n', code: 2, line: /bad\.yaml: model\.k: / },
  { what: 'an unknown key', config: 'model:\n  hiden: 10\n', code: 2, line: /bad\.yaml: model\.hiden: unknown key/ },
  { what: 'bad YAML', config: 'model: [1, 2\n', code: 2, line: /bad\.yaml: invalid YAML/ },
  { what: 'a missing data folder offline', config: 'data: { source: idx, dir: nowhere, download: false }\n', code: 1, line: /no MNIST in nowhere/ },
];

for (const r of refusals) {
  test(`run refuses ${r.what}: one line on stderr, exit ${r.code}, nothing written`, () =>
    withTempDir(async (dir) => {
      fs.writeFileSync(path.join(dir, 'bad.yaml'), r.config);
      const result = await runCli(['run', 'bad.yaml', '--out', 'out'], { cwd: dir });
      assert.equal(result.code, r.code, result.stderr);
      assert.match(result.stderr, r.line);
      assert.equal(result.stderr.trim().split('\n').length, 1, `one line: ${result.stderr}`);
      assert.doesNotMatch(result.stderr, /\bat \S+ \(/, 'no stack trace');
      assert.deepEqual(fs.readdirSync(dir), ['bad.yaml']);
    }));
}

test('run refuses a corrupt IDX folder with exit 1 and the file named', () =>
  withTempDir(async (dir) => {
    const data = path.join(dir, 'mnist');
    fs.mkdirSync(data);
    for (const name of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
      fs.writeFileSync(path.join(data, name), Buffer.from([0, 0, 8, 1, 0, 0, 0, 5]));
    }
    const result = await runCli(['run', '--data-dir', data, '--out', path.join(dir, 'out')]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /^sparse-adam: .*train-images-idx3-ubyte: /);
    assert.equal(fs.existsSync(path.join(dir, 'out')), false);
  }));

test('run with every mirror failing: exit 1, one line naming each mirror, no data folder left behind', () =>
  withTempDir(async (dir) => {
    const mirror = await refusedUrl();
    const data = path.join(dir, 'data', 'mnist');
    fs.writeFileSync(path.join(dir, 'c.yaml'), `data: { source: idx, dir: ${data}, mirrors: ['${mirror}'] }\n`);
    const result = await runCli(['run', path.join(dir, 'c.yaml'), '--out', path.join(dir, 'out')]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /^sparse-adam: could not download train-images-idx3-ubyte\.gz: http:\/\/127\.0\.0\.1:\d+\/: .*ECONNREFUSED/);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.deepEqual(fs.readdirSync(dir), ['c.yaml'], 'the folders made for the download are removed');
  }));

test('validate prints the resolved config with --set applied', async () => {
  const result = await runCli(['validate', 'configs/quickstart.yaml', '--set', 'optimizer.lr=0.01']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /name: quickstart/);
  assert.match(result.stdout, /lr: 0\.01/);
  assert.match(result.stdout, /hidden: 1000/);
});
