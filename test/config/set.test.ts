import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyOverride, parseSet } from '../../src/config/set';
import { assertUsageError } from './usage-error';
import { MODEL_KEYS, TOP_LEVEL_KEYS } from './keys';


describe('parseSet: values typed by the schema', () => {
  const cases: [text: string, value: unknown][] = [
    ['optimizer.lr=1e-3', 0.001],
    ['optimizer.epsilon=1e-8', 1e-8],
    ['model.k=40', 40],
    ['model.tied=false', false],
    ['train.shuffle=true', true],
    ['eval.classifier_l2=[0.001,0.01]', [0.001, 0.01]],
    ['eval.classifier_l2=[0.001, 0.01]', [0.001, 0.01]],
    ['data.dir=null', null],
    ['data.train_limit=null', null],
    ['data.train_limit=500', 500],
    ['data.dir=/tmp/mnist', '/tmp/mnist'],
    ['name=123', '123'],
    ['name=true', 'true'],
    ['name=null', 'null'],
    ['name=a=b', 'a=b'],
    ['backend=cpu', 'cpu'],
    ['backend=gpu', 'gpu'],
    ['model.k=abc', 'abc'],
    ['eval.classifier_l2=[1,', '[1,'],
    ['seed=', null],
  ];
  for (const [text, value] of cases) {
    it(`${text} gives ${JSON.stringify(value)}`, () => {
      assert.deepEqual(parseSet(text).value, value);
    });
  }
});

describe('parseSet: key paths', () => {
  it('splits a nested path into its section and key', () => {
    const override = parseSet('model.k=3');
    assert.deepEqual([override.sectionPath, override.key, override.text], [['model'], 'k', 'model.k=3']);
  });
  it('takes a top-level key with an empty section path', () => {
    const override = parseSet('seed=7');
    assert.deepEqual([override.sectionPath, override.key], [[], 'seed']);
  });
});

describe('parseSet: refusals', () => {
  const cases: [text: string, message: string][] = [
    ['model.k', '--set model.k: expected key.path=value'],
    ['=3', '--set =3: missing key before "="'],
    ['modle.k=3', `--set modle.k=3: modle: unknown key (known top-level keys: ${TOP_LEVEL_KEYS})`],
    ['model.hiden=3', `--set model.hiden=3: model.hiden: unknown key (known keys in model: ${MODEL_KEYS})`],
    ['toString=3', `--set toString=3: toString: unknown key (known top-level keys: ${TOP_LEVEL_KEYS})`],
    ['model=3', `--set model=3: model is a section; set one of its keys (${MODEL_KEYS})`],
    ['model.k.x=3', '--set model.k.x=3: model.k is a setting, not a section'],
  ];
  for (const [text, message] of cases) {
    it(`refuses ${text}`, () => assertUsageError(() => parseSet(text), message));
  }
});

describe('applyOverride', () => {
  it('creates the sections on the path', () => {
    const raw: Record<string, unknown> = {};
    applyOverride(raw, parseSet('model.k=3'));
    assert.deepEqual(raw, { model: { k: 3 } });
  });
  it('replaces the value and keeps its siblings', () => {
    const raw: Record<string, unknown> = { seed: 1, model: { k: 10, hidden: 50 } };
    applyOverride(raw, parseSet('model.k=3'));
    assert.deepEqual(raw, { seed: 1, model: { k: 3, hidden: 50 } });
  });
  it('refuses to write inside a section the file set to a non-mapping', () => {
    assertUsageError(
      () => applyOverride({ model: 5 }, parseSet('model.k=3')),
      '--set model.k=3: model is 5 in the config file, not a mapping',
    );
  });
});
