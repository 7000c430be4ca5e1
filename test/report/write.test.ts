import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { PNG } from 'pngjs';
import { gridSide } from '../../src/report/images';
import { writeReport } from '../../src/report/write';
import { useBackend } from '../backends';
import { withTempDir } from '../data/fixtures';
import { configOf, fakeReproduction, GATHER, MASK, writeFakeExperiment, fakeRunId } from './fixture';

before(() => useBackend('cpu'));

/** The markdown table row that starts with the cells `first` (e.g. "F1" or "mask-lr | adam"). */
function rowOf(markdown: string, first: string): string[] {
  const line = markdown.split('\n').find((l) => l.startsWith(`| ${first} |`));
  assert.ok(line, `no table row for ${first}`);
  return line.slice(2, -2).split(' | ');
}

test('writeReport writes report.md, report.html and two PNGs, and returns their paths', () =>
  withTempDir(async (dir) => {
    const written = await writeReport(fakeReproduction(path.join(dir, 'runs')), path.join(dir, 'report'));
    assert.equal(written.markdown, path.join(dir, 'report', 'report.md'));
    assert.equal(written.html, path.join(dir, 'report', 'report.html'));
    assert.deepEqual(written.images.map((f) => path.basename(f)), ['filters.png', 'reconstructions.png']);
    for (const file of [written.markdown, written.html, ...written.images]) assert.ok(fs.statSync(file).size > 0, file);
  }));

test('report.md: provenance, then the verdict table, with each verdict, figures (one per line) and escaped text', () =>
  withTempDir(async (dir) => {
    const { markdown } = await writeReport(fakeReproduction(path.join(dir, 'runs')), path.join(dir, 'report'));
    const text = fs.readFileSync(markdown, 'utf8');
    assert.match(text, /^- report written: \d{4}-\d\d-\d\dT[\d:.]+Z$/m);
    assert.match(text, /^- package \(runs\): sparse-adam \d+\.\d+\.\d+$/m);
    assert.match(text, /^- git commit \(report\): ([0-9a-f]{40}( \+ uncommitted changes)?|unknown \(not a git checkout\))$/m);
    assert.match(text, /^- backend: cpu, Node v\d+/m);
    assert.match(text, /^- data: embedded$/m);
    assert.match(text, /^- seeds: 0, 1$/m);
    assert.match(text, /^- command: sparse-adam report fake --scale test$/m);
    assert.ok(text.indexOf('| id | finding | verdict |') < text.indexOf('| optimizer.name | optimizer.lr |'), 'verdicts before runs');
    assert.deepEqual(rowOf(text, 'F1').slice(0, 5), ['F1', 'gather gathers every cell', 'holds', 'fraction >= 0.99', 'gathered_fraction: 1']);
    assert.deepEqual(rowOf(text, 'F2').slice(2, 6), ['does not hold', '\\|difference\\| <= 0.005', 'difference: 0.01235', 'A \\| pipe and <b>markup</b> in `gather` mode.']);
    assert.equal(rowOf(text, 'F4')[4], 'slope: -0.02<br>note: few rates');
  }));

test('report.md: one row per optimizer and rate with seed means, even precision, the chosen rate; no id, mode or accuracy columns', () =>
  withTempDir(async (dir) => {
    const { markdown } = await writeReport(fakeReproduction(path.join(dir, 'runs')), path.join(dir, 'report'));
    const text = fs.readFileSync(markdown, 'utf8');
    const header = '| optimizer.name | optimizer.lr | seeds | validation acc. (%) | test error (%) | test_mse | train_loss | dead_cells |';
    assert.ok(text.includes(`${header} chosen |`), 'mask-lr: no gathered_fraction');
    assert.ok(text.includes(`${header} gathered_fraction | chosen |`), 'gather-lifetime has it');
    const mask = text.slice(text.indexOf('### mask-lr'), text.indexOf('### gather-lifetime'));
    // errors 8.77%, 8.87%: 8.82 ± t(0.975, 1) * 0.05 = 0.635; MSEs 0.01234, 0.01244
    assert.deepEqual(rowOf(mask, 'adam'), ['adam', '0.001', '2 of 2', '91.18', '8.82 ± 0.64', '0.0124', '0.0234', '2', 'yes']);
    const lazy = mask.split('\n').filter((line) => line.startsWith('| lazy-adam |'));
    assert.deepEqual(lazy[1]?.slice(2, -2).split(' | '), ['lazy-adam', '0.01', '1 of 2', '90.03', '9.97', '0.0133', '0.0244', '2', ''], 'one healthy seed: no interval');
    assert.deepEqual(lazy[2]?.slice(2, -2).split(' | '), ['lazy-adam', '0.1', '0 of 2', '', '', '', '', '', '']);
    assert.match(text, /- runs: 7 completed, 2 diverged, 2 pending, 1 blown up/);
  }));

