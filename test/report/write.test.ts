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

/** The markdown table row that starts with the cell `first`. */
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

test('report.md: the verdict table comes first, with each verdict, figures and escaped text', () =>
  withTempDir(async (dir) => {
    const { markdown } = await writeReport(fakeReproduction(path.join(dir, 'runs')), path.join(dir, 'report'));
    const text = fs.readFileSync(markdown, 'utf8');
    assert.ok(text.indexOf('| id | finding | verdict |') < text.indexOf('| id | optimizer.name |'), 'verdicts before runs');
    assert.deepEqual(rowOf(text, 'F1').slice(0, 5), ['F1', 'gather gathers every cell', 'holds', 'fraction >= 0.99', 'gathered_fraction = 1']);
    assert.deepEqual(rowOf(text, 'F2').slice(2, 6), ['does not hold', '\\|difference\\| <= 0.005', 'difference = 0.01235', 'A \\| pipe and <b>markup</b>.']);
    assert.equal(rowOf(text, 'F4')[4], 'slope = -0.02; note = few rates');
  }));

test("report.md: each run's row has its settings, final metrics, test_error and status", () =>
  withTempDir(async (dir) => {
    const { markdown } = await writeReport(fakeReproduction(path.join(dir, 'runs')), path.join(dir, 'report'));
    const text = fs.readFileSync(markdown, 'utf8');
    assert.match(text, /\| id \| optimizer\.name \| optimizer\.lr \| train\.mode \| test_accuracy \| test_error \| test_mse \| train_loss \| gathered_fraction \| status \|/);
    assert.deepEqual(rowOf(text, fakeRunId(configOf(MASK, 1, 1))).slice(1), ['lazy-adam', '0.01', 'mask', '0.9003', '0.0997', '0.01334', '0.02445', '', 'completed']);
    assert.deepEqual(rowOf(text, fakeRunId(configOf(GATHER, 0, 0))).slice(1), ['adam', '0.001', 'gather', '0.9123', '0.0877', '0.01234', '0.02345', '1', 'completed']);
    const lastEpochOfDiverged = ['0.8723', '0.1277', '0.01834', '0.04345', ''];
    assert.deepEqual(rowOf(text, fakeRunId(configOf(MASK, 0, 2))).slice(1), ['adam', '0.1', 'mask', ...lastEpochOfDiverged, 'diverged']);
    assert.deepEqual(rowOf(text, fakeRunId(configOf(MASK, 1, 2))).slice(1), ['lazy-adam', '0.1', '', '', '', '', '', '', 'pending']);
    assert.match(text, /- runs: 4 completed, 1 diverged, 1 pending/);
  }));

test('report.html: one <svg per chart, both PNGs inline, the verdicts coloured, nothing fetched', () =>
  withTempDir(async (dir) => {
    const { html } = await writeReport(fakeReproduction(path.join(dir, 'runs')), path.join(dir, 'report'));
    const text = fs.readFileSync(html, 'utf8');
    assert.equal(text.match(/<svg/g)?.length, 4, 'test_error, test_mse, train_loss, gathered_fraction');
    assert.equal(text.match(/<img src="data:image\/png;base64,/g)?.length, 2);
    for (const verdict of ['holds', 'does-not-hold', 'inconclusive']) assert.match(text, new RegExp(`class="verdict ${verdict}"`));
    assert.match(text, /A \| pipe and &lt;b&gt;markup&lt;\/b&gt;\./);
    assert.doesNotMatch(text, /(src|href)="(https?:)?\/\//, 'no external resources');
    for (const axis of ['optimizer.lr', 'test_error', 'test_mse', 'train_loss', 'gathered_fraction', 'epoch']) assert.match(text, new RegExp(`>${axis}<`), axis);
    assert.match(text, /gather-lifetime \(optimizer\.lr = 0\.001\)/, 'the training curves name their learning rate');
  }));

test('without gather experiments there is no gathered_fraction chart; without imagesFrom no images', () =>
  withTempDir(async (dir) => {
    const input = fakeReproduction(path.join(dir, 'runs'));
    const maskOnly = { ...input, experiments: input.experiments.slice(0, 1), imagesFrom: null };
    const written = await writeReport(maskOnly, path.join(dir, 'report'));
    const text = fs.readFileSync(written.html, 'utf8');
    assert.equal(text.match(/<svg/g)?.length, 3);
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
    assert.equal(fs.readFileSync(written.html, 'utf8').match(/<svg/g)?.length, 3);
    assert.match(fs.readFileSync(written.markdown, 'utf8'), /- runs: 6 diverged/);
  }));
