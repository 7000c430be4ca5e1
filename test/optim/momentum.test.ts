import { test } from 'node:test';
import { momentumRule } from '../../src/optim/momentum';
import { TEST_BACKENDS, useBackend } from '../backends';
import { assertTwoSteps, optimizerConfig, runBaselineDense, runBaselineRows } from './fixtures';

const hp = optimizerConfig('sgd'); // lr 0.1, momentum 0.9

for (const backend of TEST_BACKENDS) {
  test(`sgd momentum, dense: two steps by hand (${backend})`, async () => {
    await useBackend(backend);
    // accum_1 = g_1, W_1 = W0 - 0.1 g_1; accum_2 = 0.9 g_1 + g_2, W_2 = W_1 - 0.1 accum_2.
    assertTwoSteps(runBaselineDense(momentumRule(hp)), {
      W: [[0.95, -1.9, 0.5, 2.8, -1.1, 0.24], [0.925, -1.85, 0.4, 2.52, -1.19, 0.531]],
      accum: [[0.5, -1, 0, 2, 1, 0.1], [0.25, -0.5, 1, 2.8, 0.9, -2.91]],
    });
  });

  test(`sgd momentum, row-sparse: touched rows only, duplicates summed (${backend})`, async () => {
    await useBackend(backend);
    // Step 1, indices [2, 0, 2]: g_2 = [0.5, -1] + [1, 0.1] = [1.5, -0.9], g_0 = [0, 2];
    //   accum_j = g_j, W_j -= 0.1 g_j: W_0 = [1, -2.2], W_2 = [-1.15, 0.34].
    // Step 2, index [0]: accum_0 = 0.9 [0, 2] + [-0.2, 0.4] = [-0.2, 2.2], W_0 = [1.02, -2.42];
    //   row 2 keeps its accum and does not move (dense momentum would move it by 0.09 accum_2).
    assertTwoSteps(runBaselineRows(momentumRule(hp)), {
      W: [[1, -2.2, 0.5, 3, -1.15, 0.34], [1.02, -2.42, 0.5, 3, -1.15, 0.34]],
      accum: [[0, 2, 0, 0, 1.5, -0.9], [-0.2, 2.2, 0, 0, 1.5, -0.9]],
    });
  });
}
