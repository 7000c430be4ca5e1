/**
 * count-adam where the encoder and decoder terms of a tied W's per-sample gradients
 * nearly cancel (issue "count-adam is exact"): H 20, k 3, B 10, W ~ normal(0, 0.1) on
 * uniform pixels, trained 20 steps at lr 1e-3 in `gather` and `gather-remask`. With
 * G_ij = B (dPre_ij x_i + h_ij dyPre_i) computed from the float32 signals the model passes
 * to its statistics (the sparse passes in `gather-remask`, the dense passes on A in
 * `gather`), the sums of G^2 must equal their float64 brute force to 1e-6 relative, element
 * by element, however small they are; v stays >= 0 and the weights finite. The expanded
 * square (M a)^2' x^2 + 2 (M a h)' (x e) + (M h)^2' e^2 gets these elements wrong by far
 * more and some of them negative.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { gatherColumns, gatherElements, gatherRows } from '../../src/backend/ops';
import { configSchema, type Config } from '../../src/config/schema';
import { createRng } from '../../src/data/random';
import { encoderActivation } from '../../src/model/activations';
import { backward, encoderPre, forward } from '../../src/model/autoencoder';
import { gatheredCells, trainingEntries } from '../../src/model/maskEntries';
import { lossAndGradients } from '../../src/model/modes';
import type { ParamName, Params } from '../../src/model/params';
import { sparseBackward, sparseForward } from '../../src/model/sparseAutoencoder';
import { countAdamRule } from '../../src/optim/countAdam';
import type { CountedMoments } from '../../src/optim/countedMoments';
import type { Gradient } from '../../src/optim/gradient';
import type { ParamState } from '../../src/optim/rule';
import { assertClose, TEST_BACKENDS, useBackend, values } from '../backends';

const [H, K, B, D, STEPS] = [20, 3, 10, 784, 20];

/** The entries' samples and slots, and the signals at them, as the model computes them (float32). */
function modelSignals(params: Params, x: tf.Tensor2D, config: Config) {
  return tf.tidy(() => {
    const model = config.model;
    const pre = encoderPre(x, params.W, params.b);
    const entries = trainingEntries(encoderActivation(pre, model.encoder_activation), model);
    const gathered = gatheredCells(entries, H);
    let at: { dPre: tf.Tensor; h: tf.Tensor; dyPre: tf.Tensor };
    if (config.train.mode === 'gather') {
      const onA: Params = { W: gatherRows(params.W, gathered.A) as tf.Tensor2D, b: gatherRows(params.b, gathered.A) as tf.Tensor1D, c: params.c, W_dec: null };
      const fwd = forward(onA, x, model, () => null, gatherColumns(pre, gathered.A));
      const { signals } = backward(onA, x, fwd, model);
      const atEntries = (m: tf.Tensor2D) => tf.mul(gatherElements(m, entries.samples, gathered.slots), entries.keep);
      at = { dPre: atEntries(signals.dPre), h: atEntries(fwd.h), dyPre: signals.dyPre };
    } else {
      const fwd = sparseForward(params, x, pre, entries, model);
      const back = sparseBackward(params, x, entries, fwd, model);
      at = { dPre: back.dPre, h: fwd.h, dyPre: back.dyPre };
    }
    return { samples: values(entries.samples), slots: values(gathered.slots), dPre: values(at.dPre), h: values(at.h), dyPre: values(at.dyPre), A: gathered.size };
  });
}

/** float64 sums of G^2 by slot, and the smallest |G| / (|encoder term| + |decoder term|) of any entry's element. */
function bruteForce(x: number[], s: ReturnType<typeof modelSignals>): { sumSquares: number[]; cancellation: number } {
  const sumSquares = new Array<number>(s.A * D).fill(0);
  let cancellation = Infinity;
  s.samples.forEach((i, e) => {
    for (let d = 0; d < D; d++) {
      const [encoder, decoder] = [B * s.dPre[e]! * x[i * D + d]!, B * s.h[e]! * s.dyPre[i * D + d]!];
      const g = encoder + decoder;
      sumSquares[s.slots[e]! * D + d]! += g * g;
      if (encoder !== 0 && decoder !== 0) cancellation = Math.min(cancellation, Math.abs(g) / (Math.abs(encoder) + Math.abs(decoder)));
    }
  });
  return { sumSquares, cancellation };
}

for (const backend of TEST_BACKENDS) {
  for (const mode of ['gather', 'gather-remask'] as const) {
    test(`count-adam, terms that nearly cancel: sums of G^2 = float64 brute force, v >= 0, no NaN (${mode}, H 20, k 3, B 10, ${backend})`, async () => {
      await useBackend(backend);
      const config = configSchema.parse({ model: { hidden: H, k: K }, train: { mode, batch_size: B }, optimizer: { name: 'count-adam', lr: 1e-3 } });
      const rng = createRng(3);
      const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
      const params: Params = { W: tf.tensor2d(Float32Array.from({ length: H * D }, () => 0.1 * normal()), [H, D]), b: tf.zeros([H]), c: tf.zeros([D]), W_dec: null };
      const rule = countAdamRule(config.optimizer);
      const states = new Map<ParamName, ParamState<CountedMoments>>();
      let cancellation = Infinity;
      for (let t = 1; t <= STEPS; t++) {
        const pixels = Array.from({ length: B * D }, () => rng());
        const x = tf.tensor2d(pixels, [B, D]);
        const want = bruteForce(Array.from(Float32Array.from(pixels)), modelSignals(params, x, config));
        cancellation = Math.min(cancellation, want.cancellation);
        const { grads } = tf.tidy(() => lossAndGradients(params, x, config));
        const W = grads.W as Extract<Gradient, { kind: 'rows' }>;
        assertClose(values(W.samples!.sumSquares), want.sumSquares, 1e-6, `step ${t}: sums of G^2`);
        for (const [name, grad] of Object.entries(grads) as [ParamName, Gradient][]) {
          const state = states.get(name) ?? { param: params[name]!, slots: rule.initSlots(params[name]!) };
          const next = tf.tidy(() => rule.apply(state, grad, t));
          states.set(name, next);
          (params as unknown as Record<ParamName, tf.Tensor>)[name] = next.param;
        }
        const v = values(states.get('W')!.slots.v);
        assert.ok(v.every((x) => x >= 0), `step ${t}: v of W >= 0 (smallest ${Math.min(...v)})`);
        assert.ok(values(params.W).every(Number.isFinite), `step ${t}: W finite`);
      }
      assert.ok(cancellation < 1e-4, `the terms cancel to ${cancellation} at best: not the case this test is for`);
    });
  }
}
