/**
 * What the CLI refuses before anything runs or is written, as a user meets it: exit 2, one
 * line on stderr naming the file (or flag) and the field, no stack trace, and nothing in
 * the working folder but the files the test wrote.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { aliasBomb } from '../config/hostile';
import { findSharedMnist, mnistFixture, withTempDir, writeFiles } from '../data/fixtures';
import { runCli } from './cli';

/** Kills a CLI that hangs (a huge sweep expanding without the limit): a guard, not a speed target. */
const HANG_MS = 120_000;

const NO_SLURM = { SLURM_ARRAY_TASK_ID: '', SLURM_ARRAY_TASK_COUNT: '', SLURM_ARRAY_TASK_MIN: '' };

interface Refusal {
  what: string;
  files: Record<string, string>;
  args: string[];
  line: RegExp;
}

/** Run `args` in a fresh folder holding `files`: exit 2, one matching line, nothing else written. */
async function assertRefused({ files, args, line }: Refusal): Promise<void> {
  await withTempDir(async (dir) => {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    const result = await runCli(args, { cwd: dir, env: NO_SLURM, timeout: HANG_MS });
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stderr.trim().split('\n').length, 1, `one line: ${result.stderr}`);
    assert.match(result.stderr.trimEnd(), line);
    assert.doesNotMatch(result.stderr, /internal error|\bat \S+ \(/);
    assert.deepEqual(fs.readdirSync(dir).sort(), Object.keys(files).sort(), 'nothing written');
  });
}

/** A weights.json for a 2-cell tied model on 784 inputs; `edit` spoils it. */
function weightsJson(edit: (file: Record<string, any>) => void = () => {}): string {
  const floats = (values: number[]) => Buffer.from(new Float32Array(values).buffer).toString('base64');
  const file = {
    format: 'sparse-adam-weights',
    version: 1,
    hidden: 2,
    inputs: 784,
    tied: true,
    tensors: {
      W: { shape: [2, 784], data: floats(Array(2 * 784).fill(0.01)) },
      b: { shape: [2], data: floats([0, 0]) },
      c: { shape: [784], data: floats(Array(784).fill(0)) },
    },
  };
  edit(file);
  return JSON.stringify(file);
}

const TWO_CELLS = 'model: { hidden: 2, k: 1, alpha: 1 }\ndata: { train_limit: 200, test_limit: 50 }\ntrain: { epochs: 1, batch_size: 50 }\n';

