/**
 * A worker's step reports, thinned: each one wakes the parent process, which shares the
 * cores with the workers, and the parent's bars redraw no faster than a few times a second.
 */
import type { StepReport } from '../train/epoch';

type OnStep = (epoch: number, report: StepReport) => void;

/** Passes on a report when `intervalMs` have passed since the last one passed on, and every epoch's last step. */
export function throttleSteps(onStep: OnStep, intervalMs: number, now: () => number = () => performance.now()): OnStep {
  let last = -Infinity;
  return (epoch, report) => {
    const time = now();
    if (report.step < report.steps && time - last < intervalMs) return;
    last = time;
    onStep(epoch, report);
  };
}
