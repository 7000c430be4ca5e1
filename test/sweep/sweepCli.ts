/** Helpers for sweep tests through the real CLI: a tiny sweep config and summaries to compare. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRunRecord } from '../../src/results/runFolder';
import { readCsv } from '../cli/cli';

/** Four runs of 50 cells on 500 embedded images; `epochs` sets how long each takes. */
export function tinySweep(epochs: number): string {
  return `
name: tiny-sweep
data: { train_limit: 500, test_limit: 200 }
model: { hidden: 50, k: 10 }
train: { epochs: ${epochs}, batch_size: 50 }
eval: { classifier_epochs: 3, classifier_l2: [0.001] }
sweep:
  optimizer.lr: [0.001, 0.01]
  optimizer.name: [adam, lazy-adam]
`;
}

/** summary.csv rows without the wall-time column, which no two runs share. */
export function summaryWithoutTimes(file: string): Record<string, string>[] {
  return readCsv(fs.readFileSync(file, 'utf8')).map(({ seconds: _seconds, ...row }) => row);
}

export function writeConfig(dir: string, text: string, name = 'sweep.yaml'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** The status in each run folder of a sweep's `out` (none yet: an empty list). */
export function statusesOf(out: string): string[] {
  const runs = path.join(out, 'runs');
  if (!fs.existsSync(runs)) return [];
  return fs.readdirSync(runs).map((id) => readRunRecord(path.join(runs, id))?.status ?? 'none');
}
