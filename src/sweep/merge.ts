/**
 * `merge`: the run folders of a sweep's shards (run on other machines or cluster tasks)
 * gathered into one folder with one summary.csv. Runs of different experiments are
 * refused; runs of one experiment merge, also when its sweep was extended between shards
 * (another learning rate). A run.json that cannot be read is named and left out.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveConfig } from '../config/load';
import type { Config } from '../config/schema';
import { usageError } from '../errors';
import { assertOwnFolder, inspectRunRecord, type RunRecord, type RunStatus } from '../results/runFolder';
import { expandSweep } from './expand';
import { INPUT_KEYS, runId, type RunInputs } from './ids';
import { isSweepFolderContent, runDir, runFolders, writeSummary, type SummaryEntry } from './summary';

interface FoundRun {
  dir: string;
  record: RunRecord & { sweep: NonNullable<RunRecord['sweep']> };
}

export interface Unreadable {
  file: string;
  reason: string;
}

/** The runs of a sweep under DIR/runs/, and the run.json files there that are not records. */
function sweepRuns(dir: string, unreadable: Unreadable[]): FoundRun[] {
  if (!fs.existsSync(path.join(dir, 'runs'))) throw usageError(`${dir}: not a sweep folder (no runs/ inside)`);
  return runFolders(dir).flatMap(({ dir: runFolder }) => {
    const read = inspectRunRecord(runFolder);
    if (read.state === 'corrupt') unreadable.push({ file: read.file, reason: read.reason });
    return read.state === 'ok' && read.record.sweep !== null ? [{ dir: runFolder, record: read.record as FoundRun['record'] }] : [];
  });
}

/** When two folders hold the same run, the one that got further wins. */
const STATUS_RANK: Record<RunStatus, number> = { completed: 3, diverged: 2, failed: 1, interrupted: 1, running: 0 };

function rank(dir: string): number {
  const read = inspectRunRecord(dir);
  return read.state === 'ok' ? STATUS_RANK[read.record.status] : -1;
}

/** The experiment a run belongs to (its sweep's, for runs of version 0.1 without one). */
function experimentOf(run: FoundRun): string {
  return run.record.sweep.experiment_id || `sweep ${run.record.sweep.sweep_id}`;
}

/** The inputs' fingerprints every found run shares, when the sweep varies none of them:
 *  then the ids of the points not run yet are known too. */
function sharedInputs(base: Config, found: readonly FoundRun[]): RunInputs | null {
  const inputs = new Set(found.map((run) => JSON.stringify([run.record.data_fingerprint, run.record.init_fingerprint])));
  const sweptInputs = Object.keys(base.sweep ?? {}).some((key) => INPUT_KEYS.includes(key));
  if (inputs.size !== 1 || sweptInputs) return null;
  const [data, init] = JSON.parse([...inputs][0]!) as [string, string | null];
  return { data, init };
}

/** A run's swept values as a key, whatever their order. */
function valuesKey(values: Record<string, unknown>): string {
  return JSON.stringify(Object.entries(values).sort(([a], [b]) => a.localeCompare(b)));
}

/** The summary's rows: the sweep's points in grid order (run, or pending when their ids are
 *  known), then the runs found that are not points of it (an earlier grid of the experiment). */
function summaryEntriesOf(sweepFile: string | null, found: readonly SummaryEntry[], runs: readonly FoundRun[], out: string): SummaryEntry[] {
  const base = sweepFile ? resolveConfig({ file: sweepFile }) : null;
  const unmatched = new Map(found.map((entry) => [valuesKey(entry.values), entry]));
  const inputs = base && sharedInputs(base, runs);
  const entries: SummaryEntry[] = [];
  for (const point of base ? expandSweep(base, sweepFile!) : []) {
    const key = valuesKey(point.values);
    const run = unmatched.get(key);
    unmatched.delete(key);
    if (run) entries.push(run);
    else if (inputs) entries.push({ id: runId(point.config, inputs), values: point.values, dir: runDir(out, runId(point.config, inputs)) });
  }
  return [...entries, ...unmatched.values()];
}

export interface MergeResult {
  summaryFile: string;
  runs: number;
  copied: number;
  unreadable: Unreadable[];
}

export function mergeSweeps(dirs: readonly string[], out: string): MergeResult {
  const unreadable: Unreadable[] = [];
  const found = dirs.flatMap((dir) => sweepRuns(dir, unreadable));
  const experiments = new Map<string, string>();
  for (const run of found) experiments.set(experimentOf(run), run.dir);
  if (experiments.size > 1) {
    const [[a, dirA], [b, dirB]] = [...experiments.entries()] as [[string, string], [string, string]];
    throw usageError(`cannot merge runs of different experiments: ${dirA} is experiment ${a}, ${dirB} is experiment ${b}`);
  }
  assertOwnFolder(out, 'a merged sweep', isSweepFolderContent);
  let copied = 0;
  for (const run of found) {
    const target = runDir(out, run.record.sweep.id);
    if (path.resolve(target) === path.resolve(run.dir) || rank(target) >= rank(run.dir)) continue;
    fs.rmSync(target, { recursive: true, force: true });
    fs.cpSync(run.dir, target, { recursive: true, filter: (source) => !path.basename(source).startsWith('claim.json') }); // a claim is its owner's, not the copy's
    copied += 1;
  }
  const sweepFile = dirs.map((d) => path.join(d, 'sweep.yaml')).find((f) => fs.existsSync(f));
  if (sweepFile && !fs.existsSync(path.join(out, 'sweep.yaml'))) fs.cpSync(sweepFile, path.join(out, 'sweep.yaml'));
  const ids = new Set(found.map((run) => run.record.sweep.id));
  const foundEntries = [...ids].map((id) => {
    const run = found.find((r) => r.record.sweep.id === id)!;
    return { id, values: run.record.sweep.values, dir: runDir(out, id) };
  });
  const mergedSweep = path.join(out, 'sweep.yaml');
  const entries = summaryEntriesOf(fs.existsSync(mergedSweep) ? mergedSweep : null, foundEntries, found, out);
  const sweptKeys = Object.keys(entries[0]?.values ?? {});
  const summaryFile = path.join(out, 'summary.csv');
  writeSummary(summaryFile, entries, sweptKeys);
  return { summaryFile, runs: ids.size, copied, unreadable };
}
