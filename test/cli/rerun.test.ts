/**
 * A single run into a folder that already holds results: a finished result is never lost
 * before its replacement has finished, a folder of another config or of the user's own
 * files is refused, and a name is one plain folder name.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { withTempDir } from '../data/fixtures';
import { BIN, runCli } from './cli';

const TINY = `
name: tiny
data: { train_limit: 500, test_limit: 200 }
model: { hidden: 30, k: 5 }
train: { epochs: 2, batch_size: 50 }
eval: { classifier_epochs: 1, classifier_l2: [0.001] }
`;

/** Every file of a folder with its bytes, to show that nothing in it changed. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).sort().map((name) => [name, fs.readFileSync(path.join(dir, name), 'base64')]));
}

function siblingsOf(dir: string): string[] {
  return fs.readdirSync(path.dirname(dir)).filter((name) => name !== path.basename(dir) && name.startsWith(path.basename(dir)));
}

test('a rerun of a completed run with another config is refused; nothing in the folder changes', () =>
  withTempDir(async (dir) => {
    const config = path.join(dir, 'tiny.yaml');
    fs.writeFileSync(config, TINY);
    const out = path.join(dir, 'out');
    assert.equal((await runCli(['run', config, '--out', out])).code, 0);
    const before = snapshot(out);
    const other = await runCli(['run', config, '--out', out, '--set', 'model.k=6']);
    assert.equal(other.code, 2);
    assert.match(other.stderr, /^sparse-adam: .*out: holds a completed run of another config \(id \w+, this config is \w+\); it is never overwritten: choose another folder \(--out DIR or another name\)\n$/);
    assert.deepEqual(snapshot(out), before);
    assert.deepEqual(siblingsOf(out), []);
  }));

test('a rerun of a completed run that is interrupted leaves the completed result as it was', () =>
  withTempDir(async (dir) => {
    const config = path.join(dir, 'tiny.yaml');
    fs.writeFileSync(config, TINY.replace('epochs: 2', 'epochs: 30'));
    const out = path.join(dir, 'out');
    assert.equal((await runCli(['run', config, '--out', out, '--set', 'train.epochs=2'])).code, 0);
    // The same run (epochs 2 again) trains beside the old result until it is stopped.
    const before = snapshot(out);
    const rerun = spawn(process.execPath, [BIN, 'run', config, '--out', out, '--set', 'train.epochs=2'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => rerun.on('close', resolve));
    let seen = '';
    await new Promise<void>((resolve) => rerun.stdout.on('data', (chunk: Buffer) => ((seen += chunk.toString()), /epoch 1\/2/.test(seen) && resolve())).on('end', resolve));
    rerun.kill('SIGTERM');
    assert.equal(await exited, 143);
    assert.deepEqual(snapshot(out), before, 'the completed result is untouched');
    assert.deepEqual(siblingsOf(out), [], 'the stopped attempt is gone');
  }));

test('a rerun of a completed run that finishes replaces it, whole, with nothing left beside it', () =>
  withTempDir(async (dir) => {
    const config = path.join(dir, 'tiny.yaml');
    fs.writeFileSync(config, TINY);
    const out = path.join(dir, 'out');
    assert.equal((await runCli(['run', config, '--out', out])).code, 0);
    const first = JSON.parse(fs.readFileSync(path.join(out, 'run.json'), 'utf8'));
    const again = await runCli(['run', config, '--out', out, '--backend', 'cpu']);
    assert.equal(again.code, 0, again.stderr);
    const second = JSON.parse(fs.readFileSync(path.join(out, 'run.json'), 'utf8'));
    assert.equal(second.status, 'completed');
    assert.equal(second.id, first.id, 'the same run (the backend does not change what it computes)');
    assert.equal(second.backend.name, 'cpu');
    assert.ok(second.started_at > first.started_at);
    assert.deepEqual(fs.readdirSync(out).sort(), ['config.yaml', 'metrics.csv', 'run.json', 'weights.json']);
    assert.deepEqual(siblingsOf(out), []);
  }));

test('results never land among files the tool did not write, nor outside results/ through the name', () =>
  withTempDir(async (dir) => {
    const config = path.join(dir, 'tiny.yaml');
    fs.writeFileSync(config, TINY);
    const mine = path.join(dir, 'mine');
    fs.mkdirSync(mine);
    fs.writeFileSync(path.join(mine, 'config.yaml'), 'my own notes\n');
    const refused = await runCli(['run', config, '--out', mine]);
    assert.equal(refused.code, 2);
    assert.equal(refused.stderr, `sparse-adam: ${mine}: holds files sparse-adam did not write (config.yaml), so it is not used for a run; choose a new or empty folder (--out DIR)\n`);
    assert.deepEqual(fs.readdirSync(mine), ['config.yaml']);
    assert.equal(fs.readFileSync(path.join(mine, 'config.yaml'), 'utf8'), 'my own notes\n');

    const sweep = path.join(dir, 'sweep.yaml');
    fs.writeFileSync(sweep, `${TINY}sweep: { seed: 2 }\n`);
    const sweepRefused = await runCli(['run', sweep, '--out', mine, '--jobs', '1']);
    assert.equal(sweepRefused.code, 2);
    assert.match(sweepRefused.stderr, /holds files sparse-adam did not write \(config\.yaml\), so it is not used for a sweep/);
    assert.deepEqual(fs.readdirSync(mine), ['config.yaml']);

    for (const name of ['..', '.', '.hidden', 'a/b']) {
      const result = await runCli(['run', config, '--set', `name=${name}`], { cwd: dir });
      assert.equal(result.code, 2, name);
      assert.match(result.stderr, /^sparse-adam: --set name=.*: name: expected a string \(a plain folder name: letters, digits, _ \. -, not starting with a dot\), got .*\n$/);
    }
    assert.deepEqual(fs.readdirSync(dir).sort(), ['mine', 'sweep.yaml', 'tiny.yaml'], 'nothing written beside');
  }));
