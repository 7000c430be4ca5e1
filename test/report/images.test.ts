import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { PNG } from 'pngjs';
import { loadEmbedded } from '../../src/data/embedded';
import type { Config } from '../../src/config/schema';
import type { Split } from '../../src/data/dataset';
import type { SparseCodes } from '../../src/eval/codes';
import { encodeSplit } from '../../src/eval/encode';
import { gridSide, minMaxNormalised, TILE_GAP, tileGridPng } from '../../src/report/images';
import { writeReport } from '../../src/report/write';
import { loadWeights } from '../../src/results/weights';
import { runDir } from '../../src/sweep/summary';
import { useBackend } from '../backends';
import { withTempDir } from '../data/fixtures';
import { configOf, fakeReproduction, GATHER, fakeRunId } from './fixture';

before(() => useBackend('cpu'));

/** Gray level of pixel (x, y) of a decoded PNG. */
function grayAt(png: PNG, x: number, y: number): number {
  return png.data[4 * (y * png.width + x)]!;
}

test('tileGridPng: tiles in row-major order, values in [0, 1] to gray levels (clipped), white gaps', () => {
  const tiles = [Float32Array.from([0, 0.5, 1, 2]), Float32Array.from([-1, 0.25, 0.75, 1])];
  const grid = tileGridPng(tiles, 2);
  const png = PNG.sync.read(grid.png);
  assert.deepEqual([png.width, png.height, grid.width, grid.height], [gridSide(2, 2), gridSide(1, 2), 10, 6]);
  const tileAt = (left: number) => [0, 1, 2, 3].map((p) => grayAt(png, left + (p % 2), TILE_GAP + Math.floor(p / 2)));
  assert.deepEqual(tileAt(TILE_GAP), [0, 128, 255, 255]);
  assert.deepEqual(tileAt(2 * TILE_GAP + 2), [0, 64, 191, 255]);
  assert.deepEqual([grayAt(png, 0, 0), grayAt(png, TILE_GAP + 2, TILE_GAP), grayAt(png, 9, 5)], [255, 255, 255]);
});

test('minMaxNormalised stretches a tile to [0, 1]; a flat tile is black', () => {
  assert.deepEqual([...minMaxNormalised(Float32Array.from([2, 4, 3]))], [0, 1, 0.5]);
  assert.deepEqual([...minMaxNormalised(Float32Array.from([5, 5]))], [0, 0]);
});

/** The first test image of each digit, as the report picks them, in one split. */
function firstOfEachDigit(config: Config): Split {
  const test = loadEmbedded({ testCount: config.data.embedded_test, seed: config.seed }).test;
  const chosen = Array.from({ length: 10 }, (_, digit) => test.labels.indexOf(digit));
  const images = new Float32Array(10 * 784);
  chosen.forEach((index, i) => images.set(test.images.subarray(index * 784, (index + 1) * 784), i * 784));
  return { images, labels: Uint8Array.from(chosen, (index) => test.labels[index]!), count: 10, pixels: 784 };
}

/** Pixel p of image i decoded by hand from its sparse code: c + sum over its cells of value * W[cell]. */
function decodedPixel(codes: SparseCodes, W: Float32Array, c: Float32Array, i: number, p: number): number {
  let value = c[p]!;
  for (let a = i * codes.active; a < (i + 1) * codes.active; a++) value += codes.values[a]! * W[codes.indices[a]! * 784 + p]!;
  return value;
}

test("reconstructions.png: the first test image of each digit above its decoding from encodeSplit's alpha*k code", () =>
  withTempDir(async (dir) => {
    const { images } = await writeReport(fakeReproduction(path.join(dir, 'runs')), path.join(dir, 'report'));
    const png = PNG.sync.read(fs.readFileSync(images[1]!));
    const config = configOf(GATHER, 0, 0);
    const split = firstOfEachDigit(config);
    const params = loadWeights(path.join(runDir(path.join(dir, 'runs', GATHER.name), fakeRunId(config)), 'weights.json'), config.model, 784);
    const { codes } = encodeSplit(params, split, config.model, 10);
    const [W, c] = [params.W.dataSync() as Float32Array, params.c.dataSync() as Float32Array];
    const gray = (value: number) => Math.round(255 * Math.min(1, Math.max(0, value)));
    const grays = new Set<number>();
    for (let i = 0; i < 10; i++) {
      for (let p = 0; p < 784; p += 7) {
        const [x, y] = [TILE_GAP + i * (28 + TILE_GAP) + (p % 28), TILE_GAP + Math.floor(p / 28)];
        assert.equal(grayAt(png, x, y), gray(split.images[i * 784 + p]!), `original ${i}, pixel ${p}`);
        const expected = gray(decodedPixel(codes, W, c, i, p));
        assert.ok(Math.abs(grayAt(png, x, y + 28 + TILE_GAP) - expected) <= 1, `reconstruction ${i}, pixel ${p}`);
        grays.add(expected);
      }
    }
    assert.ok(grays.size > 100, `reconstructions span ${grays.size} gray levels, not only black and white`);
  }));
