/**
 * summary.csv: one row per run of a sweep (or of one shard of it): the swept values,
 * status and final metrics, read from the runs' own run.json files. Rewritten atomically
 * after every run, so it is never truncated and always agrees with the run folders.
 */
import * as path from 'node:path';
import { createObjectCsvStringifier } from 'csv-writer';
import { writeFileAtomic } from '../results/atomic';
import { HEADLINE_METRICS } from '../results/metrics';
import { readRunRecord, type RunRecord } from '../results/runFolder';
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

export function summaryRow(entry: SummaryEntry, record: RunRecord | null): SummaryRow {
  const row: SummaryRow = { id: entry.id };
  for (const [key, value] of Object.entries(entry.values)) row[key] = cell(value);
  row.status = record?.status ?? 'pending';
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
  const rows = entries.map((entry) => summaryRow(entry, readRunRecord(entry.dir)));
  writeFileAtomic(file, summaryCsv(rows, sweptKeys));
}

export function summaryFileName(shard: Shard | undefined): string {
  return shard && shard.count > 1 ? `summary-shard-${shard.index}-of-${shard.count}.csv` : 'summary.csv';
}

export function runDir(sweepDir: string, id: string): string {
  return path.join(sweepDir, 'runs', id);
}
