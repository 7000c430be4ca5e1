import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/load';
import { configSchema, MAX_SWEEP_RUNS, type Config } from '../../src/config/schema';
import { expandSweep, sweepSource } from '../../src/sweep/expand';
import { MODEL_KEYS, TOP_LEVEL_KEYS } from '../config/keys';
import { assertUsageError } from '../config/usage-error';

/** The points of a sweep given as a YAML flow mapping, e.g. `{seed: 3}`. */
function pointsOf(sweep: string) {
  return expandSweep(resolveConfig({ sets: [`sweep=${sweep}`] }), 'x.yaml');
}

function valuesOf(sweep: string): Record<string, unknown>[] {
  return pointsOf(sweep).map((point) => point.values);
}

/** The value of a dotted key in a config. */
function settingOf(config: Config, key: string): unknown {
  return key.split('.').reduce<unknown>((section, part) => (section as Record<string, unknown>)[part], config);
}

describe('expandSweep: the grid', () => {
  const points = pointsOf('{optimizer.name: [adam, lazy-adam], model.k: [10, 20, 30], train.shuffle: [true, false]}');

  it('has one point per combination: 2 x 3 x 2 = 12, indexed from 0', () => {
    assert.deepEqual(points.map((point) => point.index), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('varies the last key fastest and the first slowest, in the order the keys are written', () => {
    const rows = points.map(({ values }) => [values['optimizer.name'], values['model.k'], values['train.shuffle']]);
    assert.deepEqual(rows, [
      ['adam', 10, true], ['adam', 10, false], ['adam', 20, true], ['adam', 20, false], ['adam', 30, true], ['adam', 30, false],
      ['lazy-adam', 10, true], ['lazy-adam', 10, false], ['lazy-adam', 20, true], ['lazy-adam', 20, false], ['lazy-adam', 30, true], ['lazy-adam', 30, false],
    ]);
    assert.deepEqual(Object.keys(points[0]!.values), ['optimizer.name', 'model.k', 'train.shuffle']);
  });

  it("writes each point's values into its config and keeps the rest of the base", () => {
    const point = points[9]!;
    assert.deepEqual([point.config.optimizer.name, point.config.model.k, point.config.train.shuffle], ['lazy-adam', 20, false]);
    assert.deepEqual([point.config.model.hidden, point.config.optimizer.lr], [1000, 1e-3]);
  });

  it('gives frozen configs without a sweep section', () => {
    for (const { config } of points) {
      assert.equal(config.sweep, null);
      assert.ok(Object.isFrozen(config) && Object.isFrozen(config.model));
    }
  });

  it('is one point with no values, the base itself, without a sweep', () => {
    const base = resolveConfig({ sets: ['model.k=40'] });
    assert.deepEqual(expandSweep(base, 'x.yaml'), [{ index: 0, values: {}, config: base }]);
  });

  it('takes null for a nullable setting', () => {
    assert.deepEqual(
      pointsOf('{data.train_limit: [null, 500]}').map((point) => point.config.data.train_limit),
      [null, 500],
    );
  });
});

describe('expandSweep: the size limit, checked from the sweep section before expanding', () => {
  const cases: [sweep: string, message: string][] = [
    ['{seed: 1000000}', 'x.yaml: sweep: 1000000 runs (seed 1000000), more than the 10000 one sweep may have; split it into several sweeps'],
    [
      '{optimizer.lr: {from: 1.0e-4, to: 1, count: 1000000000}, seed: 3}',
      'x.yaml: sweep: 3000000000 runs (optimizer.lr 1000000000 x seed 3), more than the 10000 one sweep may have; split it into several sweeps',
    ],
    [
      `{model.k: [${Array.from({ length: 101 }, (_, i) => i + 1).join(', ')}], seed: 100}`,
      'x.yaml: sweep: 10100 runs (model.k 101 x seed 100), more than the 10000 one sweep may have; split it into several sweeps',
    ],
  ];
  for (const [sweep, message] of cases) {
    it(`refuses ${sweep.length > 70 ? `${sweep.slice(0, 67)}...` : sweep}`, () => assertUsageError(() => pointsOf(sweep), message));
  }

  it(`expands a sweep of exactly ${MAX_SWEEP_RUNS} runs`, () => {
    const points = pointsOf(`{optimizer.name: [adam, lazy-adam], seed: ${MAX_SWEEP_RUNS / 2}}`);
    assert.equal(points.length, MAX_SWEEP_RUNS);
    assert.deepEqual(points.at(-1)!.values, { 'optimizer.name': 'lazy-adam', seed: MAX_SWEEP_RUNS / 2 - 1 });
  });
});

describe("expandSweep: a point is the schema's parse of the base with its values", () => {
  it('equals configSchema.parse of the base config with the values written in', () => {
    const base = resolveConfig({ sets: ['model.k=40', 'sweep={model.hidden: [500, 2000], data.train_limit: [null, 100]}'] });
    for (const point of expandSweep(base, 'x.yaml')) {
      const raw = structuredClone({ ...base, sweep: null }) as unknown as Record<string, Record<string, unknown>>;
      raw.model!.hidden = point.values['model.hidden'];
      raw.data!.train_limit = point.values['data.train_limit'];
      assert.deepEqual(point.config, configSchema.parse(raw));
      assert.equal(base.model.hidden, 1000, 'the base is unchanged');
    }
  });
});

describe('expandSweep: values of a key', () => {
  const cases: [sweep: string, key: string, values: unknown[]][] = [
    ['{optimizer.lr: {from: 1.0e-4, to: 1.0e-1, count: 7}}', 'optimizer.lr', [1e-4, 3.162e-4, 1e-3, 3.162e-3, 1e-2, 3.162e-2, 1e-1]],
    ['{optimizer.lr: {from: 1.0e-1, to: 1.0e-3, count: 3}}', 'optimizer.lr', [1e-1, 1e-2, 1e-3]],
    ['{optimizer.lr: {from: 1.0e-3, to: 2.0e-3, count: 2}}', 'optimizer.lr', [1e-3, 2e-3]],
    ['{model.hidden: {from: 100, to: 10000, count: 3}}', 'model.hidden', [100, 1000, 10000]],
    ['{seed: 3}', 'seed', [0, 1, 2]],
    ['{seed: 1}', 'seed', [0]],
    ['{seed: [5, 7]}', 'seed', [5, 7]],
    ['{optimizer.name: [lazy-adam, adam]}', 'optimizer.name', ['lazy-adam', 'adam']],
  ];
  for (const [sweep, key, values] of cases) {
    it(`${sweep} gives ${values.join(', ')}`, () => {
      assert.deepEqual(valuesOf(sweep).map((point) => point[key]), values);
      assert.deepEqual(pointsOf(sweep).map((point) => settingOf(point.config, key)), values);
    });
  }
});

describe('expandSweep: refusals', () => {
  const cases: [sweep: string, message: string][] = [
    ['{model.hiden: [1]}', `x.yaml: sweep.model.hiden: model.hiden: unknown key (known keys in model: ${MODEL_KEYS})`],
    ['{modle.k: [1]}', `x.yaml: sweep.modle.k: modle: unknown key (known top-level keys: ${TOP_LEVEL_KEYS})`],
    ['{model.k.x: [1]}', 'x.yaml: sweep.model.k.x: model.k is a setting, not a section'],
    ['{model: [1]}', `x.yaml: sweep.model: model is a section; sweep one of its keys (${MODEL_KEYS})`],
    ...[['name', '[a, b]'], ['out', '[a, b]'], ['sweep', '[null]'], ['backend', '[wasm, cpu]'], ['data.download', '[true, false]'], ['data.mirrors', '[https://a.org/]'], ['data.download_timeout', '[1, 60]'], ['eval.batch_size', '[100, 1000]']].map(
      ([key, values]): [string, string] => [`{${key}: ${values}}`, `x.yaml: sweep.${key}: ${key} cannot be swept: it does not change what a run computes, so every point would be the same run`],
    ),
    ['{model.init: {from: 1, to: 2, count: 2}}', 'x.yaml: sweep.model.init: a range {from, to, count} is only for numbers, and model.init expects one of normal, glorot'],
    ['{data.dir: {from: 1, to: 2, count: 2}}', 'x.yaml: sweep.data.dir: a range {from, to, count} is only for numbers, and data.dir expects a string or null'],
    ['{model.tied: {from: 1, to: 2, count: 2}}', 'x.yaml: sweep.model.tied: a range {from, to, count} is only for numbers, and model.tied expects true or false'],
    ['{model.k: 3}', 'x.yaml: sweep.model.k: a count (3) is only for seed; give a list of values'],
    ['{model.k: 20000}', 'x.yaml: sweep.model.k: a count (20000) is only for seed; give a list of values'],
    ['{model.tied: {from: 1, to: 2, count: 20000}}', 'x.yaml: sweep.model.tied: a range {from, to, count} is only for numbers, and model.tied expects true or false'],
    ['{optimizer.lr: [0.1, -1]}', 'x.yaml: sweep.optimizer.lr: -1: expected a positive number'],
    ['{train.mode: [mask, dense]}', 'x.yaml: sweep.train.mode: "dense": expected one of mask, gather, gather-remask'],
    ['{optimizer.beta1: {from: 0.5, to: 2, count: 2}}', 'x.yaml: sweep.optimizer.beta1: 2: expected a number >= 0 and < 1'],
    ['{model.hidden: {from: 100, to: 1000, count: 3}}', 'x.yaml: sweep.model.hidden: 316.2: expected a positive integer <= 342386'],
    ['{optimizer.lr: [0.1], model.k: [5, 0]}', 'x.yaml: sweep.model.k: 0: expected a positive integer'],
    ['{eval.classifier_l2: [0.01]}', 'x.yaml: sweep.eval.classifier_l2: 0.01: expected a non-empty list, each a number >= 0'],
    ['{optimizer.name: [adam, lazy-adam, adam]}', 'x.yaml: sweep.optimizer.name: "adam" appears twice; each run must differ'],
    ['{optimizer.lr: {from: 1.0e-3, to: 1.0001e-3, count: 3}}', 'x.yaml: sweep.optimizer.lr: 0.001 appears twice; each run must differ'],
  ];
  for (const [sweep, message] of cases) {
    it(`refuses ${sweep}`, () => assertUsageError(() => pointsOf(sweep), message));
  }
});

describe('sweepSource', () => {
  const cases: [sets: string[], file: string | undefined, source: string][] = [
    [[], 'x.yaml', 'x.yaml'],
    [['model.k=3'], 'x.yaml', 'x.yaml'],
    [['sweep={seed: 2}', 'model.k=3'], 'x.yaml', '--set sweep={seed: 2}'],
    [['sweep={seed: 2}', 'sweep = {seed: 3}'], undefined, '--set sweep = {seed: 3}'],
    [[], undefined, 'config'],
  ];
  for (const [sets, file, source] of cases) {
    it(`names ${source} for ${JSON.stringify({ file, sets })}`, () => assert.equal(sweepSource({ file, sets }), source));
  }
});
