import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Split } from '../../src/data/dataset';
import { loadEmbedded } from '../../src/data/embedded';
import { userError } from './fixtures';

/** Images per digit in the package's own files, counted independently of the loader. */
const PACKAGE_DIGIT_COUNTS = Array.from(
  { length: 10 },
  (_, digit) => (require(`mnist/src/digits/${digit}.json`) as { data: number[] }).data.length / 784,
);

function digitCounts(split: Split): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const label of split.labels) counts[label]! += 1;
  return counts;
}

const seed0 = loadEmbedded({ testCount: 2000, seed: 0 });

test('the embedded set is the package total of 10,000 images, split 8000 / 2000', () => {
  assert.equal(PACKAGE_DIGIT_COUNTS.reduce((sum, count) => sum + count, 0), 10000);
  assert.equal(seed0.train.count, 8000);
  assert.equal(seed0.test.count, 2000);
  assert.equal(seed0.train.images.length, 8000 * 784);
  assert.equal(seed0.test.images.length, 2000 * 784);
  assert.equal(
    seed0.description,
    'embedded mnist package (the first 10000 images of MNIST train): seeded split 8000 train / 2000 test (seed 0)',
  );
});

test('the split keeps every image once: digit counts add up to the package files', () => {
  const train = digitCounts(seed0.train);
  const test = digitCounts(seed0.test);
  assert.deepEqual(train.map((count, digit) => count + test[digit]!), PACKAGE_DIGIT_COUNTS);
  // A random 20% of each digit: about 200 test images each (binomial sd ~13), never a sorted block.
  for (const count of test) assert.ok(count > 130 && count < 290, `test digit counts ${test.join(' ')}`);
});

test('pixels lie in [0, 1] and use the whole range', () => {
  for (const split of [seed0.train, seed0.test]) {
    let min = Infinity;
    let max = -Infinity;
    for (const pixel of split.images) [min, max] = [Math.min(min, pixel), Math.max(max, pixel)];
    assert.deepEqual([min, max], [0, 1]);
  }
});

test('the same seed gives the same split; another seed another', () => {
  const again = loadEmbedded({ testCount: 2000, seed: 0 });
  assert.deepEqual(again.test.labels, seed0.test.labels);
  assert.deepEqual(again.test.images, seed0.test.images);
  const other = loadEmbedded({ testCount: 2000, seed: 1 });
  assert.notDeepEqual(other.test.labels, seed0.test.labels);
  assert.match(other.description, /\(seed 1\)$/);
});

test('an image keeps its label through the split', () => {
  // A digit's mean image differs from the others': check the split's 1s are thinner than its 0s.
  const ink = (digit: number): number => {
    const { images, labels, count } = seed0.test;
    let total = 0;
    let n = 0;
    for (let i = 0; i < count; i++) {
      if (labels[i] !== digit) continue;
      n++;
      for (let p = 0; p < 784; p++) total += images[i * 784 + p]!;
    }
    return total / n;
  };
  assert.ok(ink(1) < 0.6 * ink(0), `mean ink of 1s ${ink(1)}, of 0s ${ink(0)}`);
});

test('a test split as large as the set is refused as a config error', () => {
  assert.throws(
    () => loadEmbedded({ testCount: 10000, seed: 0 }),
    userError(/^data\.embedded_test is 10000 but the embedded set has only 10000 images$/, 2),
  );
});
