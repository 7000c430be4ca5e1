/**
 * Hand-built experiments for the verdict tests: runs held in memory (no folders), each with
 * its config and one final metrics row whose values the test gives. Unset metrics are null.
 */
import { configSchema } from '../../src/config/schema';
import { METRICS_COLUMNS } from '../../src/results/metrics';
import type { EpochMetrics, ExperimentRuns, RunResult } from '../../src/report/read';

export type Final = Partial<Record<keyof EpochMetrics, number>>;

export interface RunSpec {
  optimizer: string;
  lr: number;
  seed: number;
  status?: RunResult['status'];
  final: Final;
}

const MODE: Record<string, 'mask' | 'gather' | 'gather-remask'> = { mask: 'mask', 'gather-lifetime': 'gather', gather: 'gather', 'gather-remask': 'gather-remask' };

export function makeRun(experiment: string, spec: RunSpec): RunResult {
  const config = configSchema.parse({
    name: experiment,
    seed: spec.seed,
    model: { lifetime_sparsity: experiment === 'gather-lifetime' },
    train: { mode: MODE[experiment] ?? 'mask' },
    optimizer: { name: spec.optimizer, lr: spec.lr },
  });
  const status = spec.status ?? 'completed';
  const row = Object.fromEntries(METRICS_COLUMNS.map((column) => [column, spec.final[column] ?? null])) as EpochMetrics;
  return {
    id: `${experiment}-${spec.optimizer}-${spec.lr}-${spec.seed}`,
    dir: `/nowhere/${experiment}`,
    values: { 'optimizer.name': spec.optimizer, 'optimizer.lr': spec.lr, seed: spec.seed },
    status,
    config: status === 'pending' ? null : config,
    record: null,
    metrics: status === 'pending' ? [] : [{ ...row, epoch: 2 }],
    weightsFile: null,
  };
}

export function makeExperiment(name: string, specs: readonly RunSpec[]): ExperimentRuns {
  return { ref: { name, finding: '-', dir: `/nowhere/${name}` }, sweptKeys: ['optimizer.name', 'optimizer.lr', 'seed'], runs: specs.map((spec) => makeRun(name, spec)) };
}

/**
 * One optimizer's runs at one rate, a seed per entry of `errors` (test error, so test_accuracy
 * = 1 - error); validation accuracy defaults to 1 - error, the other metrics to `rest`.
 */
export function atRate(optimizer: string, lr: number, errors: readonly number[], rest: (seed: number) => Final = () => ({})): RunSpec[] {
  return errors.map((error, seed) => ({
    optimizer,
    lr,
    seed,
    final: { test_accuracy: 1 - error, validation_accuracy: 1 - error, test_mse: 0.02, train_mse: 0.02, train_loss: 0.01, ...rest(seed) },
  }));
}
