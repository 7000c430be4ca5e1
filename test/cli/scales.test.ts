/**
 * The reproduction's scales (configs/article/...): every config resolves and expands; every
 * article sweep runs 3 seeds; the CI grid is the 117 runs its time budget is worked out for
 * (README "Reproducing the article"); the long scale is what issue "the long run" asks for.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { SCALES } from '../../src/cli/reproduce';
import { resolveConfig } from '../../src/config/load';
import { expandSweep } from '../../src/sweep/expand';

function experiments(scale: string) {
  const folder = SCALES[scale]!;
  return fs
    .readdirSync(folder)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const source = path.join(folder, file);
      const base = resolveConfig({ file: source });
      return { base, points: expandSweep(base, source) };
    });
}

describe('article scales', () => {
  for (const scale of Object.keys(SCALES)) {
    it(`${scale}: four experiments, each point run with seeds 0, 1, 2`, () => {
      const all = experiments(scale);
      assert.deepEqual(all.map((e) => e.base.name), ['gather-lifetime', 'gather-remask', 'gather', 'mask']);
      for (const { base, points } of all) {
        assert.equal(base.sweep?.seed, 3, `${scale} ${base.name}`);
        assert.deepEqual([...new Set(points.map((p) => p.config.seed))], [0, 1, 2]);
      }
    });
  }

  it('ci: 39 runs a seed, 117 in all, 2 epochs at 1e-4, 1e-3 and 1e-2', () => {
    const all = experiments('ci');
    assert.deepEqual(all.map((e) => e.points.length), [27, 36, 18, 36]);
    for (const { points } of all) {
      assert.deepEqual([...new Set(points.map((p) => p.config.optimizer.lr))], [0.0001, 0.001, 0.01]);
      assert.ok(points.every((p) => p.config.train.epochs === 2));
    }
  });

  it('long: 24,000 images, 20 epochs, 7 rates from 1e-4 to 1e-1, the four Adam variants, 336 runs', () => {
    const all = experiments('long');
    assert.equal(all.reduce((sum, e) => sum + e.points.length, 0), 336);
    for (const { points } of all) {
      assert.deepEqual([...new Set(points.map((p) => p.config.optimizer.name))], ['adam', 'lazy-adam', 'lazy-adam-rowstep', 'count-adam']);
      assert.deepEqual([...new Set(points.map((p) => p.config.optimizer.lr))], [0.0001, 0.0003162, 0.001, 0.003162, 0.01, 0.03162, 0.1]);
      assert.ok(points.every((p) => p.config.train.epochs === 20 && p.config.data.train_limit === 24000 && p.config.data.source === 'idx'));
    }
  });
});
