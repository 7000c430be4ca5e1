/**
 * Sweep throughput: the same 4-run sweep on --jobs 1 and --jobs 2 (wall time, fresh
 * folders), on the bench's data (the 24,000 images of ../shared/mnist when present, else
 * the embedded 8,000), evaluated every epoch as by default, at two run lengths:
 * - `default`: runs of the default length (train.epochs as the config schema sets it), the
 *   sweep a researcher runs;
 * - `short`: 2 epochs per run (3 on the embedded data), where what each worker pays once
 *   weighs most: starting tfjs and loading the data (about 0.4 s) and V8 compiling the hot
 *   code (its first run's first epochs; in --jobs 1 the compiler has the idle core).
 * The host's speed drifts by several percent from minute to minute, so the two are timed
 * in interleaved rounds (jobs 1, jobs 2, jobs 1, ...) and the median round counts.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configSchema } from '../src/config/schema';
import { median } from './steps';

/** The sweep's config: `epochs` per run, or null for the schema's default. */
const SWEEP = (epochs: number | null) => `
name: bench-sweep
${epochs === null ? '' : `train: { epochs: ${epochs} }\n`}sweep:
  optimizer.lr: [0.001, 0.003]
  optimizer.name: [adam, lazy-adam]
`;

export interface SweepRound {
  jobs1_seconds: number;
  jobs2_seconds: number;
  speedup: number; // jobs1_seconds / jobs2_seconds
}

export interface SweepThroughput {
  data: string;
  rounds: SweepRound[];
  median_speedup: number;
}

export interface SweepThroughputs {
  default_length: SweepThroughput; // runs of train.epochs' default: the sweep researchers run
  short: SweepThroughput; // 2-epoch runs: each worker's start and warm-up weigh most
}

function timeSweep(repo: string, dir: string, jobs: number, dataDir: string | null): number {
  const args = [path.join(repo, 'bin', 'sparse-adam'), 'run', path.join(dir, 'sweep.yaml'), '--out', path.join(dir, `jobs${jobs}`), '--jobs', String(jobs)];
  const start = performance.now();
  const run = spawnSync(process.execPath, dataDir ? [...args, '--data-dir', dataDir] : args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`sweep failed: ${run.stderr}`);
  return (performance.now() - start) / 1000;
}

/** One round: the sweep on --jobs 1, then on --jobs 2, each into a fresh folder. */
function timeRound(repo: string, dir: string, dataDir: string | null): SweepRound {
  fs.rmSync(path.join(dir, 'jobs1'), { recursive: true, force: true });
  fs.rmSync(path.join(dir, 'jobs2'), { recursive: true, force: true });
  const jobs1 = timeSweep(repo, dir, 1, dataDir);
  const jobs2 = timeSweep(repo, dir, 2, dataDir);
  return { jobs1_seconds: jobs1, jobs2_seconds: jobs2, speedup: jobs1 / jobs2 };
}

/** The sweep at one run length (epochs per run; null: the default) in interleaved rounds. */
function sweepAtLength(repo: string, dataDir: string | null, epochs: number | null, rounds: number): SweepThroughput {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparse-adam-bench-'));
  try {
    fs.writeFileSync(path.join(dir, 'sweep.yaml'), SWEEP(epochs));
    const length = epochs === null ? `${configSchema.parse({}).train.epochs} epochs (the default)` : `${epochs} epochs`;
    const data = `4 runs x ${length} on ${dataDir ?? 'the embedded subset'}`;
    const measured = Array.from({ length: rounds }, (_, n) => {
      const round = timeRound(repo, dir, dataDir);
      console.log(`sweep ${data}, round ${n + 1}: ${round.jobs1_seconds.toFixed(1)} s / ${round.jobs2_seconds.toFixed(1)} s = ${round.speedup.toFixed(2)}x`);
      return round;
    });
    return { data, rounds: measured, median_speedup: median(measured.map((r) => r.speedup)) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** dataDir: an IDX folder, or null for the embedded subset. */
export function sweepThroughput(repo: string, dataDir: string | null, rounds: number): SweepThroughputs {
  return {
    default_length: sweepAtLength(repo, dataDir, null, rounds),
    short: sweepAtLength(repo, dataDir, dataDir ? 2 : 3, rounds),
  };
}
