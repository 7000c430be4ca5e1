import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { configToYaml, deepFreeze } from '../../src/config/format';
import { resolveConfig } from '../../src/config/load';
import { configSchema, type Config } from '../../src/config/schema';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparse-adam-format-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The config with every mapping's keys in reverse order. */
function reversedKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([key, child]) => [key, reversedKeys(child)]));
}

describe('configToYaml', () => {
  const config = resolveConfig({ sets: ['name=123', 'data.dir=null', 'optimizer.lr=3e-4', 'eval.classifier_l2=[0.5]'] });

  it('lists the top-level keys in schema order', () => {
    const topLevel = configToYaml(resolveConfig({}))
      .split('\n')
      .filter((line) => /^\w/.test(line))
      .map((line) => line.split(':')[0]);
    assert.deepEqual(topLevel, Object.keys(configSchema.shape));
  });

  it('does not depend on the key order of its input', () => {
    assert.equal(configToYaml(reversedKeys(config) as Config), configToYaml(config));
  });

  it('writes lists of numbers on one line and other lists one item per line', () => {
    const yaml = configToYaml(resolveConfig({ sets: ['data.mirrors=[https://a.example/mnist/, https://b.example/]'] }));
    assert.match(yaml, /^  classifier_l2: \[0\.0001, 0\.001, 0\.01\]$/m);
    assert.match(yaml, /^  mirrors:\n    - https:\/\/a\.example\/mnist\/\n    - https:\/\/b\.example\/$/m);
  });

  it('reads back as the same config', () => {
    const file = path.join(dir, 'config.yaml');
    fs.writeFileSync(file, configToYaml(config));
    assert.deepEqual(resolveConfig({ file }), config);
    assert.equal(resolveConfig({ file }).name, '123');
  });
});

describe('deepFreeze', () => {
  it('freezes nested mappings and lists and returns the same value', () => {
    const value = { a: { b: [1, { c: 2 }] } };
    assert.equal(deepFreeze(value), value);
    assert.ok(Object.isFrozen(value.a) && Object.isFrozen(value.a.b) && Object.isFrozen(value.a.b[1]));
  });
});
