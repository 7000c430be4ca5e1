/**
 * A sweep worker process: runs the jobs its parent sends, one at a time, and reports
 * progress back over IPC. Started by pool.ts with child_process.fork.
 */
import { abortOnSignals } from '../cli/signals';
import { UserError } from '../errors';
import type { ExperimentEvents } from '../train/experiment';
import { createContextLoader } from './context';
import { executeRun } from './execute';
import type { FromWorker, ToWorker } from './messages';
import { throttleSteps } from './throttle';
import { failedRun } from './sequential';

function send(message: FromWorker): void {
  process.send?.(message);
}

/** Milliseconds between step reports to the parent (src/sweep/throttle.ts). */
const STEP_REPORT_MS = 100;

function stopped(error: unknown): FromWorker {
  const exitCode = error instanceof UserError ? error.exitCode : 1;
  return { type: 'stopped', message: error instanceof Error ? error.message : String(error), exitCode };
}

function serve(signal: AbortSignal): Promise<void> {
  const contextFor = createContextLoader({
    onBackend: (info) => send({ type: 'backend', info }),
    onDataset: (dataset) => send({ type: 'dataset', description: dataset.description }),
  });
  return new Promise((resolve) => {
    process.on('disconnect', resolve); // the parent has no more work
    process.on('message', (message: ToWorker) => {
      const { job } = message;
      const events: ExperimentEvents = {
        onStep: throttleSteps((epoch, report) => send({ type: 'step', epoch, report }), STEP_REPORT_MS),
        onEpochEnd: (row) => send({ type: 'epochEnd', row }),
      };
      contextFor(job.config, signal)
        .then((context) => executeRun(job, context, events, signal))
        .catch((error: unknown) => failedRun(job, error, signal))
        .then((outcome) => send({ type: 'runEnd', outcome }))
        .catch((error: unknown) => {
          send(stopped(error));
          process.disconnect(); // nothing more can run here; the parent stops the sweep
        });
    });
  });
}

abortOnSignals(serve).catch((error: unknown) => send(stopped(error)));
