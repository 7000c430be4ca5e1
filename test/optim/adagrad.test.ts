import { test } from 'node:test';
import { adagradRule } from '../../src/optim/adagrad';
import { TEST_BACKENDS, useBackend } from '../backends';
import { assertTwoSteps, optimizerConfig, runBaselineDense, runBaselineRows } from './fixtures';

const hp = optimizerConfig('adagrad'); // lr 0.1, initial_accumulator 0.1

for (const backend of TEST_BACKENDS) {
  test(`adagrad, dense: two steps by hand (${backend})`, async () => {
    await useBackend(backend);
    // a_1 = 0.1 + g_1^2, W_1 = W0 - 0.1 g_1 / sqrt(a_1); e.g. W_00 = 1 - 0.05 / sqrt(0.35) = 0.9154846.
    // a_2 = a_1 + g_2^2, W_2 = W_1 - 0.1 g_2 / sqrt(a_2); a zero gradient (W_10 at step 1) changes nothing.
    assertTwoSteps(runBaselineDense(adagradRule(hp)), {
      W: [
        [0.915484575, -1.90465374, 0.5, 2.90122704, -1.09534626, 0.219848866],
        [0.947510205, -1.94028857, 0.404653741, 2.8569463, -1.09534626, 0.3192433],
      ],
      accum: [[0.35, 1.1, 0.1, 4.1, 1.1, 0.11], [0.39, 1.26, 1.1, 5.1, 1.1, 9.11]],
    });
  });

  test(`adagrad, row-sparse: touched rows only, duplicates summed (${backend})`, async () => {
    await useBackend(backend);
    // Step 1, indices [2, 0, 2]: g_2 = [1.5, -0.9] (summed, THEN squared: a_2 = 0.1 + [2.25, 0.81]),
    //   g_0 = [0, 2]: W_0 = [1, -2 - 0.2 / sqrt(4.1)] = [1, -2.098773], W_2 = [-1.0978492, 0.3443456].
    // Step 2, index [0]: a_0 = [0.1, 4.1] + [0.04, 0.16], W_0 = [1 + 0.02 / sqrt(0.14), -2.098773 - 0.04 / sqrt(4.26)].
    assertTwoSteps(runBaselineRows(adagradRule(hp)), {
      W: [
        [1, -2.09877296, 0.5, 3, -1.09784921, 0.344345635],
        [1.05345225, -2.11815302, 0.5, 3, -1.09784921, 0.344345635],
      ],
      accum: [[0.1, 4.1, 0.1, 0.1, 2.35, 0.91], [0.14, 4.26, 0.1, 0.1, 2.35, 0.91]],
    });
  });
}
