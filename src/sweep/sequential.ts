/** A sweep's runs one after another in this process, sharing one backend and dataset cache. */
import { readRunRecord } from '../results/runFolder';
import { createContextLoader, type DataLoader } from './context';
import type { RunLabel, SweepDisplay } from './display';
import { executeRun, type RunOutcome } from './execute';
import type { SweepJob } from './run';

export function runLabel(job: SweepJob, number: number, total: number): RunLabel {
  return { id: job.id, values: job.values, epochs: job.config.train.epochs, number, total };
}

/**
 * A run that failed on its own (its run.json says `failed`) ends that run, and the sweep
 * goes on; an interruption, or a failure before the run started, ends the sweep.
 */
export function failedRun(job: SweepJob, error: unknown, signal: AbortSignal): RunOutcome {
  const record = readRunRecord(job.dir);
  if (signal.aborted || record?.status !== 'failed' || record.id !== job.id) throw error;
  return { kind: 'ran', record };
}

export async function runInProcess(
  jobs: readonly SweepJob[],
  data: DataLoader,
  display: SweepDisplay,
  onRunEnd: (outcome: RunOutcome) => void,
  signal: AbortSignal,
): Promise<void> {
  const contextFor = createContextLoader({ onBackend: display.backend }, data);
  for (const [n, job] of jobs.entries()) {
    const context = await contextFor(job.config, signal);
    display.runStart(0, runLabel(job, n + 1, jobs.length));
    const outcome = await executeRun(
      job,
      context,
      { onStep: (epoch, report) => display.step(0, epoch, report), onEpochEnd: (row) => display.epochEnd(0, row) },
      signal,
    ).catch((error: unknown) => failedRun(job, error, signal));
    display.runEnd(0, outcome);
    onRunEnd(outcome);
  }
}
