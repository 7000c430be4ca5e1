/**
 * One run's folder: config.yaml (the resolved config), metrics.csv (one row per epoch),
 * run.json (what ran, on what, how it ended) and weights.json. Every file is replaced
 * atomically, so a crash or a signal never leaves one half-written. A folder holding
 * files this tool did not write is never written into, and run.json is read back
 * through a schema, so a damaged one is named as such instead of crashing its reader.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import type { BackendInfo } from '../backend/select';
import { configToYaml } from '../config/format';
import type { Config } from '../config/schema';
import { usageError } from '../errors';
import type { Params } from '../model/params';
import { writeFileAtomic } from './atomic';
import { makeDirectory } from './directories';
import { claimFileOf, isStale, readOwner } from './claim';
import { writeMetrics, type MetricsRow } from './metrics';
import { saveWeights } from './weights';

/** `running` is also what a run killed without warning leaves behind (reported as `killed`). */
export const RUN_STATUSES = ['running', 'completed', 'diverged', 'interrupted', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A finished result: never redone by a sweep, never overwritten by a run. */
export function isFinished(status: RunStatus): boolean {
  return status === 'completed' || status === 'diverged';
}

/** Where a run sits in a sweep: the sweep's and experiment's ids and the swept keys' values. */
export interface SweepPlace {
  id: string; // the run's id, as the record's own
  sweep_id: string;
  experiment_id: string;
  values: Record<string, unknown>;
}

export interface RunRecord {
  id: string; // src/sweep/ids.ts: the config as it bears on results, the data by content
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
  data_fingerprint: string; // src/data/fingerprint.ts
  init_fingerprint: string | null; // SHA-256 of the --init-from weights file
  sweep: SweepPlace | null;
  error: string | null;
  final: MetricsRow | null; // the last epoch's row
}

/** run.json as read back: the fields every reader relies on, typed; others pass through.
 *  Records of version 0.1 have no id, fingerprint or experiment id: read as '' (unknown). */
const recordSchema = z.looseObject({
  id: z.string().default(''),
  name: z.string(),
  status: z.enum(RUN_STATUSES),
  seed: z.number(),
  started_at: z.string(),
  ended_at: z.string().nullable(),
  seconds: z.number().nullable(),
  epochs_completed: z.number().int().min(0),
  diverged_epoch: z.number().int().nullable(),
  data: z.string(),
  data_fingerprint: z.string().default(''),
  sweep: z
    .looseObject({ id: z.string(), sweep_id: z.string(), experiment_id: z.string().default(''), values: z.record(z.string(), z.unknown()) })
    .nullable(),
  error: z.string().nullable(),
  final: z.record(z.string(), z.unknown()).nullable(),
});

export const RUN_FILES = { config: 'config.yaml', metrics: 'metrics.csv', record: 'run.json', weights: 'weights.json' };

export function packageInfo(): { name: string; version: string } {
  const pkg = require('../../../package.json') as { name: string; version: string };
  return { name: pkg.name, version: pkg.version };
}

/** A folder's run.json: none, a record, or a file that is not one (and why). */
export type RecordRead =
  | { state: 'none' }
  | { state: 'ok'; record: RunRecord }
  | { state: 'corrupt'; file: string; reason: string };

export function inspectRunRecord(dir: string): RecordRead {
  const file = path.join(dir, RUN_FILES.record);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { state: 'none' };
    return { state: 'corrupt', file, reason: `cannot read (${code ?? String(error)})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { state: 'corrupt', file, reason: 'not JSON' };
  }
  const parsed = recordSchema.safeParse(json);
  if (parsed.success) return { state: 'ok', record: parsed.data as unknown as RunRecord };
  const [issue] = parsed.error.issues;
  return { state: 'corrupt', file, reason: `${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'}` };
}

/** The run.json of a folder, or null when there is none or it cannot be read as one. */
export function readRunRecord(dir: string): RunRecord | null {
  const read = inspectRunRecord(dir);
  return read.state === 'ok' ? read.record : null;
}

/** What a status table shows: `killed` for a run.json still `running` whose owner is gone. */
export type ShownStatus = RunStatus | 'killed';

export function shownStatus(dir: string, record: RunRecord): ShownStatus {
  if (record.status !== 'running') return record.status;
  const claim = claimFileOf(dir);
  return fs.existsSync(claim) && !isStale(claim, readOwner(claim)) ? 'running' : 'killed';
}

/** Files a run folder may hold besides RUN_FILES: its claim and the temporary files of
 *  atomic writes and claims (`.<name>.<pid>.tmp`, `claim.json.<token>.tmp`, the takeover lock). */
function isRunFile(name: string): boolean {
  return Object.values(RUN_FILES).includes(name) || /^claim\.json(\.[\w-]+\.tmp|\.takeover)?$/.test(name) || /^\..+\.\d+\.tmp$/.test(name);
}

/**
 * Whether a folder's entries are all this tool's: a run writes run.json before any other
 * result file, so result files without a run.json (a user's own config.yaml, say) are not.
 */
export function isRunFolderContent(names: readonly string[]): boolean {
  const results = names.filter((name) => Object.values(RUN_FILES).includes(name));
  return names.every(isRunFile) && (results.length === 0 || results.includes(RUN_FILES.record));
}

/**
 * Refuses a folder that holds something this tool did not write (a user's own files, a
 * sweep folder, the working directory): results never land among them. A missing or empty
 * folder is fine. `ours` tells a folder's content apart (a run's, by default).
 */
export function assertOwnFolder(dir: string, what: string, ours: (names: readonly string[]) => boolean = isRunFolderContent): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (ours(names)) return;
  const foreign = names.filter((name) => !ours([name])).sort();
  const listed = foreign.length > 0 ? foreign : names;
  const shown = listed.slice(0, 3).join(', ') + (listed.length > 3 ? `, … (${listed.length} in all)` : '');
  throw usageError(`${dir}: holds files sparse-adam did not write (${shown}), so it is not used for ${what}; choose a new or empty folder (--out DIR)`);
}

export interface RunFolder {
  readonly dir: string;
  /** After each epoch: the metrics so far, and the record's progress. */
  epochEnd(rows: readonly MetricsRow[]): void;
  /** The final record; `completed` runs also get their weights saved. */
  end(status: Exclude<RunStatus, 'running'>, details: { params?: Params; divergedEpoch?: number; error?: string }): RunRecord;
}

export interface RunStart {
  id: string;
  backend: BackendInfo;
  data: string;
  data_fingerprint: string;
  init_fingerprint: string | null;
  sweep: SweepPlace | null;
}

/**
 * Start a run in `dir`, which the caller has claimed and checked (assertOwnFolder): the
 * files of an earlier, unfinished attempt there are replaced (nothing else is touched).
 */
export function startRunFolder(dir: string, config: Config, start: RunStart): RunFolder {
  makeDirectory(dir);
  for (const file of [RUN_FILES.metrics, RUN_FILES.weights]) fs.rmSync(path.join(dir, file), { force: true });
  const started = Date.now();
  const record: RunRecord = {
    id: start.id,
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
    backend: start.backend,
    data: start.data,
    data_fingerprint: start.data_fingerprint,
    init_fingerprint: start.init_fingerprint,
    sweep: start.sweep,
    error: null,
    final: null,
  };
  const write = () => writeFileAtomic(path.join(dir, RUN_FILES.record), `${JSON.stringify(record, null, 2)}\n`);
  write();
  writeFileAtomic(path.join(dir, RUN_FILES.config), configToYaml(config));
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