const refusals: Refusal[] = [
  {
    what: 'a YAML alias bomb',
    files: { 'bomb.yaml': aliasBomb() },
    args: ['run', 'bomb.yaml', '--out', 'out'],
    line: /^sparse-adam: bomb\.yaml: invalid YAML: its aliases expand too far/,
  },
  {
    what: 'model.hidden = 1e9',
    files: { 'huge.yaml': 'model:\n  hidden: 1e9\n' },
    args: ['run', 'huge.yaml', '--out', 'out'],
    line: /^sparse-adam: huge\.yaml: model\.hidden: expected a positive integer <= 342386, got 1000000000$/,
  },
  {
    what: 'a JSON config with a duplicate key',
    files: { 'dup.json': '{\n  "train": {"epochs": 1},\n  "train": {"epochs": 20}\n}\n' },
    args: ['run', 'dup.json', '--out', 'out'],
    line: /^sparse-adam: dup\.json: invalid JSON at line 3, column 3: duplicate key "train"$/,
  },
  {
    what: 'a sweep of a million seeds (run)',
    files: { 'seeds.yaml': 'sweep:\n  seed: 1000000\n' },
    args: ['run', 'seeds.yaml', '--out', 'out'],
    line: /^sparse-adam: seeds\.yaml: sweep: 1000000 runs \(seed 1000000\), more than the 10000 one sweep may have/,
  },
  {
    what: 'a sweep of a million seeds (plan)',
    files: { 'seeds.yaml': 'sweep:\n  seed: 1000000\n' },
    args: ['plan', 'seeds.yaml'],
    line: /^sparse-adam: seeds\.yaml: sweep: 1000000 runs \(seed 1000000\), more than the 10000 one sweep may have/,
  },
  {
    what: 'a log range of a billion learning rates (plan)',
    files: { 'lr.yaml': 'sweep:\n  optimizer.lr: { from: 1.0e-5, to: 1, count: 1000000000 }\n' },
    args: ['plan', 'lr.yaml'],
    line: /^sparse-adam: lr\.yaml: sweep: 1000000000 runs \(optimizer\.lr 1000000000\)/,
  },
  {
    what: 'a product of long lists (run)',
    files: { 'grid.yaml': `sweep:\n  model.k: [${Array.from({ length: 200 }, (_, i) => i + 1).join(', ')}]\n  seed: 100\n` },
    args: ['run', 'grid.yaml', '--out', 'out'],
    line: /^sparse-adam: grid\.yaml: sweep: 20000 runs \(model\.k 200 x seed 100\)/,
  },
  {
    what: '--jobs 0 for a sweep',
    files: { 'sweep.yaml': 'sweep:\n  seed: 2\n' },
    args: ['run', 'sweep.yaml', '--out', 'out', '--jobs', '0'],
    line: /^sparse-adam: --jobs 0: expected a whole number >= 1$/,
  },
  {
    what: '--jobs for a config without a sweep',
    files: { 'one.yaml': 'train: { epochs: 1 }\n' },
    args: ['run', 'one.yaml', '--out', 'out', '--jobs', '2'],
    line: /^sparse-adam: --jobs 2: only for a sweep, and one\.yaml has no sweep section$/,
  },
  {
    what: '--shard for a config without a sweep',
    files: { 'one.yaml': 'train: { epochs: 1 }\n' },
    args: ['run', 'one.yaml', '--out', 'out', '--shard', '1/2'],
    line: /^sparse-adam: --shard 1\/2: only for a sweep, and one\.yaml has no sweep section$/,
  },
  {
    what: '--init-from weights with a NaN',
    files: { 'c.yaml': TWO_CELLS, 'w.json': weightsJson((f) => (f.tensors.b.data = Buffer.from(new Float32Array([0, Number.NaN]).buffer).toString('base64'))) },
    args: ['run', 'c.yaml', '--out', 'out', '--init-from', 'w.json', '--backend', 'cpu'],
    line: /^sparse-adam: w\.json: tensors\.b: the value at \[1\] is NaN$/,
  },
  {
    what: '--init-from weights with a null field',
    files: { 'c.yaml': TWO_CELLS, 'w.json': weightsJson((f) => (f.tensors.W.shape = null)) },
    args: ['run', 'c.yaml', '--out', 'out', '--init-from', 'w.json', '--backend', 'cpu'],
    line: /^sparse-adam: w\.json: tensors\.W\.shape: expected array, got null$/,
  },
  {
    what: '--init-from weights with a wrongly typed field',
    files: { 'c.yaml': TWO_CELLS, 'w.json': weightsJson((f) => (f.tied = 'true')) },
    args: ['run', 'c.yaml', '--out', 'out', '--init-from', 'w.json', '--backend', 'cpu'],
    line: /^sparse-adam: w\.json: tied: expected boolean, got "true"$/,
  },
  {
    what: 'run: 50 images in batches of 100 (an epoch would train no step)',
    files: { 'c.yaml': 'data: { train_limit: 50 }\ntrain: { batch_size: 100 }\n' },
    args: ['run', 'c.yaml', '--out', 'out'],
    line: /^sparse-adam: c\.yaml: train\.batch_size: 100 is more than the 50 training images \(data\.train_limit 50\), so an epoch would train no step/,
  },
  {
    what: 'run: a sweep with one point of k above hidden, before any point runs',
    files: { 'c.yaml': 'model: { hidden: 100 }\ndata: { train_limit: 200, test_limit: 50 }\nsweep:\n  model.k: [10, 200]\n' },
    args: ['run', 'c.yaml', '--out', 'out', '--jobs', '1'],
    line: /^sparse-adam: c\.yaml: sweep point model\.k=200: model\.k: 200 active cells per sample, more than the 100 of model\.hidden$/,
  },
  {
    what: 'validate: a batch larger than the training split',
    files: { 'c.yaml': 'data: { train_limit: 50 }\ntrain: { batch_size: 100 }\n' },
    args: ['validate', 'c.yaml'],
    line: /^sparse-adam: c\.yaml: train\.batch_size: 100 is more than the 50 training images \(data\.train_limit 50\), so an epoch would train no step/,
  },
  {
    what: 'validate: a sweep point with k above hidden',
    files: { 'c.yaml': 'model: { hidden: 100 }\nsweep:\n  model.k: [10, 200]\n' },
    args: ['validate', 'c.yaml'],
    line: /^sparse-adam: c\.yaml: sweep point model\.k=200: model\.k: 200 active cells per sample, more than the 100 of model\.hidden$/,
  },
  {
    what: 'validate: a validation split leaving nothing to fit',
    files: { 'c.yaml': 'data: { train_limit: 10, validation_fraction: 0.95 }\ntrain: { batch_size: 5 }\n' },
    args: ['validate', 'c.yaml'],
    line: /^sparse-adam: c\.yaml: data\.validation_fraction: 0\.95 of 10 training images \(data\.train_limit 10\) holds out ceil\(0\.95 \* 10\) = 10/,
  },
];

