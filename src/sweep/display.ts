/**
 * What a sweep tells the terminal, as events; the CLI draws them (src/cli/sweepDisplay.ts).
 * `slot` is the worker (0 when runs go one after another in this process).
 */
import type { BackendInfo } from '../backend/select';
import type { MetricsRow } from '../results/metrics';
import type { RunOutcome } from './execute';
import type { StepReport } from '../train/epoch';

export interface RunLabel {
  id: string;
  values: Record<string, unknown>;
  epochs: number;
  number: number; // 1-based position among the runs to do
  total: number;
}

export interface SweepDisplay {
  backend(info: BackendInfo): void;
  dataset(description: string): void;
  runStart(slot: number, run: RunLabel): void;
  step(slot: number, epoch: number, report: StepReport): void;
  epochEnd(slot: number, row: MetricsRow): void;
  /** The run ended, or was left alone (another process has it, or it was found done). */
  runEnd(slot: number, outcome: RunOutcome): void;
  stop(): void;
}
