import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFields } from '../../src/cli/progress';
import type { MetricsRow } from '../../src/results/metrics';

const cases: { what: string; row: Partial<MetricsRow>; line: string }[] = [
  { what: 'numbers in column order', row: { test_accuracy: 0.97123, train_loss: 0.012345, epoch: 3 }, line: 'train_loss 0.01235 test_accuracy 0.9712' },
  { what: 'a diverged loss', row: { train_loss: Number.POSITIVE_INFINITY }, line: 'train_loss Infinity' },
  { what: 'null from run.json (a NaN loss) is left out', row: { train_loss: null as unknown as number, test_mse: 0.5 }, line: 'test_mse 0.5000' },
];

for (const c of cases) {
  test(`formatFields: ${c.what}`, () => {
    assert.equal(formatFields(c.row, ['train_loss', 'test_mse', 'test_accuracy']), c.line);
  });
}
