/**
 * The charts' specs on the fake reproduction: seed means with t-interval error bars, a
 * blown-up and two diverged runs kept off the scale and flagged, coinciding series named
 * in the panel header and the legend, words for axis titles, the colour-blind-safe palette,
 * panels as wide as the page.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { reportCharts, type Chart } from '../../src/report/charts';
import { PAGE_WIDTH } from '../../src/report/chartSpec';
import { OPTIMIZER_STYLE } from '../../src/report/palette';
import { readExperiment } from '../../src/report/read';
import { useBackend } from '../backends';
import { withTempDir } from '../data/fixtures';
import { fakeReproduction } from './fixture';

before(() => useBackend('cpu'));

type Row = Record<string, string | number | null>;

function chartsOf(dir: string): Chart[] {
  return reportCharts(fakeReproduction(path.join(dir, 'runs')).experiments.map(readExperiment));
}

const rowsOf = (chart: Chart) => (chart.spec as { data: { values: Row[] } }).data.values;
const json = (chart: Chart) => JSON.stringify(chart.spec);

test('seven charts: three against the learning rate, two responses, two per epoch', () =>
  withTempDir((dir) => {
    assert.deepEqual(chartsOf(dir).map((chart) => chart.title), [
      'Final test error against learning rate',
      'Final test reconstruction MSE against learning rate',
      'Dead cells against learning rate',
      'Response to the learning rate: test error',
      'Response to the learning rate: test MSE',
      'Training loss per epoch',
      'Fraction of cells gathered per epoch',
    ]);
  }));

test('test error: seed means in % with the 95% t-interval over seeds (hand-computed)', () =>
  withTempDir((dir) => {
    const rows = rowsOf(chartsOf(dir)[0]!);
    const point = rows.find((row) => row.kind === 'point' && row.panel === 'mask-lr' && row.optimizer === 'adam' && row.lr === 0.001)!;
    // errors 8.77% and 8.87%: mean 8.82, s / sqrt(2) = 0.05, half-width t(0.975, 1) * 0.05 = 0.6353
    assert.ok(Math.abs(Number(point.mean) - 8.82) < 1e-9);
    assert.ok(Math.abs(Number(point.high) - 8.82 - 0.635310236808735) < 1e-6, String(point.high));
    assert.equal(point.seeds, 2);
    const single = rows.find((row) => row.kind === 'point' && row.panel === 'mask-lr' && row.optimizer === 'lazy-adam' && row.lr === 0.01)!;
    assert.deepEqual([single.seeds, single.low, single.high], [1, null, null], 'the blown-up seed is left out; one seed has no interval');
  }));

test('test MSE: the blown-up run (6.7e7) is off the scale, and it and the diverged runs are flagged at their rate', () =>
  withTempDir((dir) => {
    const rows = rowsOf(chartsOf(dir)[1]!);
    const points = rows.filter((row) => row.kind === 'point');
    assert.ok(points.every((row) => Number(row.mean) < 0.02), JSON.stringify(points.map((row) => row.mean)));
    const flags = rows.filter((row) => row.kind === 'flag').map((row) => [row.panel, row.optimizer, row.lr, row.flag]);
    assert.deepEqual(flags, [
      ['mask-lr', 'adam', 0.1, 'diverged'],
      ['mask-lr', 'adam', 0.1, 'diverged'],
      ['mask-lr', 'lazy-adam', 0.01, 'blown up'],
    ]);
    assert.doesNotMatch(json(chartsOf(dir)[1]!), /"type":"log"[^}]*"domain"[^}]*1e\+?8/, 'no log axis stretched to 1e8');
  }));

test('coinciding series: gather-lifetime adam = lazy-adam, in the panel header and the legend; mask-lr has none', () =>
  withTempDir((dir) => {
    for (const chart of chartsOf(dir).filter((c) => !c.title.startsWith('Response'))) {
      const text = json(chart);
      assert.match(text, /on top of each other:\\",\\"adam = lazy-adam\\"/, chart.title);
      assert.match(text, /lazy-adam \(= adam in gather-lifetime\)/, chart.title);
      assert.doesNotMatch(text, /mask-lr[^\]]*on top of each other/, chart.title);
    }
  }));

test('axis titles are words; colours are the palette; two panels share the page width', () =>
  withTempDir((dir) => {
    const [testError] = chartsOf(dir);
    const spec = testError!.spec as unknown as { columns: number; spec: { width: number; encoding: Record<string, { title?: string; scale?: { range?: string[] } }> } };
    assert.deepEqual([spec.spec.encoding.x!.title, spec.spec.encoding.y!.title], ['Learning rate', 'Test error (%)']);
    assert.deepEqual(spec.spec.encoding.color!.scale!.range, [OPTIMIZER_STYLE.adam.colour, OPTIMIZER_STYLE['lazy-adam'].colour]);
    assert.equal(spec.columns, 2);
    assert.ok(2 * spec.spec.width > 0.8 * PAGE_WIDTH, String(spec.spec.width));
  }));

test('responses: one bar per optimizer with two complete rates, the baseline rule when mask adam is there', () =>
  withTempDir((dir) => {
    const rows = rowsOf(chartsOf(dir)[3]!);
    // mask-lr lazy-adam has one complete rate (0.01 lost a seed to the blow-up), so no response
    assert.deepEqual(rows.filter((row) => row.kind === 'bar').map((row) => [row.experiment, row.optimizer]), [
      ['mask-lr', 'adam'],
      ['gather-lifetime', 'adam'],
      ['gather-lifetime', 'lazy-adam'],
    ]);
    const adam = rows.find((row) => row.kind === 'bar' && row.experiment === 'mask-lr')!;
    assert.ok(Math.abs(Number(adam.mean) - 1) < 1e-9, 'errors 9.82 and 8.82 seed means: 1 point'); // per seed: 1, 1
    assert.equal(rows.filter((row) => row.kind === 'rule').length, 0, 'the fake has no experiment named mask');
  }));
