import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { BIN, readCsv, runCli } from '../cli/cli';
import { withTempDir } from '../data/fixtures';
import { waitUntil } from '../cli/processes';
import { statusesOf, summaryWithoutTimes, tinySweep, writeConfig } from './sweepCli';

test('a sweep writes one folder per run and a summary row per run; running it again skips them all', () =>
  withTempDir(async (dir) => {
    const config = writeConfig(dir, tinySweep(1));
    const first = await runCli(['run', config, '--out', path.join(dir, 'out'), '--jobs', '1']);
    assert.equal(first.code, 0, first.stderr);
    const rows = readCsv(fs.readFileSync(path.join(dir, 'out', 'summary.csv'), 'utf8'));
    assert.deepEqual(rows.map((r) => [r['optimizer.lr'], r['optimizer.name'], r.status]), [
      ['0.001', 'adam', 'completed'],
      ['0.001', 'lazy-adam', 'completed'],
      ['0.01', 'adam', 'completed'],
      ['0.01', 'lazy-adam', 'completed'],
    ]);
    for (const row of rows) assert.ok(fs.existsSync(path.join(dir, 'out', 'runs', row.id!, 'metrics.csv')), row.id);
    const again = await runCli(['run', config, '--out', path.join(dir, 'out')]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /4 already done, 0 to redo \(interrupted or failed\), 0 new/);
  }));

test('--jobs 2 gives the same summary as --jobs 1 (determinism across processes)', () =>
  withTempDir(async (dir) => {
    const config = writeConfig(dir, tinySweep(1));
    for (const jobs of ['1', '2']) {
      const result = await runCli(['run', config, '--out', path.join(dir, `jobs${jobs}`), '--jobs', jobs]);
      assert.equal(result.code, 0, result.stderr);
    }
    assert.deepEqual(summaryWithoutTimes(path.join(dir, 'jobs2', 'summary.csv')), summaryWithoutTimes(path.join(dir, 'jobs1', 'summary.csv')));
  }));

test('a learning rate so large it diverges ends that run as diverged; the others complete', () =>
  withTempDir(async (dir) => {
    const config = writeConfig(dir, tinySweep(2).replace('optimizer.lr: [0.001, 0.01]', 'optimizer.lr: [0.01, 100000]').replace('[adam, lazy-adam]', '[sgd]'));
    const result = await runCli(['run', config, '--out', path.join(dir, 'out'), '--jobs', '1']);
    assert.equal(result.code, 0, result.stderr);
    const rows = readCsv(fs.readFileSync(path.join(dir, 'out', 'summary.csv'), 'utf8'));
    assert.deepEqual(rows.map((r) => [r['optimizer.lr'], r.status, r.diverged_epoch]), [
      ['0.01', 'completed', ''],
      ['100000', 'diverged', '1'],
    ]);
  }));

test('SIGTERM mid-sweep: exit 143, the run under way marked interrupted, CSVs whole; resuming loses nothing', () =>
  withTempDir(async (dir) => {
    const config = writeConfig(dir, tinySweep(6));
    const out = path.join(dir, 'out');
    const child = spawn(process.execPath, [BIN, 'run', config, '--out', out, '--jobs', '1'], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Kill once the first run is complete and the second under way.
    await waitUntil(() => { const s = statusesOf(out); return s.includes('completed') && s.includes('running'); }, 60, 'a second run');
    child.kill('SIGTERM');
    assert.equal(await exited, 143);

    const rows = readCsv(fs.readFileSync(path.join(out, 'summary.csv'), 'utf8'));
    const statuses = rows.map((r) => r.status);
    assert.ok(statuses.includes('interrupted'), `statuses after SIGTERM: ${statuses}`);
    for (const row of rows.filter((r) => r.status !== 'pending')) {
      // metrics.csv appears with the first finished epoch; an epoch cut short leaves no trace.
      const file = path.join(out, 'runs', row.id!, 'metrics.csv');
      const metrics = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      assert.equal(readCsv(metrics || 'epoch\n').length, Number(row.epochs_completed), `${row.id}: one row per completed epoch`);
      assert.ok(metrics === '' || metrics.endsWith('\n'), `${row.id}: whole rows only`);
    }

    const resumed = await runCli(['run', config, '--out', out, '--jobs', '1']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /1 to redo/);
    const clean = await runCli(['run', config, '--out', path.join(dir, 'clean'), '--jobs', '1']);
    assert.equal(clean.code, 0, clean.stderr);
    assert.deepEqual(summaryWithoutTimes(path.join(out, 'summary.csv')), summaryWithoutTimes(path.join(dir, 'clean', 'summary.csv')));
  }));

const hasParallel = spawnSync('parallel', ['--version'], { stdio: 'ignore' }).status === 0;

test('two shards run with GNU parallel and merged give the same summary as one process', { skip: !hasParallel && 'GNU parallel not installed (apt-get install parallel)' }, () =>
  withTempDir(async (dir) => {
    const config = writeConfig(dir, tinySweep(1));
    const shards = spawnSync('parallel', ['--halt', 'now,fail=1', process.execPath, BIN, 'run', config, '--out', path.join(dir, 'shard{#}'), '--jobs', '1', '--shard', '{}', ':::', '1/2', '2/2'], { encoding: 'utf8' });
    assert.equal(shards.status, 0, shards.stderr);
    const merged = await runCli(['merge', path.join(dir, 'shard1'), path.join(dir, 'shard2'), '--out', path.join(dir, 'merged')]);
    assert.equal(merged.code, 0, merged.stderr);
    const single = await runCli(['run', config, '--out', path.join(dir, 'single'), '--jobs', '1']);
    assert.equal(single.code, 0, single.stderr);
    assert.deepEqual(summaryWithoutTimes(path.join(dir, 'merged', 'summary.csv')), summaryWithoutTimes(path.join(dir, 'single', 'summary.csv')));
  }));
