/**
 * `merge`: the run folders of a sweep's shards (run on other machines or cluster tasks)
 * gathered into one folder with one summary.csv. Runs of different sweeps are refused.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveConfig } from '../config/load';
import { usageError } from '../errors';
import { readRunRecord, type RunRecord, type RunStatus } from '../results/runFolder';
import { expandSweep } from './expand';
import { runId } from './ids';
import { runDir, writeSummary, type SummaryEntry } from './summary';

interface FoundRun {
  dir: string;
  record: RunRecord;
}

/** The runs under DIR/runs/ that belong to a sweep. */
function sweepRuns(dir: string): FoundRun[] {
  const runs = path.join(dir, 'runs');
  if (!fs.existsSync(runs)) throw usageError(`${dir}: not a sweep folder (no runs/ inside)`);
  return fs
    .readdirSync(runs)
    .map((name) => ({ dir: path.join(runs, name), record: readRunRecord(path.join(runs, name)) }))
    .filter((run): run is FoundRun => run.record?.sweep != null);
}

/** When two folders hold the same run, the one that got further wins. */
const STATUS_RANK: Record<RunStatus, number> = { completed: 3, diverged: 2, failed: 1, interrupted: 1, running: 0 };

function rank(record: RunRecord | null): number {
  return record ? STATUS_RANK[record.status] : -1;
}

/** Summary entries for every point of the sweep (pending ones too) when sweep.yaml is there. */
function entriesOf(out: string, runs: readonly FoundRun[]): SummaryEntry[] {
  const sweepFile = path.join(out, 'sweep.yaml');
  if (!fs.existsSync(sweepFile)) return runs.map((r) => ({ id: r.record.sweep!.id, values: r.record.sweep!.values, dir: r.dir }));
  const base = resolveConfig({ file: sweepFile });
  return expandSweep(base, sweepFile).map((point) => {
    const id = runId(point.config);
    return { id, values: point.values, dir: runDir(out, id) };
  });
}

export interface MergeResult {
  summaryFile: string;
  runs: number;
  copied: number;
}

export function mergeSweeps(dirs: readonly string[], out: string): MergeResult {
  const found = dirs.flatMap(sweepRuns);
  const sweepIds = new Map<string, string>();
  for (const run of found) sweepIds.set(run.record.sweep!.sweep_id, run.dir);
  if (sweepIds.size > 1) {
    const [[a, dirA], [b, dirB]] = [...sweepIds.entries()] as [[string, string], [string, string]];
    throw usageError(`cannot merge runs of different sweeps: ${dirA} is sweep ${a}, ${dirB} is sweep ${b}`);
  }
  let copied = 0;
  for (const run of found) {
    const target = runDir(out, run.record.sweep!.id);
    if (path.resolve(target) === path.resolve(run.dir) || rank(readRunRecord(target)) >= rank(run.record)) continue;
    fs.rmSync(target, { recursive: true, force: true });
    fs.cpSync(run.dir, target, { recursive: true });
    copied += 1;
  }
  const sweepFile = dirs.map((d) => path.join(d, 'sweep.yaml')).find((f) => fs.existsSync(f));
  if (sweepFile && !fs.existsSync(path.join(out, 'sweep.yaml'))) fs.cpSync(sweepFile, path.join(out, 'sweep.yaml'));
  const entries = entriesOf(out, found);
  const sweptKeys = Object.keys(entries[0]?.values ?? {});
  const summaryFile = path.join(out, 'summary.csv');
  writeSummary(summaryFile, entries, sweptKeys);
  return { summaryFile, runs: new Set(found.map((r) => r.record.sweep!.id)).size, copied };
}
