/**
 * One run, in the order it happens: fresh optimizer, then for each epoch a training
 * pass (at that epoch's k, kSchedule.ts) and (every eval.every epochs, and always the
 * last) an evaluation. Files, bars and exits are the caller's: it hears of each step and
 * each epoch through `events`.
 */
import type { Config } from '../config/schema';
import type { Dataset } from '../data/dataset';
import { createRng, deriveSeed } from '../data/random';
import { assert } from '../errors';
import { evaluateModel } from '../eval/evaluate';
import type { Params } from '../model/params';
import { createOptimizer } from '../optim/optimizer';
import type { MetricsRow } from '../results/metrics';
import { batchCount } from './batches';
import { trainEpoch, type StepReport } from './epoch';
import { epochConfig } from './kSchedule';

export interface ExperimentEvents {
  onEpochStart?(epoch: number, steps: number): void;
  onStep?(epoch: number, report: StepReport): void;
  onEvaluate?(epoch: number): void;
  onEpochEnd?(row: MetricsRow, rows: readonly MetricsRow[]): void;
}

function isEvaluated(epoch: number, config: Config): boolean {
  return epoch % config.eval.every === 0 || epoch === config.train.epochs;
}

export interface ExperimentResult {
  rows: MetricsRow[]; // one per epoch trained, the diverged one included
  /** The epoch whose training loss became NaN or infinite; training stopped there. */
  divergedEpoch: number | null;
}

/**
 * Train `params` in place for config.train.epochs. Aborting `signal` stops at the next
 * step and rejects with its reason; the epoch under way is discarded.
 */
export async function runExperiment(
  config: Config,
  dataset: Dataset,
  params: Params,
  events: ExperimentEvents = {},
  signal?: AbortSignal,
): Promise<ExperimentResult> {
  const steps = batchCount(dataset.train, config.train.batch_size);
  // checkFeasible (src/config/feasible.ts) refuses such a config before anything runs.
  assert(steps >= 1, () => `${dataset.train.count} training images in batches of ${config.train.batch_size}: an epoch with no step`);
  const optimizer = createOptimizer(config.optimizer);
  const shuffleRng = createRng(deriveSeed(config.seed, 'shuffle'));
  const rows: MetricsRow[] = [];
  try {
    for (let epoch = 1; epoch <= config.train.epochs; epoch++) {
      events.onEpochStart?.(epoch, steps);
      const { diverged, ...trained } = await trainEpoch(
        params,
        optimizer,
        dataset.train,
        epochConfig(config, epoch),
        shuffleRng,
        (report) => events.onStep?.(epoch, report),
        signal,
      );
      let row: MetricsRow = { epoch, ...trained };
      if (diverged) {
        rows.push(row);
        events.onEpochEnd?.(row, rows);
        return { rows, divergedEpoch: epoch };
      }
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
  return { rows, divergedEpoch: null };
}
