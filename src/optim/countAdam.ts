/**
 * `count-adam` (issue "Adam variants that count updates"): each sample that activated
 * cell j in the batch is one observation of row j. S_j holds the n_j samples whose
 * training mask has cell j, G_ij is sample i's own gradient of row j (its loss alone, not
 * divided by B); the gradient's SampleStatistics carry n_j and the sums over S_j of G_ij
 * and G_ij^2 (src/model/sampleStatistics.ts):
 *   m_j <- b1^n_j m_j + (1 - b1^n_j) mean_{i in S_j} G_ij
 *   v_j <- b2^n_j v_j + (1 - b2^n_j) mean_{i in S_j} G_ij^2
 *   c_j <- c_j + n_j;  W_j <- W_j - alpha(c_j) m_j / (sqrt(v_j) + eps_hat)   (countedMoments.ts)
 * Rows with n_j = 0 and rows outside the indices keep W, m, v and c bit-identical.
 * Indices must be distinct: the model never repeats one, and per-sample statistics of a
 * repeated row could not be merged without knowing which samples the two entries share.
 * A dense 1-D gradient (the decoder bias c; b in `mask` mode) is one observation of every
 * element, the dense Adam update (SPEC.md §4: dense parameters take the dense update). A
 * dense matrix is refused: W and W_dec always arrive with statistics (src/model/modes.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { gatherRows } from '../backend/ops';
import { assert } from '../errors';
import type { AdamHyper } from './adam';
import { observeRows, oneObservation, zeroCountedMoments, type CountedMoments } from './countedMoments';
import type { SampleStatistics } from './gradient';
import { assertDistinctRows, rowCount, updateRows, type RowGradient } from './rows';
import type { UpdateRule } from './rule';

/** The rows of a row-sparse gradient that at least one sample touched (n_j > 0), with their statistics. */
function observedRows(grad: RowGradient, rows: number): { indices: tf.Tensor1D; observed: SampleStatistics } {
  const samples = grad.samples;
  assert(samples !== undefined, () => 'count-adam got a row-sparse gradient without per-sample statistics');
  assertDistinctRows(grad.indices, rows);
  const counts = samples.counts.dataSync(); // [n]
  const kept = Int32Array.from(counts.keys()).filter((i) => counts[i]! > 0);
  if (kept.length === counts.length) return { indices: grad.indices, observed: samples };
  const keep = tf.tensor1d(kept, 'int32');
  return {
    indices: gatherRows(grad.indices, keep) as tf.Tensor1D,
    observed: {
      counts: gatherRows(samples.counts, keep) as tf.Tensor1D,
      sum: gatherRows(samples.sum, keep),
      sumSquares: gatherRows(samples.sumSquares, keep),
    },
  };
}

export function countAdamRule(hp: AdamHyper): UpdateRule<CountedMoments> {
  return {
    initSlots: zeroCountedMoments,
    apply(state, grad) {
      if (grad.kind === 'dense') {
        assert(state.param.rank === 1, () => `count-adam got a dense gradient [${state.param.shape}] without per-sample statistics`);
        return observeRows(state, oneObservation(grad.value), hp);
      }
      const { indices, observed } = observedRows(grad, rowCount(state.param));
      return updateRows(state, indices, (rows) => observeRows(rows, observed, hp));
    },
  };
}
