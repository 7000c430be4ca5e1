/**
 * From configs to the jobs that run them: each config's inputs are fingerprinted (the data
 * it loads, the weights it starts from), which gives its run id (src/sweep/ids.ts), and
 * so its folder in a sweep. Nothing is written here.
 */
import type { Config } from '../config/schema';
import { fingerprintFile } from '../data/fingerprint';
import { usageError } from '../errors';
import { checkWeightsFile } from '../results/weights';
import type { DataLoader } from './context';
import type { RunJob } from './execute';
import { runId, type RunInputs } from './ids';

/** The fingerprints of what the config reads besides itself (loading its data if needed);
 *  a weights file to start from is checked first, so a bad one is refused before anything is written. */
export async function runInputs(config: Config, datasetFor: DataLoader, signal?: AbortSignal): Promise<RunInputs> {
  const dataset = await datasetFor(config, signal);
  if (config.init_from !== null) checkWeightsFile(config.init_from, config.model, dataset.train.pixels);
  return { data: dataset.fingerprint, init: config.init_from === null ? null : fingerprintFile(config.init_from) };
}

/** The job of a config whose inputs are known; `dir` is its folder. */
export function jobOf(config: Config, inputs: RunInputs, dir: (id: string) => string, place: Omit<RunJob, 'id' | 'config' | 'dir' | 'inputs'>): RunJob {
  const id = runId(config, inputs);
  return { id, config, dir: dir(id), inputs, ...place };
}

/** Two points of one sweep that compute the same run (say, one data folder under two
 *  names) would share a folder: refused, naming both. */
export function assertDistinctRuns(jobs: readonly (RunJob & { values: Readonly<Record<string, unknown>> })[], source: string): void {
  const seen = new Map<string, Readonly<Record<string, unknown>>>();
  for (const job of jobs) {
    const earlier = seen.get(job.id);
    if (earlier) {
      const describe = (values: Readonly<Record<string, unknown>>) => Object.entries(values).map(([k, v]) => `${k}=${String(v)}`).join(' ');
      throw usageError(`${source}: the points ${describe(earlier)} and ${describe(job.values)} compute the same run (id ${job.id}); each run must differ`);
    }
    seen.set(job.id, job.values);
  }
}
