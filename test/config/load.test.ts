import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/load';
import { aliasBomb } from './hostile';
import { assertUsageError } from './usage-error';
import { MODEL_KEYS, TOP_LEVEL_KEYS } from './keys';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparse-adam-config-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Write a config file into the temp folder; returns its path. */
function fixture(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** A file path as a literal part of a pattern. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('resolveConfig: defaults, file, --set', () => {
  it('defaults to the SPEC values', () => {
    const { model, optimizer } = resolveConfig({});
    assert.deepEqual(
      [model.hidden, model.k, model.alpha, optimizer.lr, optimizer.beta1, optimizer.beta2, optimizer.epsilon],
      [1000, 25, 3, 1e-3, 0.9, 0.999, 1e-8],
    );
  });

  it('expands a few aliases as YAML does', () => {
    const file = fixture('aliases.yaml', 'optimizer:\n  lr: &lr 0.01\nsweep:\n  optimizer.lr: [*lr, 0.1]\n');
    assert.deepEqual(resolveConfig({ file }).sweep, { 'optimizer.lr': [0.01, 0.1] });
  });

  it('reads a YAML file and its JSON equivalent the same', () => {
    const yaml = fixture('same.yaml', 'name: mnist-k40\nmodel:\n  k: 40\n  tied: false\neval:\n  classifier_l2: [0.01]\n');
    const json = fixture('same.json', '{"name": "mnist-k40", "model": {"k": 40, "tied": false}, "eval": {"classifier_l2": [0.01]}}');
    assert.deepEqual(resolveConfig({ file: yaml }), resolveConfig({ file: json }));
  });

  it('lets file values override defaults and keeps the rest', () => {
    const config = resolveConfig({ file: fixture('override.yml', 'model:\n  k: 40\noptimizer:\n  lr: 1.0e-4\n') });
    assert.deepEqual([config.model.k, config.optimizer.lr], [40, 1e-4]);
    assert.deepEqual([config.model.hidden, config.optimizer.beta1], [1000, 0.9]);
  });

  const emptyFiles: [name: string, text: string][] = [
    ['empty.yaml', ''],
    ['comments.yaml', '# nothing set yet\n'],
    ['empty.json', '\n'],
  ];
  for (const [name, text] of emptyFiles) {
    it(`treats ${name} as the defaults`, () => {
      assert.deepEqual(resolveConfig({ file: fixture(name, text) }), resolveConfig({}));
    });
  }

  it('lets --set override the file, the later --set winning', () => {
    const file = fixture('k40.yaml', 'model:\n  k: 40\n  hidden: 500\n');
    const config = resolveConfig({ file, sets: ['model.k=50', 'model.k=60'] });
    assert.deepEqual([config.model.k, config.model.hidden], [60, 500]);
  });

  it('lets --set fix a bad file value', () => {
    const file = fixture('bad-k.yaml', 'model:\n  k: many\n');
    assert.equal(resolveConfig({ file, sets: ['model.k=3'] }).model.k, 3);
  });

  it('types --set values by the schema', () => {
    const config = resolveConfig({
      sets: ['optimizer.lr=1e-3', 'model.tied=false', 'eval.classifier_l2=[0.001,0.01]', 'data.dir=null', 'name=123'],
    });
    assert.deepEqual(
      [config.optimizer.lr, config.model.tied, config.eval.classifier_l2, config.data.dir, config.name],
      [0.001, false, [0.001, 0.01], null, '123'],
    );
  });

  it('returns a deep-frozen config', () => {
    const config = resolveConfig({});
    assert.throws(() => Object.assign(config, { seed: 1 }), TypeError);
    assert.throws(() => Object.assign(config.model, { k: 1 }), TypeError);
    assert.throws(() => (config.eval.classifier_l2 as number[]).push(1), TypeError);
  });
});

describe('resolveConfig: refusals from the file', () => {
  const cases: [name: string, text: string, message: (file: string) => string | RegExp][] = [
    ['type.yaml', 'model:\n  k: 25a\n', (f) => `${f}: model.k: expected a positive integer, got "25a"`],
    ['float.yaml', 'model:\n  k: 2.5\n', (f) => `${f}: model.k: expected a positive integer, got 2.5`],
    ['huge.yaml', 'model:\n  hidden: 1e9\n', (f) => `${f}: model.hidden: expected a positive integer <= 342386, got 1000000000`],
    ['range.yaml', 'optimizer:\n  beta1: 1\n', (f) => `${f}: optimizer.beta1: expected a number >= 0 and < 1, got 1`],
    ['null.yaml', 'seed: null\n', (f) => `${f}: seed: expected an integer >= 0, got null`],
    ['limit.json', '{"data": {"train_limit": "all"}}', (f) => `${f}: data.train_limit: expected a positive integer or null, got "all"`],
    [
      'element.yaml',
      'eval:\n  classifier_l2: [0.1, -1]\n',
      (f) => `${f}: eval.classifier_l2: expected a non-empty list, each a number >= 0, got [0.1,-1]`,
    ],
    ['no-l2.yaml', 'eval:\n  classifier_l2: []\n', (f) => `${f}: eval.classifier_l2: expected a non-empty list, each a number >= 0, got []`],
    ['enum.yaml', 'backend: gpu\n', (f) => `${f}: backend: expected one of auto, tensorflow, wasm, cpu, got "gpu"`],
    ['name.yaml', 'name: my run\n', (f) => `${f}: name: expected a string (a plain folder name: letters, digits, _ . -, not starting with a dot), got "my run"`],
    ['section.yaml', 'model: 5\n', (f) => `${f}: model: expected a mapping, got 5`],
    ['top.yaml', 'modle:\n  k: 3\n', (f) => `${f}: modle: unknown key (known top-level keys: ${TOP_LEVEL_KEYS})`],
    ['nested.yaml', 'model:\n  hiden: 3\n', (f) => `${f}: model.hiden: unknown key (known keys in model: ${MODEL_KEYS})`],
    [
      'several.yaml',
      'seed: -1\nmodel:\n  k: 0\n  hiden: 3\n',
      (f) => `${f}: model.hiden: unknown key (known keys in model: ${MODEL_KEYS}) (+2 more)`,
    ],
    ['two.yaml', 'seed: -1\nmodel:\n  k: 0\n', (f) => `${f}: seed: expected an integer >= 0, got -1 (+1 more)`],
    ['syntax.yaml', 'seed: 1\nmodel: [1, 2\n', (f) => new RegExp(`^${escape(f)}: invalid YAML at line 3, column 1: \\S.*$`)],
    ['indent.yaml', 'model:\n  k: 3\n hidden: 5\n', (f) => new RegExp(`^${escape(f)}: invalid YAML at line 3, column \\d+: \\S.*$`)],
    ['duplicate.yaml', 'seed: 1\nseed: 2\n', (f) => `${f}: invalid YAML at line 2, column 1: duplicate key "seed"`],
    ['duplicate.json', '{\n  "seed": 1,\n  "model": {"k": 3, "k": 4}\n}', (f) => `${f}: invalid JSON at line 3, column 21: duplicate key "k"`],
    ['top-duplicate.json', '{"seed": 1, "seed": 2}', (f) => `${f}: invalid JSON at line 1, column 13: duplicate key "seed"`],
    ['bomb.yaml', aliasBomb(), (f) => `${f}: invalid YAML: its aliases expand too far (nested aliases, as in a "billion laughs" document)`],
    ['anchor.yaml', 'seed: *x\n', (f) => `${f}: invalid YAML: Unresolved alias (the anchor must be set before the alias): x`],
    ['syntax.json', '{\n  "seed": 1,\n  "model": {"k": 3,}\n}', (f) => new RegExp(`^${escape(f)}: invalid JSON at line 3, column 20: \\S.*$`)],
    ['token.json', '{"seed": x}', (f) => new RegExp(`^${escape(f)}: invalid JSON: \\S.*$`)],
    ['list.yaml', '- seed: 1\n', (f) => `${f}: the top level must be a mapping of settings, got a list`],
    ['scalar.yaml', 'hello\n', (f) => `${f}: the top level must be a mapping of settings, got "hello"`],
    ['list.json', '[1, 2]', (f) => `${f}: the top level must be a mapping of settings, got a list`],
    ['config.toml', 'seed = 1\n', (f) => `${f}: a config file must end in .yaml, .yml or .json`],
  ];
  for (const [name, text, message] of cases) {
    it(`refuses ${name}`, () => {
      const file = fixture(name, text);
      assertUsageError(() => resolveConfig({ file }), message(file));
    });
  }

  it('refuses a missing file as a usage error', () => {
    const file = path.join(dir, 'missing.yaml');
    assertUsageError(() => resolveConfig({ file }), `${file}: no such config file`);
  });
});

describe('resolveConfig: refusals from --set', () => {
  const file = fixture('base.yaml', 'seed: 3\nmodel:\n  k: 40\n');
  const cases: [sets: string[], message: string][] = [
    [['model.k=abc'], '--set model.k=abc: model.k: expected a positive integer, got "abc"'],
    [['model.k=3', 'model.k=-3'], '--set model.k=-3: model.k: expected a positive integer, got -3'],
    [['backend=gpu'], '--set backend=gpu: backend: expected one of auto, tensorflow, wasm, cpu, got "gpu"'],
    [['eval.classifier_l2=0.1'], '--set eval.classifier_l2=0.1: eval.classifier_l2: expected a non-empty list, each a number >= 0, got 0.1'],
    [['model.k'], '--set model.k: expected key.path=value'],
    [['model.hiden=3'], `--set model.hiden=3: model.hiden: unknown key (known keys in model: ${MODEL_KEYS})`],
    [['eval.classifier_l2=*x'], '--set eval.classifier_l2=*x: invalid YAML: Unresolved alias (the anchor must be set before the alias): x'],
  ];
  for (const [sets, message] of cases) {
    it(`refuses ${sets.join(' ')}`, () => assertUsageError(() => resolveConfig({ file, sets }), message));
  }

  it('still names the file for a bad file value next to good --set values', () => {
    const bad = fixture('bad-seed.yaml', 'seed: -1\n');
    assertUsageError(
      () => resolveConfig({ file: bad, sets: ['model.k=3'] }),
      `${bad}: seed: expected an integer >= 0, got -1`,
    );
  });
});
