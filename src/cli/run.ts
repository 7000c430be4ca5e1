/**
 * `sparse-adam run [CONFIG]`: resolve the config; without a `sweep` section, train and
 * evaluate one run into results/<name>/; with one, run the sweep's points (this shard's
 * share, skipping completed runs) into results/<name>/runs/<id>/ with a summary.csv.
 */
import * as path from 'node:path';
import { resolveConfig } from '../config/load';
import type { Config } from '../config/schema';
import { resolveDataDir } from '../data/load';
import type { RunRecord } from '../results/runFolder';
import { runtimeError } from '../errors';
import { createContextLoader, createDataLoader, type ContextOptions } from '../sweep/context';
import { executeRun } from '../sweep/execute';
import { jobOf, runInputs } from '../sweep/jobs';
import { sweepSource } from '../sweep/expand';
import { runSweep } from '../sweep/run';
import { createDownloadProgress } from './downloadBar';
import { createProgress } from './progress';
import { createSweepDisplay } from './sweepDisplay';
import { abortOnSignals, throwIfSignalledAfter } from './signals';
import { parseJobs, refuseSweepFlags } from './sweepFlags';

export interface RunOptions {
  set: string[];
  dataDir?: string;
  backend?: string;
  out?: string;
  initFrom?: string;
  shard?: string;
  jobs?: string;
}

/** Flags are shorthands for `--set`; --data-dir also selects the IDX source. */
function flagSets(options: RunOptions): string[] {
  const sets = [...options.set];
  if (options.dataDir !== undefined) sets.push('data.source=idx', `data.dir=${options.dataDir}`);
  if (options.backend !== undefined) sets.push(`backend=${options.backend}`);
  if (options.out !== undefined) sets.push(`out=${options.out}`);
  if (options.initFrom !== undefined) sets.push(`init_from=${options.initFrom}`);
  return sets;
}

/** Defaults, file, environment, then --set and flags; the saved config records the data folder used. */
export function resolveRunConfig(file: string | undefined, options: RunOptions): Config {
  const sets = flagSets(options);
  const config = resolveConfig({ file, sets });
  if (config.data.source !== 'idx') return config;
  const dir = resolveDataDir(options.dataDir, process.env, config.data.dir);
  return dir === config.data.dir ? config : resolveConfig({ file, sets: [...sets, `data.dir=${dir}`] });
}

/** Log lines for what the runs load: the backend once, each dataset once. */
export function contextLogging(): ContextOptions & { stop(): void } {
  const download = createDownloadProgress();
  return {
    onBackend: (b) => console.log(`backend ${b.name}${b.skipped.length ? ` (skipped ${b.skipped.join('; ')})` : ''}`),
    onDataset: (d) => console.log(`data ${d.description}`),
    onDownloadProgress: download.onProgress,
    stop: download.stop,
  };
}

export function describeEnd(record: RunRecord, dir: string): string {
  if (record.status === 'diverged') return `diverged in epoch ${record.diverged_epoch}: the training loss is not finite (recorded in ${dir}/run.json)`;
  return `wrote ${dir}/ (metrics.csv, weights.json, config.yaml, run.json)`;
}

/** One run into results/<name>/ (or `out`): a finished run of the same id there is trained
 *  again and replaced once the new one has finished; one of another config is refused. */
async function runSingle(config: Config, source: string, signal: AbortSignal): Promise<void> {
  const logging = contextLogging();
  const data = createDataLoader(logging);
  const context = await createContextLoader(logging, data)(config, signal).finally(logging.stop);
  const dir = config.out ?? path.join('results', config.name);
  const job = jobOf(config, await runInputs(config, data, source, signal), () => dir, { sweep: null, finished: 'replace' });
  signal.throwIfAborted(); // nothing is written before this
  const progress = createProgress(config.train.epochs);
  try {
    const outcome = await executeRun(job, context, progress, signal);
    if (outcome.kind === 'skipped') throw runtimeError(`${dir}: ${outcome.reason}; one process at a time writes a run folder`);
    console.log(describeEnd(outcome.record, dir));
    await throwIfSignalledAfter(signal, `the run ${outcome.record.status}: ${dir}/ holds all of it`);
  } finally {
    progress.stop();
  }
}

export async function runCommand(file: string | undefined, options: RunOptions): Promise<void> {
  const base = resolveRunConfig(file, options);
  const jobs = parseJobs(options.jobs);
  if (base.sweep === null) refuseSweepFlags(options, file ?? 'the config');
  await abortOnSignals((signal) =>
    base.sweep === null
      ? runSingle(base, file ?? 'config', signal)
      : runSweep(base, { source: sweepSource({ file, sets: options.set }), shard: options.shard, jobs }, createSweepDisplay(), signal),
  );
}
