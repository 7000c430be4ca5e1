/**
 * `sparse-adam run [CONFIG]`: resolve the config, pick the backend, load the data, train
 * and evaluate, and write results/<name>/ (config.yaml, metrics.csv, weights.json, run.json).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { selectBackend, type BackendInfo } from '../backend/select';
import { configToYaml } from '../config/format';
import { resolveConfig } from '../config/load';
import type { Config } from '../config/schema';
import type { Dataset } from '../data/dataset';
import { loadDataset, resolveDataDir } from '../data/load';
import { initParams, disposeParams, type Params } from '../model/params';
import { writeMetrics } from '../results/metrics';
import { packageInfo, writeRunRecord, type RunRecord } from '../results/runRecord';
import { loadWeights, saveWeights } from '../results/weights';
import { runExperiment } from '../train/experiment';
import { createDownloadProgress } from './downloadBar';
import { createProgress } from './progress';
import { abortOnSignals } from './signals';

export interface RunOptions {
  set: string[];
  dataDir?: string;
  backend?: string;
  out?: string;
  initFrom?: string;
}

/** Flags are shorthands for `--set`; --data-dir also selects the IDX source. */
function flagSets(options: RunOptions): string[] {
  const sets = [...options.set];
  if (options.dataDir !== undefined) sets.push('data.source=idx', `data.dir=${options.dataDir}`);
  if (options.backend !== undefined) sets.push(`backend=${options.backend}`);
  if (options.out !== undefined) sets.push(`out=${options.out}`);
  if (options.initFrom !== undefined) sets.push(`init_from=${options.initFrom}`);
  return sets;
}

/** Defaults, file, environment, then --set and flags; the saved config records the data folder used. */
export function resolveRunConfig(file: string | undefined, options: RunOptions): Config {
  const sets = flagSets(options);
  const config = resolveConfig({ file, sets });
  if (config.data.source !== 'idx') return config;
  const dir = resolveDataDir(options.dataDir, process.env, config.data.dir);
  return dir === config.data.dir ? config : resolveConfig({ file, sets: [...sets, `data.dir=${dir}`] });
}

function outputDir(config: Config): string {
  return config.out ?? path.join('results', config.name);
}

export async function runCommand(file: string | undefined, options: RunOptions): Promise<void> {
  const config = resolveRunConfig(file, options);
  const backend = await selectBackend(config.backend);
  console.log(`backend ${backend.name}${backend.skipped.length ? ` (skipped ${backend.skipped.join('; ')})` : ''}`);
  const download = createDownloadProgress();
  const dataset = await abortOnSignals((signal) =>
    loadDataset(config.data, {
      dataDir: config.data.dir ?? '',
      seed: config.seed,
      onDownloadProgress: download.onProgress,
      downloadOptions: { signal },
    }),
  ).finally(download.stop);
  console.log(`data ${dataset.description}`);
  const params = config.init_from
    ? loadWeights(config.init_from, config.model, dataset.train.pixels)
    : initParams(config.model, dataset.train.pixels, config.seed);
  try {
    await trainAndSave(config, dataset, params, backend);
  } finally {
    disposeParams(params);
  }
}

async function trainAndSave(
  config: Config,
  dataset: Dataset,
  params: Params,
  backend: BackendInfo,
): Promise<void> {
  const out = outputDir(config);
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'config.yaml'), configToYaml(config));
  const record: RunRecord = {
    name: config.name,
    status: 'running',
    seed: config.seed,
    started_at: new Date().toISOString(),
    ended_at: null,
    epochs_completed: 0,
    package: packageInfo(),
    node: process.version,
    backend,
    data: dataset.description,
    error: null,
    final: null,
  };
  const recordFile = path.join(out, 'run.json');
  writeRunRecord(recordFile, record);
  const progress = createProgress(config.train.epochs);
  try {
    await runExperiment(config, dataset, params, {
      ...progress,
      onEpochEnd(row, rows) {
        progress.onEpochEnd?.(row, rows);
        writeMetrics(path.join(out, 'metrics.csv'), rows);
        Object.assign(record, { epochs_completed: row.epoch, final: row });
        writeRunRecord(recordFile, record);
      },
    });
  } catch (error) {
    progress.stop();
    writeRunRecord(recordFile, { ...record, status: 'failed', ended_at: new Date().toISOString(), error: String(error) });
    throw error;
  }
  saveWeights(path.join(out, 'weights.json'), params);
  writeRunRecord(recordFile, { ...record, status: 'completed', ended_at: new Date().toISOString() });
  console.log(`wrote ${out}/ (metrics.csv, weights.json, config.yaml, run.json)`);
}
