/**
 * metrics.csv: one row per epoch. The whole file is rewritten atomically after each
 * epoch (csv-writer's stringifier + rename), so it never holds a half row.
 * Columns are documented in the README ("CSV columns"); names match the log lines.
 */
import { createObjectCsvStringifier } from 'csv-writer';
import type { Evaluation } from '../eval/evaluate';
import type { EpochResult } from '../train/epoch';
import { writeFileAtomic } from './atomic';

export type MetricsRow = { epoch: number } & Omit<EpochResult, 'diverged'> & Partial<Evaluation>;

export const METRICS_COLUMNS: (keyof MetricsRow)[] = [
  'epoch',
  'train_loss',
  'train_mse',
  'test_mse',
  'train_accuracy',
  'validation_accuracy',
  'test_accuracy',
  'classifier_l2',
  'dead_cells',
  'gathered_fraction',
  'active_per_sample',
  'rows_changed_fraction',
  'seconds',
  'samples_per_second',
  'eval_seconds',
];

/** The columns that say how a run is doing: epoch summary lines and summary.csv show these. */
export const HEADLINE_METRICS: (keyof MetricsRow)[] = [
  'train_loss',
  'train_mse',
  'test_mse',
  'train_accuracy',
  'test_accuracy',
  'dead_cells',
  'gathered_fraction',
  'active_per_sample',
  'rows_changed_fraction',
];

export function metricsCsv(rows: readonly MetricsRow[]): string {
  const csv = createObjectCsvStringifier({ header: METRICS_COLUMNS.map((id) => ({ id, title: id })) });
  return csv.getHeaderString() + csv.stringifyRecords([...rows]);
}

export function writeMetrics(file: string, rows: readonly MetricsRow[]): void {
  writeFileAtomic(file, metricsCsv(rows));
}
