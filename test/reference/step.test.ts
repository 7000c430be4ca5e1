/**
 * Training agrees with the float64 reference (reference.ts, written from SPEC.md): every
 * mode x optimizer and the cases of cases.ts, from known starting weights over 2 epochs of
 * 3 batches in order, on cpu and wasm, in process (createOptimizer + trainEpoch) and through
 * the CLI (`run --init-from` on an IDX folder, weights.json read back).
 *
 * "Relative" is per tensor: the largest |ours - reference| over the largest |reference|.
 * Element by element it cannot be: Adam moves every element by about lr whatever its
 * gradient, so an element whose gradient is a near-cancelling sum (float32 gets it to a few
 * per cent) still lands within lr of where it should, which is far from it relative to an
 * element that starts near zero. The displacement W - W0 is checked too, to 1e-3 of its
 * largest element: at these learning rates W moves by a few per cent of its size, and a
 * wrong step would show there long before it shows in W.
 * Every case's batches are checked for near-ties first (reference.ts: margin), so that the
 * comparison is about the maths, not about a top k that float32 breaks the other way.
 * Each in-process run also leaves the tensor count as it found it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { runCli } from '../cli/cli';
import { TEST_BACKENDS, useBackend } from '../backends';
import { IMAGES_MAGIC, LABELS_MAGIC, gzip, makeIdx } from '../data/fixtures';
import { HIDDEN, IMAGES, PIXELS, imageBytes, referenceCases, splitOf, startingWeights, trainWithProduct, type ReferenceCase } from './cases';
import { toFloat64, trainReference, type ReferenceRun } from './reference';

const TOLERANCE = 1e-5;
const DISPLACEMENT_TOLERANCE = 1e-3;
/** A mask choice or relu kink this close is one float32 could take the other way (pre is O(1) here). */
const MIN_MARGIN = 1e-4;

const DATA_SEED = 1;
const WEIGHTS_SEED = 2;
const bytes = imageBytes(IMAGES, DATA_SEED);
const split = splitOf(bytes);

type Weights = ReturnType<typeof startingWeights>;
type Named = Record<'W' | 'b' | 'c' | 'W_dec', ArrayLike<number> | null>;

/** Largest |a - e| over largest |e|. */
function normwise(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let [error, scale] = [0, 0];
  for (let k = 0; k < expected.length; k++) {
    error = Math.max(error, Math.abs(actual[k]! - expected[k]!));
    scale = Math.max(scale, Math.abs(expected[k]!));
  }
  return error / scale;
}

/** Per parameter: the relative error of the final values and of their displacement from the start. */
function compare(ours: Named, reference: ReferenceRun, start: Weights): { worst: number; lines: string[] } {
  let worst = 0;
  const lines: string[] = [];
  for (const name of ['W', 'b', 'c', 'W_dec'] as const) {
    const want = reference.params[name];
    const got = ours[name];
    const from = start[name];
    if (want === null || from === null) continue;
    assert.ok(got, `${name}: missing`);
    assert.equal(got.length, want.length, `${name}: length`);
    const error = normwise(got, want);
    const moved = normwise(Float64Array.from(got, (x, k) => x - from[k]!), want.map((x, k) => x - from[k]!));
    worst = Math.max(worst, error);
    lines.push(`${name} ${error.toExponential(1)} (moved ${moved.toExponential(1)})`);
    assert.ok(error <= TOLERANCE, `${name}: relative error ${error} > ${TOLERANCE}`);
    assert.ok(moved <= DISPLACEMENT_TOLERANCE, `${name} - ${name}0: relative error ${moved} > ${DISPLACEMENT_TOLERANCE}`);
  }
  return { worst, lines };
}

const references = new Map<string, ReferenceRun>();

/** The reference run of a case (computed once, shared by the backends), after checking its margin. */
function referenceOf(c: ReferenceCase): ReferenceRun {
  let run = references.get(c.name);
  if (!run) {
    run = trainReference(toFloat64(startingWeights(c.config.model.tied, WEIGHTS_SEED)), split.images, PIXELS, c.config);
    references.set(c.name, run);
  }
  assert.ok(run.margin > MIN_MARGIN, `${c.name}: a near-tie (margin ${run.margin}): choose other data`);
  assert.ok(run.losses.every(Number.isFinite), `${c.name}: the reference diverged`);
  return run;
}

const cases = referenceCases();

test('the reference cases: every mode x optimizer and 12 more, each name once', () => {
  assert.equal(cases.length, 33);
  assert.equal(new Set(cases.map((c) => c.name)).size, 33);
  assert.equal(new Set(cases.map((c) => `${c.config.train.mode} ${c.config.optimizer.name}`)).size, 21);
});