describe('refused before anything runs or is written: exit 2, one line, nothing written', () => {
  for (const refusal of refusals) it(`refuses ${refusal.what}`, () => assertRefused(refusal));
});

describe('validate against the data in an IDX folder', () => {
  it("refuses a batch larger than the folder's training split, and accepts one that fits", () =>
    withTempDir(async (dir) => {
      const small = path.join(dir, 'small');
      fs.mkdirSync(small);
      writeFiles(small, mnistFixture(60, 10));
      const refused = await runCli(['validate', '--data-dir', small]);
      assert.equal(refused.code, 2, refused.stderr);
      assert.equal(
        refused.stderr,
        'sparse-adam: config: train.batch_size: 100 is more than the 60 training images, so an epoch would train no step (the last incomplete batch is dropped)\n',
      );
      const fits = await runCli(['validate', '--data-dir', small, '--set', 'train.batch_size=20']);
      assert.equal(fits.code, 0, fits.stderr);
      assert.equal(fits.stderr, '');
      assert.match(fits.stdout, new RegExp(`^  dir: ${small}$`, 'm'), 'the config as run would save it');
    }));

  it('without the data: prints the config and says in one line on stderr that the size checks were skipped', () =>
    withTempDir(async (dir) => {
      const result = await runCli(['validate', '--data-dir', path.join(dir, 'nowhere'), '--set', 'train.batch_size=1000000']);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(
        result.stderr,
        `sparse-adam: no MNIST in ${path.join(dir, 'nowhere')}: missing train-images-idx3-ubyte(.gz), train-labels-idx1-ubyte(.gz), t10k-images-idx3-ubyte(.gz), t10k-labels-idx1-ubyte(.gz); ` +
          "run 'sparse-adam data download' or pass --data-dir; the checks against the data's size were skipped (validate never downloads)\n",
      );
      assert.match(result.stdout, /^  batch_size: 1000000$/m);
      assert.deepEqual(fs.readdirSync(dir), [], 'nothing downloaded');
    }));

  it('still refuses what needs no data when the data is missing', async () => {
    const result = await runCli(['validate', '--data-dir', 'nowhere', '--set', 'model.hidden=10']);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stderr, 'sparse-adam: config: model.k: 25 active cells per sample, more than the 10 of model.hidden\n');
  });

  const shared = findSharedMnist();
  it('checks against ../shared/mnist (24,000 training images)', { skip: shared ? false : 'no ../shared/mnist here' }, async () => {
    const result = await runCli(['validate', '--data-dir', shared!, '--set', 'train.batch_size=30000']);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /^sparse-adam: config: train\.batch_size: 30000 is more than the 24000 training images/);
  });
});

it('a single run ignores the SLURM array variables (they are not flags)', () =>
  withTempDir(async (dir) => {
    fs.writeFileSync(path.join(dir, 'c.yaml'), TWO_CELLS);
    const slurm = { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '0' };
    const result = await runCli(['run', 'c.yaml', '--out', 'out', '--backend', 'cpu'], { cwd: dir, env: slurm });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'out', 'run.json'), 'utf8')).status, 'completed');
  }));
