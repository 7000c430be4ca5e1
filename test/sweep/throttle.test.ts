import assert from 'node:assert/strict';
import { test } from 'node:test';
import { throttleSteps } from '../../src/sweep/throttle';
import type { StepReport } from '../../src/train/epoch';

function report(step: number, steps: number): StepReport {
  return { step, steps, loss: 0.5, train_loss: 0.5, samples_per_second: 1000 };
}

test('throttleSteps passes on the first report, then one per interval, and every epoch\'s last step', () => {
  let clock = 0;
  const passed: string[] = [];
  const onStep = throttleSteps((epoch, r) => passed.push(`${epoch}:${r.step}`), 100, () => clock);
  const at: [number, number, number][] = [
    // [time ms, epoch, step] of 5 steps per epoch
    [0, 1, 1], [40, 1, 2], [99, 1, 3], [100, 1, 4], [130, 1, 5],
    [150, 2, 1], [235, 2, 2], [240, 2, 3], [300, 2, 4], [310, 2, 5],
  ];
  for (const [time, epoch, step] of at) {
    clock = time;
    onStep(epoch, report(step, 5));
  }
  assert.deepEqual(passed, ['1:1', '1:4', '1:5', '2:2', '2:5']);
});
