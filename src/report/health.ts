/**
 * A run as the report judges it: its recorded status, or `blown up` for a run that completed
 * while its loss or reconstruction error left every sensible value behind without becoming
 * NaN (so it was never marked diverged). Pixels lie in [0, 1], so an all-black reconstruction
 * has an MSE of mean(x^2), about 0.1 on MNIST, and no reconstruction inside the pixel range
 * exceeds 1: a final train_loss, train_mse or test_mse above BLOWN_UP_MSE means the run blew up.
 * Only `completed` runs enter the verdicts, the charts' scales and the means.
 */
import type { RunStatus } from '../results/runFolder';
import { finalMetrics, type RunResult } from './read';

export type RunHealth = RunStatus | 'pending' | 'blown up';

export const BLOWN_UP_MSE = 1;

export function healthOf(run: RunResult): RunHealth {
  if (run.status !== 'completed') return run.status;
  const final = finalMetrics(run);
  const errors = [final?.train_loss, final?.train_mse, final?.test_mse].filter((value): value is number => value !== null && value !== undefined);
  return errors.some((value) => !(value <= BLOWN_UP_MSE)) ? 'blown up' : 'completed';
}

export function isHealthy(run: RunResult): boolean {
  return healthOf(run) === 'completed';
}
