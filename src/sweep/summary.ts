/**
 * summary.csv: one row per run of a sweep (or of one shard of it): the swept values,
 * status and final metrics, read from the runs' own run.json files. Rebuilt from those
 * files after every run, under a lock and replaced atomically, so it is never truncated,
 * always agrees with the run folders, and two processes writing it at once cannot lose a
 * row: each rebuild reads every run.json after the last one written before it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createObjectCsvStringifier } from 'csv-writer';
import { writeFileAtomic } from '../results/atomic';
import { withLock } from '../results/claim';
import { HEADLINE_METRICS } from '../results/metrics';
import { inspectRunRecord, shownStatus, type RecordRead } from '../results/runFolder';
import type { Shard } from './shard';

export interface SummaryEntry {
  id: string;
  values: Record<string, unknown>; // the swept keys' values of this run
  dir: string; // the run's folder
}

export type SummaryRow = Record<string, string | number>;

function cell(value: unknown): string | number {
  if (value === null || value === undefined) return '';
  return typeof value === 'number' ? value : String(value);
}

/** A row from what the run's folder holds: `pending` before it starts, `unreadable` for a
 *  run.json that is not one, `killed` for a `running` one whose process is gone. */
export function summaryRow(entry: SummaryEntry, read: RecordRead): SummaryRow {
  const row: SummaryRow = { id: entry.id };
  for (const [key, value] of Object.entries(entry.values)) row[key] = cell(value);
  const record = read.state === 'ok' ? read.record : null;
  row.status = record ? shownStatus(entry.dir, record) : read.state === 'corrupt' ? 'unreadable' : 'pending';
  row.epochs_completed = cell(record?.epochs_completed);
  row.diverged_epoch = cell(record?.diverged_epoch);
  for (const metric of HEADLINE_METRICS) row[metric] = cell(record?.final?.[metric]);
  row.seconds = cell(record?.seconds);
  return row;
}

export function summaryCsv(rows: readonly SummaryRow[], sweptKeys: readonly string[]): string {
  const columns = ['id', ...sweptKeys, 'status', 'epochs_completed', 'diverged_epoch', ...HEADLINE_METRICS, 'seconds'];
  const csv = createObjectCsvStringifier({ header: columns.map((id) => ({ id, title: id })) });
  return csv.getHeaderString() + csv.stringifyRecords([...rows]);
}

/** Rewrite `file` from the current run.json of every entry. */
export function writeSummary(file: string, entries: readonly SummaryEntry[], sweptKeys: readonly string[]): void {
  withLock(`${file}.lock`, () => {
    const rows = entries.map((entry) => summaryRow(entry, inspectRunRecord(entry.dir)));
    writeFileAtomic(file, summaryCsv(rows, sweptKeys));
  });
}

export function summaryFileName(shard: Shard | undefined): string {
  return shard && shard.count > 1 ? `summary-shard-${shard.index}-of-${shard.count}.csv` : 'summary.csv';
}

export function runDir(sweepDir: string, id: string): string {
  return path.join(sweepDir, 'runs', id);
}

/** The run folders under `sweepDir/runs/`, by id (folder name). */
export function runFolders(sweepDir: string): { id: string; dir: string }[] {
  const runs = path.join(sweepDir, 'runs');
  if (!fs.existsSync(runs)) return [];
  return fs
    .readdirSync(runs, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({ id: entry.name, dir: path.join(runs, entry.name) }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Whether a folder's entries are a sweep folder's: runs/, its base config, summaries and
 *  their locks, and temporary files of atomic writes. */
export function isSweepFolderContent(names: readonly string[]): boolean {
  const isSweepFile = (name: string) =>
    name === 'runs' || name === 'sweep.yaml' || /^summary(-shard-\d+-of-\d+)?\.csv(\.lock(\.[\w-]+\.tmp|\.takeover)?)?$/.test(name) || /^\..+\.\d+\.tmp$/.test(name);
  return names.every(isSweepFile);
}
