/**
 * Results a researcher can trust, through the real CLI: run identity follows the data
 * actually used, two processes on one sweep folder share its runs, a damaged run.json
 * blocks nothing, and an extended sweep merges.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { test } from 'node:test';
import { BIN, readCsv, runCli, type CliResult } from '../cli/cli';
import { mnistFixture, withTempDir, writeFiles } from '../data/fixtures';
import { readOwner } from '../../src/results/claim';
import { inspectRunRecord, readRunRecord } from '../../src/results/runFolder';
import { tinySweep, writeConfig } from './sweepCli';

/** A sweep on an IDX folder of fixture images: 20 cells, one epoch of a few steps. */
function idxSweep(sweep: string): string {
  return `
name: idx-sweep
data: { source: idx, download: false }
model: { hidden: 20, k: 5 }
train: { epochs: 1, batch_size: 50 }
eval: { classifier_epochs: 1, classifier_l2: [0.001] }
sweep: ${sweep}
`;
}

/** An MNIST folder of fixture images; `raw` stores the same files gunzip'd. */
function idxFolder(dir: string, name: string, train: number, raw = false): string {
  const folder = path.join(dir, name);
  fs.mkdirSync(folder);
  const files = mnistFixture(train, 100);
  writeFiles(folder, raw ? new Map([...files].map(([file, bytes]) => [file.replace(/\.gz$/, ''), gunzipSync(bytes)])) : files);
  return folder;
}

function summary(out: string): Record<string, string>[] {
  return readCsv(fs.readFileSync(path.join(out, 'summary.csv'), 'utf8'));
}

test('run identity: a sweep over data.dir gives each data its own run; the same data under two names is refused', () =>
  withTempDir(async (dir) => {
    const [a, b, sameAsA] = [idxFolder(dir, 'a', 300), idxFolder(dir, 'b', 350), idxFolder(dir, 'a-raw', 300, true)];
    const out = path.join(dir, 'out');
    const result = await runCli(['run', writeConfig(dir, idxSweep(`{data.dir: [${a}, ${b}]}`)), '--out', out, '--jobs', '1']);
    assert.equal(result.code, 0, result.stderr);
    const rows = summary(out);
    assert.equal(rows.length, 2);
    assert.notEqual(rows[0]!.id, rows[1]!.id, 'two experiments, two folders');
    const fingerprints = rows.map((row) => readRunRecord(path.join(out, 'runs', row.id!))!.data_fingerprint);
    assert.notEqual(fingerprints[0], fingerprints[1]);
    assert.match(fingerprints[0]!, /^sha256:[0-9a-f]{64}$/);

    const same = await runCli(['run', writeConfig(dir, idxSweep(`{data.dir: [${a}, ${sameAsA}]}`), 'same.yaml'), '--out', path.join(dir, 'same'), '--jobs', '1']);
    assert.equal(same.code, 2);
    assert.match(same.stderr, /^sparse-adam: .*same\.yaml: the points data\.dir=.*\/a and data\.dir=.*\/a-raw compute the same run \(id \w+\); each run must differ\n$/);
    assert.equal(fs.existsSync(path.join(dir, 'same')), false, 'nothing written');
  }));

test('run identity: a finished sweep rerun on other data runs again; on the same data elsewhere it is done', () =>
  withTempDir(async (dir) => {
    const [a, b, sameAsA] = [idxFolder(dir, 'a', 300), idxFolder(dir, 'b', 350), idxFolder(dir, 'a-raw', 300, true)];
    const config = writeConfig(dir, idxSweep('{optimizer.lr: [0.01]}'));
    const out = path.join(dir, 'out');
    const run = (dataDir: string) => runCli(['run', config, '--out', out, '--jobs', '1', '--data-dir', dataDir]);
    assert.equal((await run(a)).code, 0);
    const elsewhere = await run(sameAsA);
    assert.equal(elsewhere.code, 0, elsewhere.stderr);
    assert.match(elsewhere.stdout, /1 already done, 0 to redo \(interrupted or failed\), 0 new/);
    const other = await run(b);
    assert.equal(other.code, 0, other.stderr);
    assert.match(other.stdout, /0 already done, 0 to redo \(interrupted or failed\), 1 new/);
    assert.equal(fs.readdirSync(path.join(out, 'runs')).length, 2, "each data's run keeps its own folder");
  }));

