/**
 * One run's folder: config.yaml (the resolved config), metrics.csv (one row per epoch),
 * run.json (what ran, on what, how it ended) and weights.json. Every file is replaced
 * atomically, so a crash or a signal never leaves one half-written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BackendInfo } from '../backend/select';
import { configToYaml } from '../config/format';
import type { Config } from '../config/schema';
import type { Params } from '../model/params';
import { writeFileAtomic } from './atomic';
import { makeDirectory } from './directories';
import { writeMetrics, type MetricsRow } from './metrics';
import { saveWeights } from './weights';

/** `running` is also what a run killed without warning leaves behind. */
export type RunStatus = 'running' | 'completed' | 'diverged' | 'interrupted' | 'failed';

/** Where a run sits in a sweep: its id, the sweep's id and the values of the swept keys. */
export interface SweepPlace {
  id: string;
  sweep_id: string;
  values: Record<string, unknown>;
}

export interface RunRecord {
  name: string;
  status: RunStatus;
  seed: number;
  started_at: string; // ISO 8601
  ended_at: string | null;
  seconds: number | null; // wall time from start to end
  epochs_completed: number;
  diverged_epoch: number | null; // the epoch whose training loss became NaN or infinite
  package: { name: string; version: string };
  node: string;
  backend: BackendInfo;
  data: string; // the dataset's description line
  sweep: SweepPlace | null;
  error: string | null;
  final: MetricsRow | null; // the last epoch's row
}

export const RUN_FILES = { config: 'config.yaml', metrics: 'metrics.csv', record: 'run.json', weights: 'weights.json' };

export function packageInfo(): { name: string; version: string } {
  const pkg = require('../../../package.json') as { name: string; version: string };
  return { name: pkg.name, version: pkg.version };
}

/** The run.json of a folder, or null when there is none (never run, or not a run). */
export function readRunRecord(dir: string): RunRecord | null {
  const file = path.join(dir, RUN_FILES.record);
  if (!fs.existsSync(file)) return null;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as RunRecord;
}

export interface RunFolder {
  readonly dir: string;
  /** After each epoch: the metrics so far, and the record's progress. */
  epochEnd(rows: readonly MetricsRow[]): void;
  /** The final record; `completed` runs also get their weights saved. */
  end(status: Exclude<RunStatus, 'running'>, details: { params?: Params; divergedEpoch?: number; error?: string }): RunRecord;
}

/** Start a run in `dir`: the files an earlier attempt left there are replaced (nothing else is touched). */
export function startRunFolder(
  dir: string,
  config: Config,
  context: { backend: BackendInfo; data: string; sweep: SweepPlace | null },
): RunFolder {
  makeDirectory(dir);
  for (const file of Object.values(RUN_FILES)) fs.rmSync(path.join(dir, file), { force: true });
  writeFileAtomic(path.join(dir, RUN_FILES.config), configToYaml(config));
  const started = Date.now();
  const record: RunRecord = {
    name: config.name,
    status: 'running',
    seed: config.seed,
    started_at: new Date(started).toISOString(),
    ended_at: null,
    seconds: null,
    epochs_completed: 0,
    diverged_epoch: null,
    package: packageInfo(),
    node: process.version,
    ...context,
    error: null,
    final: null,
  };
  const write = () => writeFileAtomic(path.join(dir, RUN_FILES.record), `${JSON.stringify(record, null, 2)}\n`);
  write();
  return {
    dir,
    epochEnd(rows) {
      writeMetrics(path.join(dir, RUN_FILES.metrics), rows);
      record.epochs_completed = rows.length;
      record.final = rows[rows.length - 1] ?? null;
      write();
    },
    end(status, details) {
      if (status === 'completed' && details.params) saveWeights(path.join(dir, RUN_FILES.weights), details.params);
      Object.assign(record, {
        status,
        ended_at: new Date().toISOString(),
        seconds: (Date.now() - started) / 1000,
        diverged_epoch: details.divergedEpoch ?? null,
        epochs_completed: details.divergedEpoch ? details.divergedEpoch - 1 : record.epochs_completed,
        error: details.error ?? null,
      });
      write();
      return { ...record };
    },
  };
}
