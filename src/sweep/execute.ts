/**
 * One run, from its resolved config to its folder: claim the folder, decide again whether
 * the run is still to do (another process may have done it meanwhile), then parameters
 * (fresh or --init-from), training and evaluation, and a final status. A single `run` and
 * every sweep point, in this process or a worker, go through here.
 * A finished result (completed or diverged) is never overwritten in place: a sweep skips
 * it; a single run trains again beside it and swaps the new result in only once that has
 * finished (src/results/replace.ts).
 */
import * as fs from 'node:fs';
import type { BackendInfo } from '../backend/select';
import type { Config } from '../config/schema';
import type { LoadedDataset } from '../data/dataset';
import { runtimeError, usageError } from '../errors';
import { disposeParams, initParams } from '../model/params';
import { claimFileOf, describeOwner, tryClaim } from '../results/claim';
import { makeDirectory } from '../results/directories';
import { attemptFolder, recoverSwap, removeAbandonedAttempts, swapIn } from '../results/replace';
import { assertOwnFolder, inspectRunRecord, isFinished, startRunFolder, type RunRecord, type SweepPlace } from '../results/runFolder';
import { loadWeights } from '../results/weights';
import { runExperiment, type ExperimentEvents } from '../train/experiment';
import type { RunInputs } from './ids';

export interface RunJob {
  id: string; // src/sweep/ids.ts
  config: Config;
  dir: string; // the run's folder
  inputs: RunInputs; // the fingerprints the id was computed from
  sweep: SweepPlace | null;
  /** With a finished run of this id in the folder: `skip` it (sweeps), or `replace` it
   *  once a new attempt has finished (a single `run`). */
  finished: 'skip' | 'replace';
}

export interface RunContext {
  backend: BackendInfo;
  dataset: LoadedDataset;
}

/** A run trained (whatever its end), or left alone with the reason. */
export type RunOutcome = { kind: 'ran'; record: RunRecord } | { kind: 'skipped'; reason: string };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The data this process loaded must be the data the run's id was computed from. */
function assertSameData(job: RunJob, dataset: LoadedDataset): void {
  if (dataset.fingerprint === job.inputs.data) return;
  throw runtimeError(
    `${dataset.description}: the data changed since run ${job.id} was planned (fingerprint ${job.inputs.data}, now ${dataset.fingerprint}); start again`,
  );
}

/**
 * Run a job to its end: `completed` (weights saved), `diverged` (a NaN or infinite loss),
 * or, rethrowing the error, `interrupted` (signal aborted) or `failed`. Skipped when
 * another live process holds the run's claim, or (`finished: skip`) it is already done.
 */
export async function executeRun(
  job: RunJob,
  context: RunContext,
  events: ExperimentEvents = {},
  signal?: AbortSignal,
): Promise<RunOutcome> {
  assertSameData(job, context.dataset);
  assertOwnFolder(job.dir, 'a run');
  recoverSwap(job.dir);
  makeDirectory(job.dir);
  const claim = tryClaim(claimFileOf(job.dir));
  if ('heldBy' in claim) return { kind: 'skipped', reason: `being run by ${describeOwner(claim.heldBy)}` };
  try {
    const existing = inspectRunRecord(job.dir);
    if (existing.state === 'corrupt' && job.finished === 'replace') {
      // A sweep's own run folder is redone; a folder a user named might hold anything.
      throw usageError(`${existing.file}: ${existing.reason}, not a sparse-adam run record: the folder is left alone; choose another (--out DIR)`);
    }
    if (existing.state !== 'ok' || !isFinished(existing.record.status)) return await attempt(job, job.dir, context, events, signal);
    const { record } = existing;
    if (record.id !== job.id) {
      throw usageError(
        `${job.dir}: holds a ${record.status} run of another config (id ${record.id || 'unknown: an older version'}, this config is ${job.id}); ` +
          'it is never overwritten: choose another folder (--out DIR or another name)',
      );
    }
    if (job.finished === 'skip') return { kind: 'skipped', reason: `already ${record.status}` };
    return await replaceFinished(job, context, events, signal);
  } finally {
    claim.claimed.release();
  }
}

/** A new attempt beside the finished run, swapped in once it has finished too. */
async function replaceFinished(job: RunJob, context: RunContext, events: ExperimentEvents, signal?: AbortSignal): Promise<RunOutcome> {
  removeAbandonedAttempts(job.dir);
  const folder = attemptFolder(job.dir);
  try {
    const outcome = await attempt(job, folder, context, events, signal);
    swapIn(job.dir, folder);
    return outcome;
  } finally {
    fs.rmSync(folder, { recursive: true, force: true }); // gone after a swap; a failed attempt goes, the old result stays
  }
}

/** Train and evaluate into `dir`; rethrows after recording `interrupted` or `failed`. */
async function attempt(job: RunJob, dir: string, context: RunContext, events: ExperimentEvents, signal?: AbortSignal): Promise<RunOutcome> {
  const { config } = job;
  const pixels = context.dataset.train.pixels;
  const params = config.init_from ? loadWeights(config.init_from, config.model, pixels) : initParams(config.model, pixels, config.seed);
  try {
    const folder = startRunFolder(dir, config, {
      id: job.id,
      backend: context.backend,
      data: context.dataset.description,
      data_fingerprint: job.inputs.data,
      init_fingerprint: job.inputs.init,
      sweep: job.sweep,
    });
    const recordEpochs: ExperimentEvents = {
      ...events,
      onEpochEnd(row, rows) {
        events.onEpochEnd?.(row, rows);
        folder.epochEnd(rows);
      },
    };
    try {
      const result = await runExperiment(config, context.dataset, params, recordEpochs, signal);
      if (result.divergedEpoch !== null) return { kind: 'ran', record: folder.end('diverged', { divergedEpoch: result.divergedEpoch }) };
      return { kind: 'ran', record: folder.end('completed', { params }) };
    } catch (error) {
      folder.end(signal?.aborted ? 'interrupted' : 'failed', { error: messageOf(error) });
      throw error;
    }
  } finally {
    disposeParams(params);
  }
}
