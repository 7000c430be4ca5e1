import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { attemptFolder, recoverSwap, swapIn } from '../../src/results/replace';
import { withTempDir } from '../data/fixtures';

function folder(dir: string, status: string, tag: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify({ id: 'x', name: 'x', status, seed: 0, started_at: tag, ended_at: null, seconds: null, epochs_completed: 0, diverged_epoch: null, data: '', data_fingerprint: '', sweep: null, error: null, final: null }));
}

const tagOf = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')).started_at as string;

test('swapIn puts the finished attempt in place and removes the old folder', () =>
  withTempDir((dir) => {
    const run = path.join(dir, 'run');
    folder(run, 'completed', 'old');
    folder(attemptFolder(run), 'completed', 'new');
    swapIn(run, attemptFolder(run));
    assert.equal(tagOf(run), 'new');
    assert.deepEqual(fs.readdirSync(dir), ['run']);
  }));

test('after a crash between the two renames, recoverSwap puts the newer finished folder back', () =>
  withTempDir((dir) => {
    const run = path.join(dir, 'run');
    folder(`${run}.replaced-123`, 'completed', 'old');
    folder(`${run}.rerun-123`, 'completed', 'new');
    recoverSwap(run);
    assert.equal(tagOf(run), 'new');
    assert.deepEqual(fs.readdirSync(dir), ['run']);
  }));

test('recoverSwap restores the old result when the attempt had not finished', () =>
  withTempDir((dir) => {
    const run = path.join(dir, 'run');
    folder(`${run}.replaced-123`, 'completed', 'old');
    folder(`${run}.rerun-456`, 'running', 'new');
    recoverSwap(run);
    assert.equal(tagOf(run), 'old');
  }));

test('recoverSwap leaves a folder that is in place alone', () =>
  withTempDir((dir) => {
    const run = path.join(dir, 'run');
    folder(run, 'completed', 'current');
    folder(`${run}.replaced-123`, 'completed', 'old');
    recoverSwap(run);
    assert.equal(tagOf(run), 'current');
  }));
