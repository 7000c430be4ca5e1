import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { Config } from '../../src/config/schema';
import { encoderActivation } from '../../src/model/activations';
import { encoderPre, forward } from '../../src/model/autoencoder';
import { lossAndGradients } from '../../src/model/modes';
import type { Params } from '../../src/model/params';
import type { SampleStatistics } from '../../src/optim/gradient';
import { assertClose, TEST_BACKENDS, useBackend, values } from '../backends';
import { maskedCells, trainingMask } from './denseMask';
import { BATCH, tinyBatch, tinyConfig, tinyParams } from './tiny';

type Mode = Config['train']['mode'];
type RowName = 'W' | 'b' | 'W_dec';
type Plain = { counts: number[]; sum: number[]; sumSquares: number[] };

function countAdamConfig(mode: Mode, model: Partial<Config['model']>): Config {
  const config = tinyConfig(model);
  return { ...config, train: { ...config.train, mode }, optimizer: { ...config.optimizer, name: 'count-adam' } };
}

/** The gathered cells A (ascending), the parameters' rows on A, and the training mask on A as JS rows. */
function gatheredModel(params: Params, x: tf.Tensor2D, model: Config['model']) {
  const pre = encoderPre(x, params.W, params.b);
  const mask = trainingMask(encoderActivation(pre, model.encoder_activation), model);
  const cells = maskedCells(mask);
  const onA = (p: tf.Tensor) => tf.gather(p, cells);
  const gathered = { W: onA(params.W), b: onA(params.b), W_dec: params.W_dec && onA(params.W_dec) };
  const maskRows = tf.gather(mask, cells, 1).arraySync() as number[][]; // [B][|A|]
  return { cells, gathered, maskRows };
}

/**
 * Brute force: each sample's own gradient G_ij by autograd of its loss alone (a batch of
 * one, its own mask on A in `mask` and `gather-remask`, all of A in `gather`), summed in
 * plain JS over the samples whose training mask holds cell j.
 */
function bruteForce(params: Params, x: tf.Tensor2D, config: Config): { cells: number[]; stats: Partial<Record<RowName, Plain>> } {
  const { cells, gathered, maskRows } = gatheredModel(params, x, config.model);
  const names: RowName[] = gathered.W_dec ? ['W', 'b', 'W_dec'] : ['W', 'b'];
  const stats = Object.fromEntries(names.map((name) => [name, { counts: [], sum: [], sumSquares: [] } as Plain]));
  maskRows.forEach((maskRow, i) => {
    const xi = x.slice([i, 0], [1, -1]) as tf.Tensor2D;
    const keep = config.train.mode === 'gather' ? null : (tf.tensor2d([maskRow]) as tf.Tensor2D);
    const lossOf = (W: tf.Tensor, b: tf.Tensor, W_dec?: tf.Tensor) => {
      const own = { W, b, c: params.c, W_dec: W_dec ?? null } as Params;
      return forward(own, xi, config.model, () => keep).loss;
    };
    const grads = tf.grads(lossOf)(names.map((name) => gathered[name]!));
    names.forEach((name, p) => {
      const G = grads[p]!.arraySync() as number[][] | number[]; // [|A|, D] or [|A|]
      const s = stats[name]!;
      cells.forEach((_, j) => {
        const row = ([] as number[]).concat(G[j]!);
        const used = maskRow[j]!;
        s.counts[j] = (s.counts[j] ?? 0) + used;
        row.forEach((gd, d) => {
          const at = j * row.length + d;
          s.sum[at] = (s.sum[at] ?? 0) + used * gd;
          s.sumSquares[at] = (s.sumSquares[at] ?? 0) + used * gd * gd;
        });
      });
    });
  });
  return { cells, stats };
}

function assertStatistics(actual: SampleStatistics | undefined, expected: Plain, what: string): void {
  assert.ok(actual, `${what}: statistics`);
  assert.deepEqual(values(actual.counts), expected.counts, `${what}: counts`);
  assertClose(values(actual.sum), expected.sum, 1e-5, `${what}: sum`);
  assertClose(values(actual.sumSquares), expected.sumSquares, 1e-5, `${what}: sum of squares`);
}

const variants: { what: string; tied: boolean; model: Partial<Config['model']> }[] = [
  { what: 'tied', tied: true, model: {} },
  { what: 'untied', tied: false, model: { tied: false } },
  { what: 'tied, relu encoder, sigmoid decoder', tied: true, model: { encoder_activation: 'relu', decoder_activation: 'sigmoid' } },
  { what: 'untied, lifetime sparsity', tied: false, model: { tied: false, lifetime_sparsity: true } },
];
const modes: Mode[] = ['gather', 'gather-remask', 'mask'];

for (const backend of TEST_BACKENDS) {
  for (const mode of modes) {
    for (const v of variants) {
      test(`${mode}: per-sample statistics equal the brute-force sums over each cell's samples (${v.what}, ${backend})`, async () => {
        await useBackend(backend);
        const config = countAdamConfig(mode, v.model);
        const params = tinyParams(v.tied);
        const x = tinyBatch();
        const want = bruteForce(params, x, config);
        const { grads } = tf.tidy(() => lossAndGradients(params, x, config));
        // In `mask` mode the biases stay dense (no statistics); W, W_dec come row-sparse on A.
        const names: RowName[] = [...(mode === 'mask' ? [] : (['b'] as const)), 'W', ...(v.tied ? [] : (['W_dec'] as const))];
        for (const name of names) {
          const grad = grads[name];
          assert.ok(grad?.kind === 'rows', `${name} row-sparse`);
          assert.deepEqual(values(grad.indices), want.cells, `${name}: indices = A`);
          assertStatistics(grad.samples, want.stats[name]!, name);
        }
        if (mode === 'mask') assert.equal(grads.b?.kind, 'dense');
        const total = want.stats.W!.counts.reduce((a, b) => a + b, 0);
        assert.ok(total >= BATCH * config.model.k, `every sample counts for its k cells: ${total}`);
      });
    }
  }

  test(`only count-adam gets per-sample statistics (${backend})`, async () => {
    await useBackend(backend);
    const config = countAdamConfig('gather-remask', {});
    for (const name of ['lazy-adam', 'lazy-adam-rowstep', 'adam'] as const) {
      const other = { ...config, optimizer: { ...config.optimizer, name } };
      const { grads } = tf.tidy(() => lossAndGradients(tinyParams(true), tinyBatch(), other));
      assert.ok(grads.W?.kind === 'rows' && grads.W.samples === undefined, `${name}: W without statistics`);
    }
  });
}
