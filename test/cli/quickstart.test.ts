/**
 * The README's quick start, end to end: `sparse-adam run configs/quickstart.yaml` on the
 * embedded data prints the final epoch's line the README shows, number for number (the
 * times aside), and writes the same numbers to metrics.csv. Training and evaluation are
 * deterministic on one backend, so any change that moves a metric (an optimisation that
 * reorders a float sum, a stale cache, a changed default) fails here until the README
 * says what the quick start now prints. The README's line is from wasm, the default.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { readCsv, REPO, runCli } from './cli';

/** Timings differ from run to run; every other field must match. */
const TIMES = new Set(['seconds', 'eval_seconds']);

/** `key value` pairs of an epoch line (`epoch 10/10 train_loss 0.01249 ...`), times left out. */
function fieldsOf(line: string): Map<string, string> {
  const words = line.trim().split(/\s+/);
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < words.length; i += 2) if (!TIMES.has(words[i]!)) fields.set(words[i]!, words[i + 1]!);
  return fields;
}

/** The summary line of the last epoch (progress lines start alike but carry no metrics). */
function lastEpochLine(text: string, where: string): string {
  const line = text.split('\n').filter((l) => l.startsWith('epoch 10/10 ') && l.includes(' test_accuracy ')).at(-1);
  assert.ok(line, `no "epoch 10/10 ... test_accuracy" line in ${where}`);
  return line;
}

test('the quick start prints the README line and writes its numbers to metrics.csv', async () => {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const expected = fieldsOf(lastEpochLine(readme, 'README.md'));
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sparse-adam-quickstart-'));
  try {
    const result = await runCli(['run', 'configs/quickstart.yaml', '--out', out, '--backend', 'wasm']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(fieldsOf(lastEpochLine(result.stdout, 'the output')), expected);
    const last = readCsv(fs.readFileSync(path.join(out, 'metrics.csv'), 'utf8')).at(-1)!;
    for (const key of ['train_mse', 'test_mse', 'train_accuracy', 'test_accuracy']) {
      assert.equal(Number(last[key]).toFixed(expected.get(key)!.split('.')[1]!.length), expected.get(key), key);
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
