import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { OptimizerConfig } from '../../src/config/schema';
import { countAdamRule } from '../../src/optim/countAdam';
import type { Gradient } from '../../src/optim/gradient';
import { lazyAdamRule } from '../../src/optim/lazyAdam';
import { lazyAdamRowstepRule } from '../../src/optim/lazyAdamRowstep';
import type { ParamState, Slots, UpdateRule } from '../../src/optim/rule';
import { assertClose, TEST_BACKENDS, useBackend, values } from '../backends';
import { optimizerConfig, rowGradient, sampledRowGradient } from './fixtures';

/*
 * A constant gradient g = [1, -2] (per sample, and so per batch): bias-corrected Adam has
 * m_hat = g and v_hat = g^2, so every step should move a row by lr sign(g), whatever its
 * history. Row 0 is touched at steps t = 1 and t = 10, row 1 first at t = 10000 (the rule
 * is called at those t only; the steps between touch neither row).
 * lazy-adam corrects with the global t (float64, python3):
 *   row 0 at t = 10: m = 0.19 g, v = 0.001999 g^2, alpha_10 = lr sqrt(1 - 0.999^10) / (1 - 0.9^10),
 *     a step of 0.65099087 lr (0.65099094 lr for the element with |g| = 2, through eps);
 *   row 1 at t = 10000: m = 0.1 g, v = 0.001 g^2, alpha ~ lr: 3.1622052 lr (3.1622057 lr).
 * lazy-adam-rowstep and count-adam correct with the row's own count: lr, to eps (within
 * 3.2e-7 relative for |g| >= 1 and c >= 1).
 */
const schedule = [
  { t: 1, row: 0, samples: 3 },
  { t: 10, row: 0, samples: 2 },
  { t: 10000, row: 1, samples: 4 },
];
const g = [1, -2];

/** Each scheduled step's move of its row (before - after), in units of lr sign(g). */
function movesOf<S extends Slots>(rule: UpdateRule<S>, lr: number, gradientOf: (row: number, samples: number) => Gradient): number[] {
  const W0 = tf.zeros([3, 2]);
  let state: ParamState<S> = { param: W0, slots: rule.initSlots(W0) };
  return schedule.flatMap(({ t, row, samples }) => {
    const next = tf.tidy(() => rule.apply(state, gradientOf(row, samples), t));
    const [before, after] = [state.param, next.param].map((W) => tf.tidy(() => values(tf.gather(W, [row]))));
    state = next;
    return g.map((gd, d) => (before![d]! - after![d]!) / (lr * Math.sign(gd)));
  });
}

const batchGradient = (row: number) => rowGradient([row], [g]);
const perSampleGradients = (row: number, samples: number) => sampledRowGradient([row], [Array(samples).fill(g)], [2]);

for (const backend of TEST_BACKENDS) {
  test(`constant gradient: lazy-adam-rowstep and count-adam step lr on a rarely touched row, lazy-adam 0.651x and 3.162x (${backend})`, async () => {
    await useBackend(backend);
    const hp = (name: OptimizerConfig['name']) => optimizerConfig(name, { lr: 0.01 });
    assertClose(movesOf(lazyAdamRowstepRule(hp('lazy-adam-rowstep')), 0.01, batchGradient), Array(6).fill(1), 1e-6, 'lazy-adam-rowstep');
    assertClose(movesOf(countAdamRule(hp('count-adam')), 0.01, perSampleGradients), Array(6).fill(1), 1e-6, 'count-adam');
    const lazy = [1, 1, 0.65099087, 0.65099094, 3.1622052, 3.1622057];
    assertClose(movesOf(lazyAdamRule(hp('lazy-adam')), 0.01, batchGradient), lazy, 1e-5, 'lazy-adam');
  });
}
