/**
 * A SIGTERM while the last epoch is being evaluated: the evaluation is synchronous, so
 * the signal is heard only once the run has completed. The run stays completed (weights
 * saved), and the process says so and exits 143, never 0 as if no signal had come.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { readRunRecord } from '../../src/results/runFolder';
import { withTempDir } from '../data/fixtures';
import { writeConfig } from '../sweep/sweepCli';
import { BIN } from './cli';

/** Two short epochs and a long evaluation (many classifier passes), so the signal lands inside it. */
const LONG_EVALUATION = `
name: late-signal
data: { train_limit: 1000, test_limit: 300 }
model: { hidden: 50, k: 10 }
train: { epochs: 2, batch_size: 50 }
eval: { classifier_epochs: 150, classifier_l2: [0.001, 0.01] }
`;

test('SIGTERM during the last evaluation: exit 143, a line saying the run completed, run.json completed with its weights', () =>
  withTempDir(async (dir) => {
    const out = path.join(dir, 'out');
    const child = spawn(process.execPath, [BIN, 'run', writeConfig(dir, LONG_EVALUATION, 'c.yaml'), '--out', out, '--backend', 'wasm'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SPARSE_ADAM_DATA_DIR: '' },
    });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (signalled || !/^epoch 2\/2 evaluating/m.test(stderr)) return;
      signalled = true;
      child.kill('SIGTERM');
    });
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(code, 143, stderr);
    const lines = stderr.trim().split('\n');
    assert.equal(lines.at(-1), `sparse-adam: interrupted by SIGTERM after the run completed: ${out}/ holds all of it`);
    assert.match(stdout, /^epoch 2\/2 train_loss .* test_accuracy /m, 'the last epoch was recorded');
    assert.equal(readRunRecord(out)?.status, 'completed');
    assert.equal(readRunRecord(out)?.epochs_completed, 2);
    assert.ok(fs.existsSync(path.join(out, 'weights.json')));
  }));
