/** run.json: what ran, where, on what, and how it ended. Rewritten atomically at each change. */
import type { BackendInfo } from '../backend/select';
import type { MetricsRow } from './metrics';
import { writeFileAtomic } from './atomic';

export type RunStatus = 'running' | 'completed' | 'failed';

export interface RunRecord {
  name: string;
  status: RunStatus;
  seed: number;
  started_at: string; // ISO 8601
  ended_at: string | null;
  epochs_completed: number;
  package: { name: string; version: string };
  node: string;
  backend: BackendInfo;
  data: string; // the dataset's description line
  error: string | null;
  final: MetricsRow | null; // the last epoch's row
}

export function packageInfo(): { name: string; version: string } {
  const pkg = require('../../../package.json') as { name: string; version: string };
  return { name: pkg.name, version: pkg.version };
}

export function writeRunRecord(file: string, record: RunRecord): void {
  writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
}
