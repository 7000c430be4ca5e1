/**
 * From configs to the jobs that run them: each config is checked against its data's size
 * (src/config/feasible.ts) and its inputs are fingerprinted (the data it loads, the
 * weights it starts from), which gives its run id (src/sweep/ids.ts), and so its folder in
 * a sweep. Nothing is written here, so a config refused here leaves no trace.
 */
import { checkFeasible } from '../config/feasible';
import type { Config } from '../config/schema';
import { fingerprintFile } from '../data/fingerprint';
import { usageError, UserError } from '../errors';
import { checkWeightsFile } from '../results/weights';
import type { DataLoader } from './context';
import type { RunJob } from './execute';
import { runId, type RunInputs } from './ids';

/** The fingerprints of what the config reads besides itself (loading its data if needed),
 *  once the config has been checked against its data's size and its weights file to start
 *  from (`source` names the config in messages). */
export async function runInputs(config: Config, data: DataLoader, source: string, signal?: AbortSignal): Promise<RunInputs> {
  const identity = await data.identify(config, signal);
  checkFeasible(config, identity.sizes, source);
  if (config.init_from !== null) checkWeightsFile(config.init_from, config.model, identity.pixels);
  return { data: identity.fingerprint, init: config.init_from === null ? null : fingerprintFile(config.init_from) };
}

/** runInputs from what this machine holds, never downloading; when the data is not here
 *  (a runtime failure to load it), why. Config problems are thrown as usual. */
export async function localRunInputs(config: Config, data: DataLoader, source: string): Promise<{ inputs: RunInputs } | { unavailable: string }> {
  const offline: Config = { ...config, data: { ...config.data, download: false } };
  try {
    return { inputs: await runInputs(offline, data, source) };
  } catch (error) {
    if (error instanceof UserError && error.exitCode === 1) return { unavailable: error.message };
    throw error;
  }
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
