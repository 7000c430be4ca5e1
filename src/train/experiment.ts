/**
 * One run, in the order it happens: fresh optimizer, then for each epoch a training
 * pass and (every eval.every epochs, and always the last) an evaluation. Files, bars
 * and exits are the caller's: it hears of each step and each epoch through `events`.
 */
import type { Config } from '../config/schema';
import type { Dataset } from '../data/dataset';
import { createRng, deriveSeed } from '../data/random';
import { evaluateModel } from '../eval/evaluate';
import type { Params } from '../model/params';
import { createOptimizer } from '../optim/optimizer';
import type { MetricsRow } from '../results/metrics';
import { batchCount } from './batches';
import { trainEpoch, type StepReport } from './epoch';

export interface ExperimentEvents {
  onEpochStart?(epoch: number, steps: number): void;
  onStep?(epoch: number, report: StepReport): void;
  onEvaluate?(epoch: number): void;
  onEpochEnd?(row: MetricsRow, rows: readonly MetricsRow[]): void;
}

function isEvaluated(epoch: number, config: Config): boolean {
  return epoch % config.eval.every === 0 || epoch === config.train.epochs;
}

/** Train `params` in place for config.train.epochs; returns one metrics row per epoch. */
export async function runExperiment(
  config: Config,
  dataset: Dataset,
  params: Params,
  events: ExperimentEvents = {},
): Promise<MetricsRow[]> {
  const optimizer = createOptimizer(config.optimizer);
  const shuffleRng = createRng(deriveSeed(config.seed, 'shuffle'));
  const steps = batchCount(dataset.train, config.train.batch_size);
  const rows: MetricsRow[] = [];
  try {
    for (let epoch = 1; epoch <= config.train.epochs; epoch++) {
      events.onEpochStart?.(epoch, steps);
      const trained = await trainEpoch(params, optimizer, dataset.train, config, shuffleRng, (report) =>
        events.onStep?.(epoch, report),
      );
      let row: MetricsRow = { epoch, ...trained };
      if (isEvaluated(epoch, config)) {
        events.onEvaluate?.(epoch);
        row = { ...row, ...evaluateModel(params, dataset, config) };
      }
      rows.push(row);
      events.onEpochEnd?.(row, rows);
    }
  } finally {
    optimizer.dispose();
  }
  return rows;
}