for (const backend of TEST_BACKENDS) {
  for (const c of cases) {
    test(`training = float64 reference: ${c.name} (${backend})`, async (t) => {
      const reference = referenceOf(c);
      await useBackend(backend);
      const start = startingWeights(c.config.model.tied, WEIGHTS_SEED);
      const tensors = tf.memory().numTensors;
      const ours = await trainWithProduct(c.config, start, split);
      assert.equal(tf.memory().numTensors, tensors, 'the run disposed every tensor it made');
      assert.equal(ours.diverged, false, 'diverged');
      const { worst, lines } = compare(ours, reference, start);
      t.diagnostic(`worst relative error ${worst.toExponential(1)}: ${lines.join(', ')}; ${reference.steps} steps, margin ${reference.margin.toExponential(1)}`);
    });
  }
}

/** An MNIST folder of the reference's images (and a few test images), and a weights.json of the start. */
function writeRunInputs(dir: string, start: Weights): { dataDir: string; init: string } {
  const dataDir = path.join(dir, 'mnist');
  const labels = (n: number) => makeIdx(LABELS_MAGIC, [n], Uint8Array.from({ length: n }, (_, i) => i % 10));
  const files: [string, Uint8Array][] = [
    ['train-images-idx3-ubyte.gz', makeIdx(IMAGES_MAGIC, [IMAGES, 28, 28], bytes)],
    ['train-labels-idx1-ubyte.gz', labels(IMAGES)],
    ['t10k-images-idx3-ubyte.gz', makeIdx(IMAGES_MAGIC, [10, 28, 28], imageBytes(10, DATA_SEED + 1))],
    ['t10k-labels-idx1-ubyte.gz', labels(10)],
  ];
  mkdirSync(dataDir);
  for (const [name, content] of files) writeFileSync(path.join(dataDir, name), gzip(content));
  const tensor = (values: Float32Array, shape: number[]) => ({ shape, data: Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64') });
  const tensors: Record<string, object> = { W: tensor(start.W, [HIDDEN, PIXELS]), b: tensor(start.b, [HIDDEN]), c: tensor(start.c, [PIXELS]) };
  if (start.W_dec) tensors.W_dec = tensor(start.W_dec, [HIDDEN, PIXELS]);
  const init = path.join(dir, 'init.json');
  writeFileSync(init, JSON.stringify({ format: 'sparse-adam-weights', version: 1, hidden: HIDDEN, inputs: PIXELS, tied: start.W_dec === null, tensors }));
  return { dataDir, init };
}

function readWeights(file: string): Named {
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { tensors: Record<string, { data: string }> };
  const decode = (name: string) => {
    const tensor = stored.tensors[name];
    if (!tensor) return null;
    const raw = Buffer.from(tensor.data, 'base64');
    return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  };
  return { W: decode('W'), b: decode('b'), c: decode('c'), W_dec: decode('W_dec') };
}

/** Config flags for a case: everything that differs from the defaults. */
function flagsOf(c: ReferenceCase): string[] {
  const { model, train, optimizer } = c.config;
  const sets = {
    'model.hidden': model.hidden, 'model.k': model.k, 'model.tied': model.tied, 'model.lifetime_sparsity': model.lifetime_sparsity,
    'model.lifetime_rate': model.lifetime_rate, 'model.encoder_activation': model.encoder_activation, 'model.decoder_activation': model.decoder_activation,
    'train.mode': train.mode, 'train.batch_size': train.batch_size, 'train.epochs': train.epochs, 'train.shuffle': train.shuffle,
    'optimizer.name': optimizer.name, 'optimizer.lr': optimizer.lr, 'optimizer.beta1': optimizer.beta1, 'optimizer.beta2': optimizer.beta2,
    'optimizer.epsilon': optimizer.epsilon, 'optimizer.momentum': optimizer.momentum, 'optimizer.initial_accumulator': optimizer.initial_accumulator,
  };
  return Object.entries(sets).flatMap(([key, value]) => ['--set', `${key}=${value}`]);
}

const CLI_CASES: [string, 'cpu' | 'wasm'][] = [
  ['gather count-adam', 'wasm'],
  ['mask adam (untied)', 'cpu'],
];

for (const [name, backend] of CLI_CASES) {
  test(`the CLI's final weights = float64 reference: ${name} (run --init-from, ${backend})`, async (t) => {
    const c = cases.find((x) => x.name === name)!;
    const reference = referenceOf(c);
    const start = startingWeights(c.config.model.tied, WEIGHTS_SEED);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sparse-adam-reference-'));
    try {
      const { dataDir, init } = writeRunInputs(dir, start);
      const out = path.join(dir, 'out');
      const result = await runCli(['run', '--backend', backend, '--data-dir', dataDir, '--init-from', init, '--out', out, ...flagsOf(c)]);
      assert.equal(result.code, 0, result.stderr);
      const { worst, lines } = compare(readWeights(path.join(out, 'weights.json')), reference, start);
      t.diagnostic(`worst relative error ${worst.toExponential(1)}: ${lines.join(', ')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
