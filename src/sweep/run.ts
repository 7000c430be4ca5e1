/**
 * Running a sweep: expand the grid, keep this shard's share, identify each point by what
 * it computes (its data loaded and fingerprinted first), then run the points not yet done.
 * Whether a point is still to do is decided again as each run starts (execute.ts claims
 * its folder first), so two processes on one sweep folder share the work instead of
 * repeating or destroying it. summary.csv is rebuilt from the run folders after every run.
 * Runs go one after another in this process, or to `jobs` worker processes.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { configToYaml } from '../config/format';
import type { Config } from '../config/schema';
import { runtimeError } from '../errors';
import { writeFileAtomic } from '../results/atomic';
import { makeDirectory } from '../results/directories';
import { assertOwnFolder, inspectRunRecord, isFinished, shownStatus } from '../results/runFolder';
import { createDataLoader, type DataLoader } from './context';
import type { SweepDisplay } from './display';
import type { RunJob, RunOutcome } from './execute';
import { expandSweep, pointSource } from './expand';
import { experimentId, sweepId } from './ids';
import { assertDistinctRuns, jobOf, runInputs } from './jobs';
import { sweepHeader } from './plan';
import { runInPool } from './pool';
import { runInProcess } from './sequential';
import { chooseShard, pointsOfShard } from './shard';
import { isSweepFolderContent, runDir, runFolders, summaryFileName, writeSummary, type SummaryEntry } from './summary';

export interface SweepOptions {
  source: string; // the config file, for error messages
  shard?: string; // I/N
  jobs?: number; // worker processes (checked by the CLI, src/cli/sweepFlags.ts); default: one per core
}

export type SweepJob = RunJob & SummaryEntry;

/** What each run of the sweep looks like now, from its folder. */
function classify(jobs: readonly SweepJob[]) {
  const counts = { done: 0, redo: 0, unreadable: 0, running: 0, fresh: 0 };
  for (const job of jobs) {
    const read = inspectRunRecord(job.dir);
    if (read.state === 'none') counts.fresh += 1;
    else if (read.state === 'corrupt') counts.unreadable += 1;
    else if (isFinished(read.record.status)) counts.done += 1;
    else if (shownStatus(job.dir, read.record) === 'running') counts.running += 1;
    else counts.redo += 1;
  }
  return counts;
}

function describeCounts(counts: ReturnType<typeof classify>): string {
  const parts = [`${counts.done} already done`, `${counts.redo} to redo (interrupted or failed)`];
  if (counts.unreadable) parts.push(`${counts.unreadable} to redo (unreadable run.json)`);
  if (counts.running) parts.push(`${counts.running} being run by another process`);
  return [...parts, `${counts.fresh} new`].join(', ');
}

function workerCount(jobs: number | undefined, runs: number): number {
  return Math.max(1, Math.min(jobs ?? os.availableParallelism(), runs));
}

/** This shard's points as jobs, each identified by what it computes (loading its data). */
async function sweepJobs(base: Config, options: SweepOptions, datasetFor: DataLoader, signal: AbortSignal) {
  const points = expandSweep(base, options.source);
  const shard = chooseShard(options.shard, process.env);
  const sweepDir = base.out ?? path.join('results', base.name);
  const place = { sweep_id: sweepId(base), experiment_id: experimentId(base) };
  const jobs: SweepJob[] = [];
  for (const point of pointsOfShard(points, shard)) {
    signal.throwIfAborted(); // a signal during the (synchronous) expansion or identification: stop before writing anything
    const inputs = await runInputs(point.config, datasetFor, pointSource(options.source, point), signal);
    const job = jobOf(point.config, inputs, (id) => runDir(sweepDir, id), { sweep: null, finished: 'skip' });
    const sweep = { id: job.id, ...place, values: point.values };
    jobs.push({ ...job, config: { ...point.config, out: job.dir }, sweep, values: point.values });
  }
  assertDistinctRuns(jobs, options.source);
  signal.throwIfAborted();
  return { points, shard, sweepDir, jobs, experiment: place.experiment_id };
}

/** The summary's rows: this shard's runs; the whole sweep's summary also keeps the runs of
 *  the same experiment found in the folder from an earlier grid (a sweep since extended). */
function summaryEntries(sweepDir: string, jobs: readonly SweepJob[], sharded: boolean, experiment: string): SummaryEntry[] {
  if (sharded) return [...jobs];
  const planned = new Set(jobs.map((job) => job.id));
  const earlier = runFolders(sweepDir).flatMap(({ id, dir }) => {
    const read = inspectRunRecord(dir);
    const sweep = read.state === 'ok' ? read.record.sweep : null;
    return !planned.has(id) && sweep?.experiment_id === experiment ? [{ id, dir, values: sweep.values }] : [];
  });
  return [...jobs, ...earlier];
}

export async function runSweep(base: Config, options: SweepOptions, display: SweepDisplay, signal: AbortSignal): Promise<void> {
  const datasetFor = createDataLoader({ onDataset: (d) => display.dataset(d.description) });
  const { points, shard, sweepDir, jobs, experiment } = await sweepJobs(base, options, datasetFor, signal);
  const workers = workerCount(options.jobs, jobs.length);
  assertOwnFolder(sweepDir, 'a sweep', isSweepFolderContent);
  makeDirectory(sweepDir);
  writeFileAtomic(path.join(sweepDir, 'sweep.yaml'), configToYaml(base));
  const summaryFile = path.join(sweepDir, summaryFileName(shard));
  const sweptKeys = Object.keys(base.sweep ?? {});
  const entries = summaryEntries(sweepDir, jobs, summaryFile !== path.join(sweepDir, 'summary.csv'), experiment);
  const rebuild = () => writeSummary(summaryFile, entries, sweptKeys);
  console.log(`${sweepHeader(base, points, shard)}; ${describeCounts(classify(jobs))}`);
  const todo = jobs.filter((job) => {
    const read = inspectRunRecord(job.dir);
    return !(read.state === 'ok' && isFinished(read.record.status));
  });
  const outcomes: RunOutcome[] = [];
  const onRunEnd = (outcome: RunOutcome) => {
    outcomes.push(outcome);
    rebuild();
  };
  rebuild();
  try {
    if (Math.min(workers, todo.length) <= 1) await runInProcess(todo, datasetFor, display, onRunEnd, signal);
    else await runInPool(todo, Math.min(workers, todo.length), display, onRunEnd, signal);
  } finally {
    display.stop();
    rebuild();
  }
  const ran = outcomes.flatMap((o) => (o.kind === 'ran' ? [o.record.status] : []));
  const count = (status: string) => ran.filter((s) => s === status).length;
  const skipped = outcomes.length - ran.length;
  const others = skipped ? `, ${skipped} left to another process or found done` : '';
  console.log(`wrote ${summaryFile} (${count('completed')} completed, ${count('diverged')} diverged, ${count('failed')} failed this time${others})`);
  if (count('failed') > 0) throw runtimeError(`${count('failed')} run(s) failed; see their run.json under ${sweepDir}/runs`);
}
