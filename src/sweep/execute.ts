/**
 * One run, from its resolved config to its folder: parameters (fresh or --init-from),
 * training and evaluation, and a final status. A single `run` and every sweep point,
 * in this process or a worker, go through here.
 */
import type { BackendInfo } from '../backend/select';
import type { Config } from '../config/schema';
import type { Dataset } from '../data/dataset';
import { disposeParams, initParams } from '../model/params';
import { startRunFolder, type RunRecord, type SweepPlace } from '../results/runFolder';
import { loadWeights } from '../results/weights';
import { runExperiment, type ExperimentEvents } from '../train/experiment';

export interface RunJob {
  config: Config;
  dir: string; // the run's folder
  sweep: SweepPlace | null;
}

export interface RunContext {
  backend: BackendInfo;
  dataset: Dataset;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Run a job to its end: `completed` (weights saved), `diverged` (a NaN or infinite loss),
 * or, rethrowing the error, `interrupted` (signal aborted) or `failed`.
 */
export async function executeRun(
  job: RunJob,
  context: RunContext,
  events: ExperimentEvents = {},
  signal?: AbortSignal,
): Promise<RunRecord> {
  const { config } = job;
  const pixels = context.dataset.train.pixels;
  const params = config.init_from ? loadWeights(config.init_from, config.model, pixels) : initParams(config.model, pixels, config.seed);
  try {
    const folder = startRunFolder(job.dir, config, { backend: context.backend, data: context.dataset.description, sweep: job.sweep });
    const recordEpochs: ExperimentEvents = {
      ...events,
      onEpochEnd(row, rows) {
        events.onEpochEnd?.(row, rows);
        folder.epochEnd(rows);
      },
    };
    try {
      const result = await runExperiment(config, context.dataset, params, recordEpochs, signal);
      if (result.divergedEpoch !== null) return folder.end('diverged', { divergedEpoch: result.divergedEpoch });
      return folder.end('completed', { params });
    } catch (error) {
      folder.end(signal?.aborted ? 'interrupted' : 'failed', { error: messageOf(error) });
      throw error;
    }
  } finally {
    disposeParams(params);
  }
}