/** Each process's "N completed ... this time" from its last line. */
function completedThisTime(result: CliResult): number {
  const match = /\((\d+) completed, \d+ diverged, \d+ failed this time/.exec(result.stdout);
  assert.ok(match, result.stdout);
  return Number(match[1]);
}

test('two processes on one sweep folder share its runs: each run trains once, every one completes', () =>
  withTempDir(async (dir) => {
    const config = writeConfig(dir, tinySweep(2));
    const out = path.join(dir, 'out');
    const [first, second] = await Promise.all([1, 2].map(() => runCli(['run', config, '--out', out, '--jobs', '1'])));
    assert.equal(first!.code, 0, first!.stderr);
    assert.equal(second!.code, 0, second!.stderr);
    assert.equal(completedThisTime(first!) + completedThisTime(second!), 4, `${first!.stdout}\n${second!.stdout}`);
    assert.deepEqual(summary(out).map((row) => row.status), ['completed', 'completed', 'completed', 'completed']);
    for (const id of fs.readdirSync(path.join(out, 'runs'))) {
      assert.deepEqual(fs.readdirSync(path.join(out, 'runs', id)).sort(), ['config.yaml', 'metrics.csv', 'run.json', 'weights.json'], `${id}: whole, no claim left`);
    }
  }));

/** Poll until `ready()` holds; fails after `seconds`. */
async function waitUntil(ready: () => boolean, seconds: number, what: string): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    if (ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The pids holding the claims of the sweep's runs. */
function claimedBy(out: string): number[] {
  const runs = path.join(out, 'runs');
  return fs.existsSync(runs) ? fs.readdirSync(runs).flatMap((id) => readOwner(path.join(runs, id, 'claim.json'))?.pid ?? []) : [];
}

function statuses(out: string): string[] {
  const runs = path.join(out, 'runs');
  return fs.existsSync(runs) ? fs.readdirSync(runs).map((id) => readRunRecord(path.join(runs, id))?.status ?? 'none') : [];
}

test('a second process started late and killed destroys nothing: the first takes over its run and completes all', () =>
  withTempDir(async (dir) => {
    const config = writeConfig(dir, tinySweep(3));
    const out = path.join(dir, 'out');
    const args = [BIN, 'run', config, '--out', out, '--jobs', '1'];
    const first = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let firstOut = '';
    first.stdout.on('data', (chunk: Buffer) => (firstOut += chunk.toString()));
    const firstExit = new Promise((resolve) => first.on('close', resolve));
    // Hold the first process still while it has one run completed and the next claimed.
    await waitUntil(() => statuses(out).includes('completed') && claimedBy(out).includes(first.pid!), 120, 'a completed run and the next claimed');
    first.kill('SIGSTOP');
    const completed = statuses(out).filter((s) => s === 'completed').length;
    const late = spawn(process.execPath, args, { stdio: 'ignore' });
    const lateExit = new Promise((resolve) => late.on('close', resolve));
    await waitUntil(() => claimedBy(out).includes(late.pid!), 120, 'the late process running a run');
    late.kill('SIGKILL');
    await lateExit;
    assert.equal(statuses(out).filter((s) => s === 'completed').length, completed, 'the late process redid no completed run');
    first.kill('SIGCONT');
    assert.equal(await firstExit, 0, firstOut);
    assert.deepEqual(summary(out).map((row) => row.status), ['completed', 'completed', 'completed', 'completed']);
    for (const id of fs.readdirSync(path.join(out, 'runs'))) {
      assert.deepEqual(fs.readdirSync(path.join(out, 'runs', id)).sort(), ['config.yaml', 'metrics.csv', 'run.json', 'weights.json'], id);
    }
  }));

test('a damaged run.json blocks nothing: ls and merge name it and go on, resume redoes that run', () =>
  withTempDir(async (dir) => {
    const config = writeConfig(dir, tinySweep(1));
    const out = path.join(dir, 'out');
    assert.equal((await runCli(['run', config, '--out', out, '--jobs', '1'])).code, 0);
    const [damagedId] = fs.readdirSync(path.join(out, 'runs')).sort();
    const damaged = path.join(out, 'runs', damagedId!, 'run.json');
    fs.writeFileSync(damaged, '{"status": "comp');

    const ls = await runCli(['ls', out]);
    assert.equal(ls.code, 0, ls.stderr);
    assert.equal(ls.stderr, `sparse-adam: warning: ${damaged}: not JSON\n`);
    assert.equal(ls.stdout.split('\n').filter((line) => /\bunreadable\b/.test(line)).length, 1, ls.stdout);
    assert.equal(ls.stdout.split('\n').filter((line) => /\bcompleted\b/.test(line)).length, 3, ls.stdout);

    const merged = await runCli(['merge', out, '--out', path.join(dir, 'merged')]);
    assert.equal(merged.code, 0, merged.stderr);
    assert.equal(merged.stderr, `sparse-adam: warning: ${damaged}: not JSON; that run is left out\n`);

    const resumed = await runCli(['run', config, '--out', out, '--jobs', '1']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /3 already done, 0 to redo \(interrupted or failed\), 1 to redo \(unreadable run\.json\), 0 new/);
    assert.equal(inspectRunRecord(path.dirname(damaged)).state, 'ok');
    assert.deepEqual(summary(out).map((row) => row.status), ['completed', 'completed', 'completed', 'completed']);
  }));

test('a sweep extended with another learning rate resumes into its folder and merges', () =>
  withTempDir(async (dir) => {
    const out = path.join(dir, 'out');
    assert.equal((await runCli(['run', writeConfig(dir, tinySweep(1)), '--out', out, '--jobs', '1'])).code, 0);
    const extended = writeConfig(dir, tinySweep(1).replace('[0.001, 0.01]', '[0.001, 0.01, 0.1]'), 'extended.yaml');
    const resumed = await runCli(['run', extended, '--out', out, '--jobs', '1']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /4 already done, 0 to redo \(interrupted or failed\), 2 new/);
    const merged = await runCli(['merge', out]);
    assert.equal(merged.code, 0, merged.stderr);
    assert.deepEqual(summary(out).map((row) => [row['optimizer.lr'], row['optimizer.name'], row.status]), [
      ['0.001', 'adam', 'completed'],
      ['0.001', 'lazy-adam', 'completed'],
      ['0.01', 'adam', 'completed'],
      ['0.01', 'lazy-adam', 'completed'],
      ['0.1', 'adam', 'completed'],
      ['0.1', 'lazy-adam', 'completed'],
    ]);
  }));

test('merge refuses runs of different experiments', () =>
  withTempDir(async (dir) => {
    for (const [name, text] of [['a', tinySweep(1)], ['b', tinySweep(1).replace('k: 10', 'k: 12')]] as const) {
      const result = await runCli(['run', writeConfig(dir, text, `${name}.yaml`), '--out', path.join(dir, name), '--jobs', '1', '--shard', '1/2']);
      assert.equal(result.code, 0, result.stderr);
    }
    const merged = await runCli(['merge', path.join(dir, 'a'), path.join(dir, 'b')]);
    assert.equal(merged.code, 2);
    assert.match(merged.stderr, /^sparse-adam: cannot merge runs of different experiments: .* is experiment \w+, .* is experiment \w+\n$/);
  }));

test('a run killed without warning shows as killed, not running, in ls and summary.csv', () =>
  withTempDir(async (dir) => {
    const config = writeConfig(dir, tinySweep(30));
    const out = path.join(dir, 'out');
    const child = spawn(process.execPath, [BIN, 'run', config, '--out', out, '--jobs', '1'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('close', resolve));
    await waitUntil(() => statuses(out).includes('running'), 120, 'a run under way');
    child.kill('SIGKILL');
    await exited;
    const ls = await runCli(['ls', out]);
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /\bkilled\b/);
    assert.doesNotMatch(ls.stdout, /\brunning\b/);
    assert.equal((await runCli(['merge', out])).code, 0, 'merge rebuilds the summary');
    assert.deepEqual(summary(out).map((row) => row.status), ['killed', 'pending', 'pending', 'pending']);
  }));

test('Ctrl-C at any moment of a large sweep (expanding, identifying, starting) stops it promptly, losing nothing', () =>
  withTempDir(async (dir) => {
    const config = writeConfig(dir, 'data: { train_limit: 500, test_limit: 200 }\nsweep:\n  seed: 10000\n');
    for (const delayMs of [500, 1200, 2000, 3000]) {
      const out = path.join(dir, `out-${delayMs}`);
      const child = spawn(process.execPath, [BIN, 'run', config, '--out', out, '--jobs', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<[number | null, string | null]>((resolve) => child.on('close', (code, signal) => resolve([code, signal])));
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      child.kill('SIGINT');
      const stopped = await Promise.race([exited, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 30_000))]);
      if (stopped === 'still running') child.kill('SIGKILL');
      assert.notEqual(stopped, 'still running', `after ${delayMs} ms: SIGINT not honoured`);
      const [code, signal] = stopped as [number | null, string | null];
      // Before the CLI has installed its handler Node dies of the signal itself; after, it exits 130.
      assert.ok(code === 130 || signal === 'SIGINT', `after ${delayMs} ms: exit ${code}, signal ${signal}, ${stderr}`);
      if (code === 130) assert.match(stderr, /^sparse-adam: interrupted by SIGINT\n$/);
      assert.deepEqual(statuses(out).filter((status) => status !== 'interrupted'), [], `after ${delayMs} ms: only interrupted runs`);
    }
  }));
