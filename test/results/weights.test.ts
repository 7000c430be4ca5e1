import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { disposeParams } from '../../src/model/params';
import { loadWeights, saveWeights } from '../../src/results/weights';
import { useBackend, values } from '../backends';
import { assertUsageError } from '../config/usage-error';
import { HIDDEN, INPUTS, tinyConfig, tinyParams } from '../model/tiny';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparse-adam-weights-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const model = tinyConfig().model; // hidden 5, tied
let good: Record<string, any>; // a weights file as saved, parsed

before(async () => {
  await useBackend('cpu');
  const params = tinyParams(true);
  saveWeights(path.join(dir, 'good.json'), params);
  disposeParams(params);
  good = JSON.parse(fs.readFileSync(path.join(dir, 'good.json'), 'utf8'));
});

/** A copy of the good file changed by `edit`, written as `name`; returns its path. */
function variant(name: string, edit: (file: Record<string, any>) => void): string {
  const file = structuredClone(good);
  edit(file);
  const where = path.join(dir, name);
  fs.writeFileSync(where, JSON.stringify(file));
  return where;
}

/** base64 of little-endian float32 values. */
function floats(...numbers: number[]): string {
  return Buffer.from(new Float32Array(numbers).buffer).toString('base64');
}

describe('loadWeights', () => {
  it('loads what saveWeights wrote, value for value', () => {
    const params = tinyParams(true);
    const loaded = loadWeights(path.join(dir, 'good.json'), model, INPUTS);
    assert.deepEqual(values(loaded.W), values(params.W));
    assert.deepEqual(values(loaded.c), values(params.c));
    assert.equal(loaded.W_dec, null);
    disposeParams(params);
    disposeParams(loaded);
  });

  const cases: [name: string, edit: (file: Record<string, any>) => void, message: string][] = [
    // b is [5]: its value 3 is NaN; c is [6]: its value 4 is -Infinity.
    ['nan.json', (f) => (f.tensors.b.data = floats(0, 0, 0, Number.NaN, 0)), 'tensors.b: the value at [3] is NaN'],
    ['inf.json', (f) => (f.tensors.c.data = floats(0, 0, 0, 0, -Infinity, 0)), 'tensors.c: the value at [4] is -Infinity'],
    [
      'inf-w.json',
      (f) => (f.tensors.W.data = floats(...Array.from({ length: HIDDEN * INPUTS }, (_, i) => (i === 2 * INPUTS + 5 ? Infinity : 0)))),
      'tensors.W: the value at [2, 5] is Infinity',
    ],
    ['null-hidden.json', (f) => (f.hidden = null), 'hidden: expected number, got null'],
    ['no-inputs.json', (f) => delete f.inputs, 'inputs: missing'],
    ['tied-text.json', (f) => (f.tied = 'yes'), 'tied: expected boolean, got "yes"'],
    ['null-tensors.json', (f) => (f.tensors = null), 'tensors: expected object, got null'],
    ['no-b.json', (f) => delete f.tensors.b, 'tensors.b: missing'],
    ['null-W.json', (f) => (f.tensors.W = null), 'tensors.W: expected object, got null'],
    ['shape-text.json', (f) => (f.tensors.W.shape = '5x6'), 'tensors.W.shape: expected array, got "5x6"'],
    ['shape-element.json', (f) => (f.tensors.W.shape = [5, null]), 'tensors.W.shape[1]: expected number, got null'],
    ['data-number.json', (f) => (f.tensors.W.data = 12), 'tensors.W.data: expected string, got 12'],
    ['data-text.json', (f) => (f.tensors.W.data = 'not base64!'), 'tensors.W.data: expected base64 text'],
    ['unknown.json', (f) => (f.tensors.W_enc = f.tensors.W), 'tensors: unknown W_enc'],
    ['short.json', (f) => (f.tensors.c.data = floats(1, 2)), 'tensors.c.data: 8 bytes for 6 floats'],
    ['own-shape.json', (f) => (f.hidden = 4), 'hidden 4 and inputs 6, but tensors.W has shape 5x6'],
    [
      'model-shape.json',
      (f) => Object.assign(f, { hidden: 4 }, { tensors: { ...f.tensors, W: { shape: [4, 6], data: floats(...Array(24).fill(0)) } } }),
      'tensors.W: shape 4x6, the model needs 5x6',
    ],
    ['untied.json', (f) => (f.tied = false), 'tied is false, config model.tied is true'],
    ['other.json', (f) => (f.format = 'something-else'), 'not a sparse-adam-weights version 1 file'],
  ];
  for (const [name, edit, message] of cases) {
    it(`refuses ${name}: ${message}`, () => {
      const file = variant(name, edit);
      assertUsageError(() => loadWeights(file, model, INPUTS), `${file}: ${message}`);
    });
  }

  it('refuses a file that is not JSON, and a missing one', () => {
    const text = path.join(dir, 'text.json');
    fs.writeFileSync(text, 'W = 1');
    assertUsageError(() => loadWeights(text, model, INPUTS), `${text}: not a JSON weights file`);
    assertUsageError(() => loadWeights(path.join(dir, 'none.json'), model, INPUTS), `${path.join(dir, 'none.json')}: no such file`);
    assertUsageError(() => loadWeights(dir, model, INPUTS), `${dir}: is a folder, not a weights file`);
  });
});
