/**
 * Running a sweep: expand the grid, keep this shard's share, skip the runs already
 * completed (or diverged), redo interrupted or failed ones, and keep summary.csv in step
 * with the run folders after every run. Runs go one after another in this process, or
 * to `jobs` worker processes.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type { Config } from '../config/schema';
import { runtimeError, usageError } from '../errors';
import { writeFileAtomic } from '../results/atomic';
import { makeDirectory } from '../results/directories';
import { configToYaml } from '../config/format';
import { readRunRecord, type RunRecord } from '../results/runFolder';
import type { SweepDisplay } from './display';
import { expandSweep } from './expand';
import type { RunJob } from './execute';
import { runId, sweepId } from './ids';
import { sweepHeader } from './plan';
import { runInPool } from './pool';
import { runInProcess } from './sequential';
import { chooseShard, pointsOfShard } from './shard';
import { runDir, summaryFileName, writeSummary, type SummaryEntry } from './summary';

export interface SweepOptions {
  source: string; // the config file, for error messages
  shard?: string; // I/N
  jobs?: string; // worker processes
}

export type SweepJob = RunJob & SummaryEntry;

/** What happens to each run of the sweep, from its folder's run.json. */
function classify(jobs: readonly SweepJob[]) {
  const done: SweepJob[] = [];
  const redo: SweepJob[] = [];
  const fresh: SweepJob[] = [];
  for (const job of jobs) {
    const status = readRunRecord(job.dir)?.status;
    if (status === 'completed' || status === 'diverged') done.push(job);
    else if (status) redo.push(job);
    else fresh.push(job);
  }
  return { done, redo, fresh };
}

function parseJobs(text: string | undefined, runs: number): number {
  const jobs = text === undefined ? os.availableParallelism() : Number(text);
  if (!Number.isInteger(jobs) || jobs < 1) throw usageError(`--jobs ${text}: expected a whole number >= 1`);
  return Math.max(1, Math.min(jobs, runs));
}

export async function runSweep(base: Config, options: SweepOptions, display: SweepDisplay, signal: AbortSignal): Promise<void> {
  const sweptKeys = Object.keys(base.sweep ?? {});
  const points = expandSweep(base, options.source);
  const shard = chooseShard(options.shard, process.env);
  const mine = pointsOfShard(points, shard);
  const sweepDir = base.out ?? path.join('results', base.name);
  const id = sweepId(base);
  const jobs: SweepJob[] = mine.map((point) => {
    const runIdOfPoint = runId(point.config);
    const dir = runDir(sweepDir, runIdOfPoint);
    return { id: runIdOfPoint, dir, values: point.values, config: { ...point.config, out: dir }, sweep: { id: runIdOfPoint, sweep_id: id, values: point.values } };
  });
  makeDirectory(sweepDir);
  writeFileAtomic(path.join(sweepDir, 'sweep.yaml'), configToYaml(base));
  const summaryFile = path.join(sweepDir, summaryFileName(shard));
  const { done, redo, fresh } = classify(jobs);
  console.log(`${sweepHeader(base, points, shard)}; ${done.length} already done, ${redo.length} to redo (interrupted or failed), ${fresh.length} new`);
  const todo = [...redo, ...fresh];
  const workers = parseJobs(options.jobs, todo.length);
  const results: RunRecord[] = [];
  const onRunEnd = (record: RunRecord) => {
    results.push(record);
    writeSummary(summaryFile, jobs, sweptKeys);
  };
  writeSummary(summaryFile, jobs, sweptKeys);
  try {
    if (workers <= 1) await runInProcess(todo, display, onRunEnd, signal);
    else await runInPool(todo, workers, display, onRunEnd, signal);
  } finally {
    display.stop();
    writeSummary(summaryFile, jobs, sweptKeys);
  }
  const failed = results.filter((r) => r.status === 'failed').length;
  const diverged = results.filter((r) => r.status === 'diverged').length;
  console.log(`wrote ${summaryFile} (${results.length - failed - diverged} completed, ${diverged} diverged, ${failed} failed this time)`);
  if (failed > 0) throw runtimeError(`${failed} run(s) failed; see their run.json under ${sweepDir}/runs`);
}
