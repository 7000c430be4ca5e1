/**
 * A sweep worker process: runs the jobs its parent sends, one at a time, and reports
 * progress back over IPC. Started by pool.ts with child_process.fork.
 * When the parent goes away without a word (killed: the IPC channel disconnects, or a
 * message cannot be sent), the run under way is stopped as on SIGTERM, recorded
 * `interrupted`, and the worker exits: it never crashes on the closed channel, nor
 * leaves its run `running`.
 */
import { abortOnSignals } from '../cli/signals';
import { surviveClosedStreams } from '../cli/streams';
import { asUserError, UserError } from '../errors';
import type { ExperimentEvents } from '../train/experiment';
import { createContextLoader } from './context';
import { executeRun } from './execute';
import type { FromWorker, ToWorker } from './messages';
import { throttleSteps } from './throttle';
import { failedRun } from './sequential';

/** Milliseconds between step reports to the parent (src/sweep/throttle.ts). */
const STEP_REPORT_MS = 100;

function stopped(error: unknown): FromWorker {
  const userError = asUserError(error);
  const message = userError?.message ?? (error instanceof Error ? error.message : String(error));
  return { type: 'stopped', message, exitCode: userError?.exitCode ?? 1 };
}

/** Aborted when the parent is gone: the channel closed, or a message to it failed. */
function watchParent() {
  const gone = new AbortController();
  const leave = () => gone.abort(new UserError('the sweep process that started this worker is gone', 1));
  process.once('disconnect', leave);
  const send = (message: FromWorker) => {
    if (!process.connected) return leave();
    process.send?.(message, undefined, undefined, (error: Error | null) => error && leave());
  };
  const disconnect = () => process.connected && process.disconnect();
  return { signal: gone.signal, send, disconnect };
}

function serve(signal: AbortSignal): Promise<void> {
  const parent = watchParent();
  const runSignal = AbortSignal.any([signal, parent.signal]);
  const contextFor = createContextLoader({
    onBackend: (info) => parent.send({ type: 'backend', info }),
    onDataset: (dataset) => parent.send({ type: 'dataset', description: dataset.description }),
  });
  let current: Promise<void> = Promise.resolve();
  return new Promise((resolve) => {
    // The parent has no more work, or is gone: once the run under way has stopped, so does the worker.
    parent.signal.addEventListener('abort', () => void current.then(resolve), { once: true });
    process.on('message', (message: ToWorker) => {
      const { job } = message;
      const events: ExperimentEvents = {
        onStep: throttleSteps((epoch, report) => parent.send({ type: 'step', epoch, report }), STEP_REPORT_MS),
        onEpochEnd: (row) => parent.send({ type: 'epochEnd', row }),
      };
      current = contextFor(job.config, runSignal)
        .then((context) => executeRun(job, context, events, runSignal))
        .catch((error: unknown) => failedRun(job, error, runSignal))
        .then((outcome) => parent.send({ type: 'runEnd', outcome }))
        .catch((error: unknown) => {
          parent.send(stopped(error));
          parent.disconnect(); // nothing more can run here; the parent stops the sweep
        });
    });
  });
}

surviveClosedStreams();
abortOnSignals(serve).catch(() => {
  // told the parent already (a `stopped` message), or there is no parent left to tell
});
