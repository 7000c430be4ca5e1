/**
 * A reader that goes away early (`sparse-adam run C | head -1`): the run goes on to its
 * end and records how it ended; no stack trace, no run left `running`. And the parent of a
 * `--jobs 2` sweep killed outright: its workers record their runs `interrupted` and exit.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { readRunRecord } from '../../src/results/runFolder';
import { withTempDir } from '../data/fixtures';
import { statusesOf, tinySweep, writeConfig } from '../sweep/sweepCli';
import { BIN, SHORT_RUN } from './cli';
import { childPids, HAS_PROC, isGone, waitUntil } from './processes';

/** Start the CLI with piped output; `closeAfterFirstLine` streams are destroyed once stdout has given one line. */
function runWithEarlyReader(args: string[], closeAfterFirstLine: ('stdout' | 'stderr')[]) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SPARSE_ADAM_DATA_DIR: '' } });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes('\n')) for (const name of closeAfterFirstLine) child[name].destroy();
  });
  return new Promise<{ code: number | null; firstLine: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, firstLine: stdout.split('\n')[0]!, stderr }));
  });
}

test('run | head -1: stdout closed after its first line; the run completes, exit 0, no stack on stderr', () =>
  withTempDir(async (dir) => {
    const out = path.join(dir, 'out');
    const result = await runWithEarlyReader(['run', writeConfig(dir, SHORT_RUN, 'piped.yaml'), '--out', out, '--backend', 'wasm'], ['stdout']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.firstLine, /^backend wasm/);
    assert.doesNotMatch(result.stderr, /EPIPE|Error|\bat \S+ \(/, 'no error, no stack');
    assert.match(result.stderr, /^epoch 3\/3 evaluating/m, 'progress is on stderr');
    assert.equal(readRunRecord(out)?.status, 'completed');
    assert.equal(fs.readFileSync(path.join(out, 'metrics.csv'), 'utf8').trim().split('\n').length, 4, 'header and 3 epochs');
  }));

test('run 2>&1 | head -1: both streams closed; the run still completes with exit 0', () =>
  withTempDir(async (dir) => {
    const out = path.join(dir, 'out');
    const result = await runWithEarlyReader(['run', writeConfig(dir, SHORT_RUN, 'piped.yaml'), '--out', out, '--backend', 'wasm'], ['stdout', 'stderr']);
    assert.equal(result.code, 0);
    assert.equal(readRunRecord(out)?.status, 'completed');
    assert.ok(fs.existsSync(path.join(out, 'weights.json')));
  }));

test('the parent of a --jobs 2 sweep killed (SIGKILL) mid-run: both workers record their runs interrupted and exit', { skip: !HAS_PROC && 'needs /proc to find the workers' }, () =>
  withTempDir(async (dir) => {
    const out = path.join(dir, 'out');
    const parent = spawn(process.execPath, [BIN, 'run', writeConfig(dir, tinySweep(40)), '--out', out, '--jobs', '2'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => parent.on('close', resolve));
    await waitUntil(() => statusesOf(out).filter((s) => s === 'running').length === 2, 120, 'two runs under way');
    const workers = childPids(parent.pid!);
    assert.equal(workers.length, 2, `the parent's children: ${workers}`);
    parent.kill('SIGKILL');
    await exited;
    await waitUntil(() => workers.every(isGone), 60, 'the workers to exit');
    assert.deepEqual(statusesOf(out), ['interrupted', 'interrupted']);
  }));
