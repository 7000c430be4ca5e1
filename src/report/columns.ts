/**
 * The report's one vocabulary: a run's settings under their config keys (summary.csv's
 * column names for swept keys) and its results under metrics.csv's column names, plus
 * test_error = 1 - test_accuracy. Tables and chart axes use these names and nothing else.
 */
import type { Config } from '../config/schema';
import { finalMetrics, type RunResult } from './read';

export type Setting = 'optimizer.name' | 'optimizer.lr' | 'train.mode' | 'seed';

const SETTING_IN_CONFIG: Record<Setting, (config: Config) => string | number> = {
  'optimizer.name': (config) => config.optimizer.name,
  'optimizer.lr': (config) => config.optimizer.lr,
  'train.mode': (config) => config.train.mode,
  seed: (config) => config.seed,
};

/** A setting of the run: from its config, or for a run never started from its swept values. */
export function settingOf(run: RunResult, key: Setting): string | number | null {
  return run.config ? SETTING_IN_CONFIG[key](run.config) : (run.values[key] ?? null);
}

export function optimizerOf(run: RunResult): string {
  return String(settingOf(run, 'optimizer.name') ?? '');
}

export function learningRateOf(run: RunResult): number {
  return Number(settingOf(run, 'optimizer.lr'));
}

/** The run's seed; a run never started and not swept over seeds has the default, 0. */
export function seedOf(run: RunResult): number {
  return Number(settingOf(run, 'seed') ?? 0);
}

/** 1 - test_accuracy of the final evaluation. */
export function testErrorOf(run: RunResult): number | null {
  const accuracy = finalMetrics(run)?.test_accuracy ?? null;
  return accuracy === null ? null : 1 - accuracy;
}
