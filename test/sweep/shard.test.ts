import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/load';
import { expandSweep } from '../../src/sweep/expand';
import { chooseShard, parseShard, pointsOfShard, shardFromEnv, type Shard } from '../../src/sweep/shard';
import { assertUsageError } from '../config/usage-error';

describe('parseShard', () => {
  const cases: [text: string, shard: Shard][] = [
    ['1/1', { index: 1, count: 1 }],
    ['1/2', { index: 1, count: 2 }],
    ['2/2', { index: 2, count: 2 }],
    ['7/10', { index: 7, count: 10 }],
    [' 3 / 4 ', { index: 3, count: 4 }],
  ];
  for (const [text, shard] of cases) {
    it(`reads ${JSON.stringify(text)}`, () => assert.deepEqual(parseShard(text), shard));
  }

  const refused = ['3/2', '0/2', '0/0', '1/0', '-1/2', '1.5/2', 'a/b', '1', '1/2/3', '/2', ''];
  for (const text of refused) {
    it(`refuses ${JSON.stringify(text)}`, () => {
      assertUsageError(() => parseShard(text), `--shard ${text}: expected I/N with 1 <= I <= N`);
    });
  }
});

describe('shardFromEnv: SLURM array tasks', () => {
  const cases: [env: NodeJS.ProcessEnv, shard: Shard | undefined][] = [
    [{}, undefined],
    [{ SLURM_ARRAY_TASK_ID: '2' }, undefined],
    [{ SLURM_ARRAY_TASK_COUNT: '4' }, undefined],
    [{ SLURM_ARRAY_TASK_ID: '', SLURM_ARRAY_TASK_COUNT: '' }, undefined],
    [{ SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '4' }, { index: 1, count: 4 }],
    [{ SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '4' }, { index: 4, count: 4 }],
    [{ SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '0' }, { index: 1, count: 4 }],
    [{ SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '1' }, { index: 1, count: 4 }],
    [{ SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '1' }, { index: 4, count: 4 }],
    [{ SLURM_ARRAY_TASK_ID: '12', SLURM_ARRAY_TASK_COUNT: '3', SLURM_ARRAY_TASK_MIN: '10' }, { index: 3, count: 3 }],
  ];
  for (const [env, shard] of cases) {
    it(`gives ${shard === undefined ? 'no shard' : `${shard.index}/${shard.count}`} for ${JSON.stringify(env)}`, () => {
      assert.deepEqual(shardFromEnv(env), shard);
    });
  }

  const refused: [env: NodeJS.ProcessEnv, vars: string][] = [
    [{ SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_COUNT: '4' }, 'SLURM_ARRAY_TASK_ID=4, SLURM_ARRAY_TASK_MIN=(unset), SLURM_ARRAY_TASK_COUNT=4'],
    [{ SLURM_ARRAY_TASK_ID: '6', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '0' }, 'SLURM_ARRAY_TASK_ID=6, SLURM_ARRAY_TASK_MIN=0, SLURM_ARRAY_TASK_COUNT=4'],
    [{ SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '1' }, 'SLURM_ARRAY_TASK_ID=0, SLURM_ARRAY_TASK_MIN=1, SLURM_ARRAY_TASK_COUNT=4'],
    [{ SLURM_ARRAY_TASK_ID: 'x', SLURM_ARRAY_TASK_COUNT: '4' }, 'SLURM_ARRAY_TASK_ID=x, SLURM_ARRAY_TASK_MIN=(unset), SLURM_ARRAY_TASK_COUNT=4'],
  ];
  for (const [env, vars] of refused) {
    it(`refuses ${vars}`, () => {
      assertUsageError(
        () => shardFromEnv(env),
        `${vars}: expected task ids MIN to MIN + COUNT - 1 (an --array range without a step); or pass --shard I/N`,
      );
    });
  }
});

describe('chooseShard', () => {
  const slurm = { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '2' };
  it('takes --shard over the SLURM task', () => assert.deepEqual(chooseShard('1/3', slurm), { index: 1, count: 3 }));
  it('takes the SLURM task without --shard', () => assert.deepEqual(chooseShard(undefined, slurm), { index: 2, count: 2 }));
  it('is no shard outside SLURM without --shard', () => assert.equal(chooseShard(undefined, {}), undefined));
});

describe('pointsOfShard', () => {
  const points = expandSweep(resolveConfig({ sets: ['sweep={optimizer.lr: [0.001, 0.01, 0.1], seed: 4}'] }), 'x.yaml');
  const indices = (shard: Shard | undefined) => pointsOfShard(points, shard).map((point) => point.index);

  it('keeps every point without a shard', () => assert.deepEqual(indices(undefined), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]));

  it('deals the points out by index', () => {
    assert.deepEqual(indices({ index: 1, count: 5 }), [0, 5, 10]);
    assert.deepEqual(indices({ index: 5, count: 5 }), [4, 9]);
  });

  for (const count of [1, 2, 3, 5, 12, 13]) {
    it(`splits 12 points into ${count} disjoint shards that cover them all, sizes within one`, () => {
      const shares = Array.from({ length: count }, (_, i) => indices({ index: i + 1, count }));
      const all = shares.flat();
      assert.equal(new Set(all).size, all.length, 'a point is in two shards');
      assert.deepEqual([...all].sort((a, b) => a - b), indices(undefined));
      const sizes = shares.map((share) => share.length);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `sizes ${sizes.join(', ')}`);
    });
  }

  it("gives a shard the same points whatever order they come in (a point's index decides)", () => {
    const shard = { index: 2, count: 3 };
    const reversed = pointsOfShard([...points].reverse(), shard).map((point) => point.index);
    assert.deepEqual([...reversed].sort((a, b) => a - b), indices(shard));
    assert.deepEqual(indices(shard), indices(shard));
  });
});
