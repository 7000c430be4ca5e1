import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { withTempDir } from '../data/fixtures';
import { runCli } from './cli';

const TINY = `
data: { train_limit: 200, test_limit: 100 }
model: { hidden: 30, k: 5 }
train: { epochs: 1, batch_size: 50, shuffle: false }
optimizer: { lr: 0.01 }
eval: { classifier_epochs: 1, classifier_l2: [0.001] }
`;

function readW(file: string): Float32Array {
  const stored = JSON.parse(fs.readFileSync(file, 'utf8'));
  const bytes = Buffer.from(stored.tensors.W.data, 'base64');
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

const combinations = [
  { mode: 'mask', optimizer: 'adam' },
  { mode: 'gather', optimizer: 'lazy-adam' },
  { mode: 'gather-remask', optimizer: 'adam-tf-sparse' },
];

for (const { mode, optimizer } of combinations) {
  test(`--init-from known weights, no shuffling: wasm and cpu end with the same W (${mode}, ${optimizer})`, () =>
    withTempDir(async (dir) => {
      fs.writeFileSync(path.join(dir, 'tiny.yaml'), TINY);
      const start = path.join(dir, 'start');
      const init = await runCli(['run', path.join(dir, 'tiny.yaml'), '--out', start, '--backend', 'cpu']);
      assert.equal(init.code, 0, init.stderr);
      const sets = ['--set', `train.mode=${mode}`, '--set', `optimizer.name=${optimizer}`];
      const finals: Float32Array[] = [];
      for (const backend of ['wasm', 'cpu']) {
        const out = path.join(dir, backend);
        const args = ['run', path.join(dir, 'tiny.yaml'), '--out', out, '--backend', backend, '--init-from', path.join(start, 'weights.json')];
        const result = await runCli([...args, ...sets]);
        assert.equal(result.code, 0, result.stderr);
        finals.push(readW(path.join(out, 'weights.json')));
      }
      const [wasm, cpu] = finals as [Float32Array, Float32Array];
      const initial = readW(path.join(start, 'weights.json'));
      let moved = 0;
      let worst = 0;
      for (let i = 0; i < cpu.length; i++) {
        moved = Math.max(moved, Math.abs(cpu[i]! - initial[i]!));
        worst = Math.max(worst, Math.abs(wasm[i]! - cpu[i]!));
      }
      assert.ok(moved > 1e-3, `the 4 steps moved W (by at most ${moved})`);
      assert.ok(worst < 1e-5, `wasm and cpu differ by ${worst}`);
    }));
}