test('report.md: the runs left out (blown up, diverged, never run) with what happened, and the counting table', () =>
  withTempDir(async (dir) => {
    const { markdown } = await writeReport(fakeReproduction(path.join(dir, 'runs')), path.join(dir, 'report'));
    const text = fs.readFileSync(markdown, 'utf8');
    const blownUp = fakeRunId(configOf(MASK, 1, 1, 1));
    assert.deepEqual(rowOf(text, 'mask-lr | lazy-adam | 0.01'), ['mask-lr', 'lazy-adam', '0.01', '1', 'blown up', 'completed with test_mse 6.70e+7, train_loss 0.0244', blownUp]);
    assert.deepEqual(rowOf(text, 'mask-lr | adam | 0.1').slice(4), ['diverged', 'training loss NaN or infinite in epoch 2', fakeRunId(configOf(MASK, 0, 2, 0))]);
    assert.deepEqual(rowOf(text, 'mask-lr | lazy-adam | 0.1').slice(4, 6), ['pending', 'not run yet']);
    // adam - lazy-adam at 0.001: -0.2 points in both seeds
    assert.deepEqual(rowOf(text, 'mask-lr | adam | 0.001'), ['mask-lr', 'adam', '0.001', '8.82 ± 0.64', '0.0124', '2', '-0.20 (95% CI -0.20 to -0.20, 2 seeds)']);
  }));

test('report.html: one <svg per chart, both PNGs inline, the verdicts coloured, code spans, nothing fetched', () =>
  withTempDir(async (dir) => {
    const { html } = await writeReport(fakeReproduction(path.join(dir, 'runs')), path.join(dir, 'report'));
    const text = fs.readFileSync(html, 'utf8');
    assert.equal(text.match(/<svg/g)?.length, 7, 'test error, MSE, dead cells, two responses, train_loss, gathered_fraction');
    assert.equal(text.match(/<img src="data:image\/png;base64,/g)?.length, 2);
    for (const verdict of ['holds', 'does-not-hold', 'inconclusive']) assert.match(text, new RegExp(`class="verdict ${verdict}"`));
    assert.match(text, /A \| pipe and &lt;b&gt;markup&lt;\/b&gt; in <code>gather<\/code> mode\./);
    assert.ok(!text.includes('`'), 'no literal backticks');
    assert.doesNotMatch(text, /(src|href)="(https?:)?\/\//, 'no external resources');
    for (const axis of ['Learning rate', 'Test error (%)', 'Test reconstruction MSE', 'Dead cells', 'Training loss (MSE)', 'Fraction of cells gathered', 'Epoch']) {
      assert.ok(text.includes(`>${axis}</text>`), axis);
    }
    for (const key of ['optimizer.lr', 'test_error', 'test_mse', 'train_loss']) assert.ok(!text.includes(`>${key}</text>`), `${key} is not an axis title`);
    assert.match(text, /gather-lifetime \(lr 0\.001\)/, 'the training curves name their learning rate');
    assert.match(text, />lazy-adam \(= adam in gather-lifetime\)</, 'the legend says which series hide');
    assert.match(text, /<dt>git commit \(report\)<\/dt>/);
  }));

test('without gather experiments there is no gathered_fraction chart; without imagesFrom no images', () =>
  withTempDir(async (dir) => {
    const input = fakeReproduction(path.join(dir, 'runs'));
    const maskOnly = { ...input, experiments: input.experiments.slice(0, 1), imagesFrom: null };
    const written = await writeReport(maskOnly, path.join(dir, 'report'));
    const text = fs.readFileSync(written.html, 'utf8');
    assert.equal(text.match(/<svg/g)?.length, 6);
    assert.doesNotMatch(text, /<img/);
    assert.deepEqual(written.images, []);
  }));

test('the PNGs decode to the grid sizes: 4 x 4 filters for H = 16, 10 test images over their reconstructions', () =>
  withTempDir(async (dir) => {
    const { images } = await writeReport(fakeReproduction(path.join(dir, 'runs')), path.join(dir, 'report'));
    const [filters, reconstructions] = images.map((file) => PNG.sync.read(fs.readFileSync(file)));
    assert.deepEqual([filters!.width, filters!.height], [gridSide(4, 28), gridSide(4, 28)]);
    assert.deepEqual([reconstructions!.width, reconstructions!.height], [gridSide(10, 28), gridSide(2, 28)]);
  }));

test('imagesFrom naming a run that is not there is a usage error', () =>
  withTempDir(async (dir) => {
    const input = { ...fakeReproduction(path.join(dir, 'runs')), imagesFrom: { experiment: GATHER.name, runId: 'nope' } };
    await assert.rejects(writeReport(input, path.join(dir, 'report')), /experiment gather-lifetime has no run nope/);
  }));

test('an experiment without a completed run still gets its table and (empty) charts', () =>
  withTempDir(async (dir) => {
    const allDiverged = writeFakeExperiment(path.join(dir, 'runs'), { ...MASK, statusOf: () => 'diverged' }, 'F4');
    const input = { title: 'Nothing completed', scale: 'test', experiments: [allDiverged], verdicts: [], imagesFrom: null };
    const written = await writeReport(input, path.join(dir, 'report'));
    assert.equal(fs.readFileSync(written.html, 'utf8').match(/<svg/g)?.length, 4, 'no responses without complete rates');
    assert.match(fs.readFileSync(written.markdown, 'utf8'), /- runs: 12 diverged/);
  }));
