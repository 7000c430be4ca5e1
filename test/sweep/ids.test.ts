import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/load';
import { expandSweep } from '../../src/sweep/expand';
import { runId, sweepId } from '../../src/sweep/ids';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparse-adam-ids-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function configFile(name: string, text: string) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return resolveConfig({ file });
}

const base = resolveConfig({ sets: ['sweep={optimizer.lr: [0.001, 0.01], seed: 2}'] });

describe('runId and sweepId: stable', () => {
  const inOrder = configFile(
    'in-order.yaml',
    'seed: 1\nmodel:\n  hidden: 500\n  k: 40\noptimizer:\n  name: lazy-adam\n  lr: 0.01\nsweep:\n  optimizer.lr: [0.001, 0.01]\n  seed: 2\n',
  );
  const reordered = configFile(
    'reordered.yaml',
    'optimizer:\n  lr: 0.01\n  name: lazy-adam\nmodel:\n  k: 40\n  hidden: 500\nsweep:\n  optimizer.lr: [0.001, 0.01]\n  seed: 2\nseed: 1\n',
  );

  it('are 10 hex characters', () => {
    assert.match(runId(inOrder), /^[0-9a-f]{10}$/);
    assert.match(sweepId(inOrder), /^[0-9a-f]{10}$/);
  });

  it('do not change when the keys of the file are reordered', () => {
    assert.equal(runId(reordered), runId(inOrder));
    assert.equal(sweepId(reordered), sweepId(inOrder));
  });

  it('are the same from a file and from --set', () => {
    const fromSets = resolveConfig({ sets: ['seed=1', 'model.hidden=500', 'model.k=40', 'optimizer.name=lazy-adam', 'optimizer.lr=0.01'] });
    assert.equal(runId(fromSets), runId(inOrder));
  });

  it('give a sweep point the id of the same config written out without a sweep', () => {
    const point = expandSweep(base, 'x.yaml')[3]!;
    assert.deepEqual(point.values, { 'optimizer.lr': 0.01, seed: 1 });
    assert.equal(runId(point.config), runId(resolveConfig({ sets: ['optimizer.lr=0.01', 'seed=1'] })));
  });
});

describe('runId and sweepId: keys added later leave the ids of earlier runs unchanged', () => {
  // Ids computed before model.k_schedule existed (commit 7c1bb74).
  it('at model.k_schedule\'s default (no schedule)', () => {
    assert.equal(runId(resolveConfig({})), '30701ed990');
    assert.equal(runId(resolveConfig({ sets: ['train.mode=gather', 'model.lifetime_sparsity=true', 'optimizer.name=lazy-adam', 'seed=2'] })), 'eb450bc27f');
    assert.equal(sweepId(resolveConfig({ sets: ['sweep={seed: 3}'] })), 'c7d644798f');
  });
  it('while a schedule changes them', () => {
    assert.notEqual(runId(resolveConfig({ sets: ['model.k_schedule.from=100'] })), '30701ed990');
    assert.notEqual(sweepId(resolveConfig({ sets: ['sweep={seed: 3}', 'model.k_schedule.from=100'] })), 'c7d644798f');
  });
});

describe('runId: what counts', () => {
  const changes = ['seed=1', 'model.k=26', 'model.k_schedule.from=100', 'model.tied=false', 'optimizer.lr=0.0011', 'optimizer.name=lazy-adam', 'train.mode=gather', 'eval.classifier_l2=[0.001]', 'data.train_limit=500'];
  const defaults = runId(resolveConfig({}));
  for (const change of changes) {
    it(`changes with ${change}`, () => assert.notEqual(runId(resolveConfig({ sets: [change] })), defaults));
  }
  it('differs for each of these changes', () => {
    const ids = changes.map((change) => runId(resolveConfig({ sets: [change] })));
    assert.equal(new Set(ids).size, changes.length);
  });

  const ignored = ['name=other', 'out=/tmp/elsewhere', 'sweep={seed: 3}'];
  for (const change of ignored) {
    it(`does not change with ${change}`, () => assert.equal(runId(resolveConfig({ sets: [change] })), runId(resolveConfig({}))));
  }
});

describe('sweepId: what counts', () => {
  it('does not change with name or out', () => {
    const renamed = resolveConfig({ sets: ['sweep={optimizer.lr: [0.001, 0.01], seed: 2}', 'name=other', 'out=/tmp/x'] });
    assert.equal(sweepId(renamed), sweepId(base));
  });

  const changes = [
    'sweep={optimizer.lr: [0.001, 0.02], seed: 2}',
    'sweep={optimizer.lr: [0.001, 0.01], seed: 3}',
    'sweep={seed: 2, optimizer.lr: [0.001, 0.01]}',
    'sweep=null',
  ];
  for (const change of changes) {
    it(`changes with ${change}`, () => assert.notEqual(sweepId(resolveConfig({ sets: [change] })), sweepId(base)));
  }

  it('changes with the base config', () => {
    assert.notEqual(sweepId(resolveConfig({ sets: ['sweep={optimizer.lr: [0.001, 0.01], seed: 2}', 'model.k=40'] })), sweepId(base));
  });
});
