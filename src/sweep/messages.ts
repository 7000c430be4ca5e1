/** What the sweep's parent process and its workers say to each other over IPC. */
import type { BackendInfo } from '../backend/select';
import type { MetricsRow } from '../results/metrics';
import type { StepReport } from '../train/epoch';
import type { RunLabel } from './display';
import type { RunOutcome } from './execute';
import type { SweepJob } from './run';

export type ToWorker = { type: 'run'; job: SweepJob; label: RunLabel };

export type FromWorker =
  | { type: 'backend'; info: BackendInfo }
  | { type: 'dataset'; description: string }
  | { type: 'step'; epoch: number; report: StepReport }
  | { type: 'epochEnd'; row: MetricsRow }
  | { type: 'runEnd'; outcome: RunOutcome }
  /** The run could not go on: interrupted (exit code 130/143) or an error before it started. */
  | { type: 'stopped'; message: string; exitCode: number };
