/**
 * A sweep's runs on `workers` processes (each single-threaded on wasm or cpu, so N
 * workers use N cores), each running one job at a time from a shared queue. The parent
 * only dispatches, draws and writes the summary. On an abort it forwards SIGTERM, waits
 * for every worker to record its run as interrupted, then rejects with the abort reason.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { UserError, type ExitCode } from '../errors';
import type { SweepDisplay } from './display';
import type { RunOutcome } from './execute';
import type { FromWorker, ToWorker } from './messages';
import type { SweepJob } from './run';
import { runLabel } from './sequential';

interface Worker {
  child: ChildProcess;
  /** The next message; null once the process has exited. */
  next(): Promise<FromWorker | null>;
}

function startWorker(): Worker {
  const child = fork(path.join(__dirname, 'worker.js'), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const buffered: (FromWorker | null)[] = [];
  const waiting: ((message: FromWorker | null) => void)[] = [];
  const deliver = (message: FromWorker | null) => {
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else buffered.push(message);
  };
  child.on('message', (message: FromWorker) => deliver(message));
  child.on('exit', () => deliver(null));
  return {
    child,
    next: () => (buffered.length > 0 ? Promise.resolve(buffered.shift()!) : new Promise((resolve) => waiting.push(resolve))),
  };
}

/** Send one job and relay the worker's messages until the run ends. */
async function runOn(worker: Worker, slot: number, request: ToWorker, display: SweepDisplay): Promise<RunOutcome> {
  worker.child.send(request);
  for (;;) {
    const message = await worker.next();
    if (message === null) throw new UserError(`worker ${slot + 1} exited during run ${request.job.id}`, 1);
    if (message.type === 'backend') display.backend(message.info);
    else if (message.type === 'dataset') display.dataset(message.description);
    else if (message.type === 'step') display.step(slot, message.epoch, message.report);
    else if (message.type === 'epochEnd') display.epochEnd(slot, message.row);
    else if (message.type === 'runEnd') return message.outcome;
    else throw new UserError(message.message, message.exitCode as ExitCode);
  }
}

export async function runInPool(
  jobs: readonly SweepJob[],
  workers: number,
  display: SweepDisplay,
  onRunEnd: (outcome: RunOutcome) => void,
  signal: AbortSignal,
): Promise<void> {
  const queue = jobs.map((job, n) => ({ job, label: runLabel(job, n + 1, jobs.length) }));
  const pool = Array.from({ length: workers }, startWorker);
  const stopAll = () => pool.forEach((w) => w.child.exitCode === null && w.child.kill('SIGTERM'));
  signal.addEventListener('abort', stopAll, { once: true });
  const drive = async (worker: Worker, slot: number) => {
    for (let item = queue.shift(); item && !signal.aborted; item = queue.shift()) {
      display.runStart(slot, item.label);
      const outcome = await runOn(worker, slot, { type: 'run', ...item }, display);
      display.runEnd(slot, outcome);
      onRunEnd(outcome);
    }
  };
  try {
    const outcomes = await Promise.allSettled(pool.map(drive));
    signal.throwIfAborted();
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) throw failure.reason;
  } finally {
    signal.removeEventListener('abort', stopAll);
    for (const worker of pool) if (worker.child.connected) worker.child.disconnect();
  }
}
