import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/load';
import { expandSweep } from '../../src/sweep/expand';
import { sweepId } from '../../src/sweep/ids';
import { formatCell, sweepHeader } from '../../src/sweep/plan';

describe('formatCell', () => {
  const cases: [value: unknown, cell: string][] = [
    [1e-4, '1e-4'],
    [3.162e-4, '3.162e-4'],
    [1e-8, '1e-8'],
    [1e-3, '0.001'],
    [3.162e-3, '0.003162'],
    [0.1, '0.1'],
    [0, '0'],
    [-1e-4, '-1e-4'],
    [1000, '1000'],
    ['lazy-adam', 'lazy-adam'],
    [true, 'true'],
    [null, 'null'],
  ];
  for (const [value, cell] of cases) {
    it(`shows ${String(value)} as ${cell}`, () => assert.equal(formatCell(value), cell));
  }
});

describe('sweepHeader', () => {
  const base = resolveConfig({ sets: ['sweep={optimizer.lr: {from: 1.0e-4, to: 1.0e-1, count: 7}, optimizer.name: [adam, adam-tf-sparse, lazy-adam]}'] });
  const points = expandSweep(base, 'x.yaml');
  const cases: [shard: { index: number; count: number } | undefined, tail: string][] = [
    [undefined, ''],
    [{ index: 1, count: 2 }, ', shard 1/2: 11 runs'],
    [{ index: 2, count: 2 }, ', shard 2/2: 10 runs'],
    [{ index: 1, count: 20 }, ', shard 1/20: 2 runs'],
    [{ index: 20, count: 20 }, ', shard 20/20: 1 run'],
    [{ index: 3, count: 30 }, ', shard 3/30: 1 run'],
    [{ index: 30, count: 30 }, ', shard 30/30: 0 runs'],
  ];
  for (const [shard, tail] of cases) {
    it(`counts the runs of ${shard === undefined ? 'the whole sweep' : `shard ${shard.index}/${shard.count}`}`, () => {
      assert.equal(sweepHeader(base, points, shard), `sweep ${sweepId(base)}: 21 runs (optimizer.lr x optimizer.name)${tail}`);
    });
  }

  it('says 1 run, without keys, for a config without a sweep', () => {
    const single = resolveConfig({});
    assert.equal(sweepHeader(single, expandSweep(single, 'x.yaml'), undefined), `sweep ${sweepId(single)}: 1 run`);
  });
});
