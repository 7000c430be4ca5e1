import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/load';
import { NON_RESULT_KEYS } from '../../src/config/schema';
import { expandSweep } from '../../src/sweep/expand';
import { ADDED_KEYS, experimentId, runId, sweepId, type RunInputs } from '../../src/sweep/ids';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparse-adam-ids-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function configFile(name: string, text: string) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return resolveConfig({ file });
}

/** Inputs by content: a made-up data fingerprint, no warm start. */
const DATA: RunInputs = { data: 'sha256:aaaa', init: null };
const idOf = (sets: string[] = [], inputs: RunInputs = DATA) => runId(resolveConfig({ sets }), inputs);

const base = resolveConfig({ sets: ['sweep={optimizer.lr: [0.001, 0.01], seed: 2}'] });

describe('runId: pinned', () => {
  it('gives the default config on this data fingerprint the id it had when ids were pinned', () => {
    // A literal on purpose: a new config key with a default re-ids every existing run
    // (and stops old sweeps resuming) unless its old-behaviour value is listed in
    // ADDED_KEYS (src/sweep/ids.ts). If this fails, list the new key there; do not
    // change the literal.
    assert.equal(idOf(), 'e2479f447c');
  });
});

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
    assert.match(runId(inOrder, DATA), /^[0-9a-f]{10}$/);
    assert.match(sweepId(inOrder), /^[0-9a-f]{10}$/);
    assert.match(experimentId(inOrder), /^[0-9a-f]{10}$/);
  });

  it('do not change when the keys of the file are reordered', () => {
    assert.equal(runId(reordered, DATA), runId(inOrder, DATA));
    assert.equal(sweepId(reordered), sweepId(inOrder));
    assert.equal(experimentId(reordered), experimentId(inOrder));
  });

  it('are the same from a file and from --set', () => {
    const fromSets = resolveConfig({ sets: ['seed=1', 'model.hidden=500', 'model.k=40', 'optimizer.name=lazy-adam', 'optimizer.lr=0.01'] });
    assert.equal(runId(fromSets, DATA), runId(inOrder, DATA));
  });

  it('give a sweep point the id of the same config written out without a sweep', () => {
    const point = expandSweep(base, 'x.yaml')[3]!;
    assert.deepEqual(point.values, { 'optimizer.lr': 0.01, seed: 1 });
    assert.equal(runId(point.config, DATA), idOf(['optimizer.lr=0.01', 'seed=1']));
  });
});

describe('ADDED_KEYS: model.k_schedule, added after ids were pinned', () => {
  it('off (its default) leaves the pinned id as it was', () => assert.equal(idOf(), 'e2479f447c'));
  it('on, it changes the id', () => assert.notEqual(idOf(['model.k_schedule.from=100']), idOf()));
});

describe('runId: what counts', () => {
  const changes = ['seed=1', 'model.k=26', 'model.k_schedule.from=100', 'model.tied=false', 'optimizer.lr=0.0011', 'optimizer.name=lazy-adam', 'train.mode=gather', 'eval.classifier_l2=[0.001]', 'data.validation_fraction=0.2'];
  const defaults = idOf();
  for (const change of changes) {
    it(`changes with ${change}`, () => assert.notEqual(idOf([change]), defaults));
  }
  it('differs for each of these changes', () => {
    const ids = changes.map((change) => idOf([change]));
    assert.equal(new Set(ids).size, changes.length);
  });

  it('changes with the data fingerprint: other data never shares an id', () => {
    assert.notEqual(idOf([], { data: 'sha256:bbbb', init: null }), defaults);
  });

  it('changes with the content of the warm-start weights, not their path', () => {
    const warm = (file: string, init: string) => idOf([`init_from=${file}`], { data: DATA.data, init });
    assert.notEqual(warm('/a/w.json', 'sha256:1111'), defaults);
    assert.equal(warm('/a/w.json', 'sha256:1111'), warm('/cluster/b/w.json', 'sha256:1111'));
    assert.notEqual(warm('/a/w.json', 'sha256:1111'), warm('/a/w.json', 'sha256:2222'));
  });

  // Where results go, how fast they are made, how the data is fetched and where it is
  // read from: the same data elsewhere keeps the id (the fingerprint stands for it).
  const ignored = ['name=other', 'out=/tmp/elsewhere', 'sweep={seed: 3}', 'backend=cpu', 'data.download=false', 'data.mirrors=[https://example.org/]', 'data.download_timeout=5', 'eval.batch_size=77', 'data.dir=/cluster/mnist', 'data.source=idx', 'data.train_limit=500'];
  for (const change of ignored) {
    it(`does not change with ${change} on the same data`, () => assert.equal(idOf([change]), defaults));
  }

  it('leaves out every key that does not change results', () => {
    const sets: Record<string, string> = { name: 'x', out: '/x', sweep: '{seed: 2}', backend: 'wasm', 'data.download': 'false', 'data.mirrors': '[https://x.org/]', 'data.download_timeout': '5', 'eval.batch_size': '5' };
    assert.deepEqual(Object.keys(sets).sort(), [...NON_RESULT_KEYS].sort());
  });
});

describe('experimentId: the runs of one base experiment', () => {
  const sweep = (lrs: string, extra: string[] = []) => resolveConfig({ sets: [`sweep={optimizer.lr: ${lrs}, optimizer.name: [adam, lazy-adam]}`, ...extra] });

  it('is the same when the sweep is extended with another learning rate', () => {
    assert.equal(experimentId(sweep('[0.001, 0.01, 0.1]')), experimentId(sweep('[0.001, 0.01]')));
    assert.notEqual(sweepId(sweep('[0.001, 0.01, 0.1]')), sweepId(sweep('[0.001, 0.01]')));
  });

  it('is the same wherever the data is read from', () => {
    assert.equal(experimentId(sweep('[0.001]', ['data.dir=/a'])), experimentId(sweep('[0.001]', ['data.dir=/b'])));
  });

  it('changes with the base config or the set of swept keys', () => {
    assert.notEqual(experimentId(sweep('[0.001]', ['model.k=40'])), experimentId(sweep('[0.001]')));
    assert.notEqual(experimentId(resolveConfig({ sets: ['sweep={optimizer.lr: [0.001]}'] })), experimentId(sweep('[0.001]')));
  });
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

describe('ADDED_KEYS: keys added later keep old ids at their old-behaviour value', () => {
  it('leaves a listed key out at that value and counts it at any other', () => {
    const added = ADDED_KEYS as Record<string, unknown>;
    const [atDefault, changed] = [idOf(), idOf(['optimizer.momentum=0.5'])];
    added['optimizer.momentum'] = 0.9; // as if momentum were new, with 0.9 computing what runs did before
    try {
      assert.notEqual(idOf(), atDefault, 'at its old value the key is left out of the hash');
      assert.equal(idOf(), runId(withoutMomentum(resolveConfig({})), DATA));
      assert.equal(idOf(['optimizer.momentum=0.5']), changed, 'at any other value it counts as before');
    } finally {
      delete added['optimizer.momentum'];
    }
  });
});

/** The config as if it had no optimizer.momentum key (a config of a version before it). */
function withoutMomentum(config: ReturnType<typeof resolveConfig>) {
  const { momentum: _momentum, ...optimizer } = config.optimizer;
  return { ...config, optimizer } as unknown as ReturnType<typeof resolveConfig>;
}
