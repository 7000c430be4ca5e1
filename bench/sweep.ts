/**
 * Sweep throughput: the same 4-run sweep on --jobs 1 and --jobs 2 (wall time, fresh
 * folders), on the bench's data: 2 epochs per run on the 24,000 images of ../shared/mnist
 * when present (else 3 epochs on the embedded 8,000), evaluated every epoch as by default.
 * Each worker first starts tfjs and loads the data (about 0.4 s), once per sweep.
 * The host's speed drifts by several percent from minute to minute, so the two are timed
 * in interleaved rounds (jobs 1, jobs 2, jobs 1, ...) and the median round counts.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { median } from './steps';

const SWEEP = (epochs: number) => `
name: bench-sweep
train: { epochs: ${epochs} }
sweep:
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

/** dataDir: an IDX folder, or null for the embedded subset. */
export function sweepThroughput(repo: string, dataDir: string | null, rounds: number): SweepThroughput {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparse-adam-bench-'));
  try {
    fs.writeFileSync(path.join(dir, 'sweep.yaml'), SWEEP(dataDir ? 2 : 3));
    const measured = Array.from({ length: rounds }, () => timeRound(repo, dir, dataDir));
    const data = dataDir ? `4 runs x 2 epochs on ${dataDir}` : '4 runs x 3 epochs on the embedded subset';
    return { data, rounds: measured, median_speedup: median(measured.map((r) => r.speedup)) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
