/** The PyTorch peer (../shared/bench/torch_ksae.py), run in the same session when torch is there. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

const PYTHON = '/usr/bin/python3';

export function peerAvailable(script: string): string | null {
  if (!fs.existsSync(script)) return `${script} not found`;
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  return probe.status === 0 ? null : `${PYTHON} cannot import torch (apt-get install python3-torch libopenblas0-pthread)`;
}

/** The peer's median ms per step on the first `limit` training images (1 thread, as ours). */
export function runPeer(script: string, dataDir: string, limit: number): number {
  const run = spawnSync(PYTHON, [script, '--data', dataDir, '--epochs', '1', '--limit', String(limit), '--threads', '1'], { encoding: 'utf8' });
  const match = /ms_per_step ([\d.]+)/.exec(run.stdout);
  if (run.status !== 0 || !match) throw new Error(`peer failed: ${run.stderr.trim().split('\n').pop()}`);
  return Number(match[1]);
}
