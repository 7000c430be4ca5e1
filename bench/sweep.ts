/**
 * Sweep throughput: the same 4-run sweep on --jobs 1 and --jobs 2 (wall time, fresh
 * folders), on the bench's data: 2 epochs per run on the 24,000 images of ../shared/mnist
 * when present (else 3 epochs on the embedded 8,000), evaluated every epoch as by default.
 * Each worker first starts tfjs and loads the data (about 0.6 s), once per sweep.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const SWEEP = (epochs: number) => `
name: bench-sweep
train: { epochs: ${epochs} }
sweep:
  optimizer.lr: [0.001, 0.003]
  optimizer.name: [adam, lazy-adam]
`;

export interface SweepThroughput {
  data: string;
  jobs1_seconds: number;
  jobs2_seconds: number;
  speedup: number;
}

function timeSweep(repo: string, dir: string, jobs: number, dataDir: string | null): number {
  const args = [path.join(repo, 'bin', 'sparse-adam'), 'run', path.join(dir, 'sweep.yaml'), '--out', path.join(dir, `jobs${jobs}`), '--jobs', String(jobs)];
  const start = performance.now();
  const run = spawnSync(process.execPath, dataDir ? [...args, '--data-dir', dataDir] : args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`sweep failed: ${run.stderr}`);
  return (performance.now() - start) / 1000;
}

/** dataDir: an IDX folder, or null for the embedded subset. */
export function sweepThroughput(repo: string, dataDir: string | null): SweepThroughput {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparse-adam-bench-'));
  try {
    fs.writeFileSync(path.join(dir, 'sweep.yaml'), SWEEP(dataDir ? 2 : 3));
    const jobs1 = timeSweep(repo, dir, 1, dataDir);
    const jobs2 = timeSweep(repo, dir, 2, dataDir);
    const data = dataDir ? `4 runs x 2 epochs on ${dataDir}` : '4 runs x 3 epochs on the embedded subset';
    return { data, jobs1_seconds: jobs1, jobs2_seconds: jobs2, speedup: jobs1 / jobs2 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
