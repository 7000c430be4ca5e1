/**
 * One experiment of a reproduction, read back from its sweep folder: the runs listed in
 * summary.csv (pending ones too), each with its resolved config, its run.json and its
 * metrics.csv rows as numbers. The report and the verdicts both start from this.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { resolveConfig } from '../config/load';
import type { Config } from '../config/schema';
import { runtimeError } from '../errors';
import { METRICS_COLUMNS } from '../results/metrics';
import { readRunRecord, RUN_FILES, type RunRecord, type RunStatus } from '../results/runFolder';
import { runDir } from '../sweep/summary';
import type { ExperimentRef } from './types';

export type MetricsColumn = (typeof METRICS_COLUMNS)[number];

/** One metrics.csv row; an empty cell (not evaluated that epoch, or `mask` mode's gathered_fraction) is null. */
export type EpochMetrics = Record<MetricsColumn, number | null>;

export interface RunResult {
  id: string;
  dir: string;
  values: Record<string, string | number>; // the swept keys' values, as summary.csv has them
  status: RunStatus | 'pending'; // pending: in the sweep, never started
  config: Config | null; // the run's config.yaml, resolved; null when the run never started
  record: RunRecord | null;
  metrics: EpochMetrics[]; // one per completed epoch
  weightsFile: string | null; // only completed runs save their weights
}

export interface ExperimentRuns {
  ref: ExperimentRef;
  sweptKeys: string[]; // summary.csv's columns between `id` and `status`
  runs: RunResult[]; // in summary.csv's order
}

export function readExperiment(ref: ExperimentRef): ExperimentRuns {
  const table = readCsv(path.join(ref.dir, 'summary.csv'));
  const header = table[0] ?? [];
  const sweptKeys = header.slice(1, header.indexOf('status'));
  const runs = table.slice(1).map((cells) => {
    const id = cells[0] ?? '';
    const values = Object.fromEntries(sweptKeys.map((key, i) => [key, numberOrText(cells[i + 1] ?? '')]));
    return readRun(runDir(ref.dir, id), id, values);
  });
  return { ref, sweptKeys, runs };
}

/** The last epoch's metrics (the final evaluation), or null when no epoch completed. */
export function finalMetrics(run: RunResult): EpochMetrics | null {
  return run.metrics.at(-1) ?? null;
}

function readRun(dir: string, id: string, values: Record<string, string | number>): RunResult {
  const record = readRunRecord(dir);
  const configFile = path.join(dir, RUN_FILES.config);
  const metricsFile = path.join(dir, RUN_FILES.metrics);
  const weightsFile = path.join(dir, RUN_FILES.weights);
  return {
    id,
    dir,
    values,
    status: record?.status ?? 'pending',
    config: fs.existsSync(configFile) ? resolveConfig({ file: configFile }) : null,
    record,
    metrics: fs.existsSync(metricsFile) ? readMetrics(metricsFile) : [],
    weightsFile: fs.existsSync(weightsFile) ? weightsFile : null,
  };
}

function readMetrics(file: string): EpochMetrics[] {
  const [header = [], ...rows] = readCsv(file);
  return rows.map((cells) => {
    const cellOf = (column: MetricsColumn) => cells[header.indexOf(column)] ?? '';
    return Object.fromEntries(METRICS_COLUMNS.map((column) => [column, numberOrNull(cellOf(column))])) as EpochMetrics;
  });
}

function readCsv(file: string): string[][] {
  if (!fs.existsSync(file)) throw runtimeError(`${file}: no such file`);
  return parse(fs.readFileSync(file, 'utf8'), { skip_empty_lines: true }) as string[][];
}

function numberOrNull(cell: string): number | null {
  return cell === '' ? null : Number(cell);
}

function numberOrText(cell: string): string | number {
  const value = Number(cell);
  return cell !== '' && Number.isFinite(value) ? value : cell;
}
