/** Sweep throughput: the same 4-run sweep on --jobs 1 and --jobs 2 (wall time, fresh folders).
 *  Runs of 3 epochs on the embedded 8,000 images, so a worker's start (loading the data)
 *  weighs about as much as in a real sweep. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const SWEEP = `
name: bench-sweep
train: { epochs: 3 }
eval: { every: 3 }
sweep:
  optimizer.lr: [0.001, 0.003]
  optimizer.name: [adam, lazy-adam]
`;

function timeSweep(repo: string, dir: string, jobs: number): number {
  const start = performance.now();
  const run = spawnSync(process.execPath, [path.join(repo, 'bin', 'sparse-adam'), 'run', path.join(dir, 'sweep.yaml'), '--out', path.join(dir, `jobs${jobs}`), '--jobs', String(jobs)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`sweep failed: ${run.stderr}`);
  return (performance.now() - start) / 1000;
}

export function sweepThroughput(repo: string): { jobs1_seconds: number; jobs2_seconds: number; speedup: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparse-adam-bench-'));
  try {
    fs.writeFileSync(path.join(dir, 'sweep.yaml'), SWEEP);
    const jobs1 = timeSweep(repo, dir, 1);
    const jobs2 = timeSweep(repo, dir, 2);
    return { jobs1_seconds: jobs1, jobs2_seconds: jobs2, speedup: jobs1 / jobs2 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
