import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { Split } from '../../src/data/dataset';
import { findIdxFiles, loadIdxFolder, MNIST_FILES } from '../../src/data/folder';
import {
  findSharedMnist,
  fixtureLabel,
  fixturePixel,
  imagesIdx,
  labelsIdx,
  LABELS_MAGIC,
  makeIdx,
  mnistFixture,
  userError,
  withTempDir,
  writeFiles,
} from './fixtures';

test('MNIST_FILES holds the canonical names and MD5s of SPEC.md §1', () => {
  assert.deepEqual(
    MNIST_FILES.map((file) => `${file.name} ${file.md5}`),
    [
      'train-images-idx3-ubyte.gz f68b3c2dcbeaaa9fbdd348bbdeb94873',
      'train-labels-idx1-ubyte.gz d53e105ee54ea40749a09fcbcd1e9432',
      't10k-images-idx3-ubyte.gz 9fb629c4189551a2d022fa330f9573f3',
      't10k-labels-idx1-ubyte.gz ec29112dd5afa0611ce80d1b7f02629c',
    ],
  );
});

test('findIdxFiles accepts the gzip or the raw name of each file', () =>
  withTempDir((dir) => {
    writeFileSync(path.join(dir, 'train-images-idx3-ubyte.gz'), 'x');
    writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte'), 'x');
    const { paths, missing } = findIdxFiles(dir);
    assert.deepEqual(Object.fromEntries(paths), {
      'train-images-idx3-ubyte.gz': path.join(dir, 'train-images-idx3-ubyte.gz'),
      't10k-labels-idx1-ubyte.gz': path.join(dir, 't10k-labels-idx1-ubyte'),
    });
    assert.deepEqual(
      missing.map((file) => file.name),
      ['train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz'],
    );
  }));

test('findIdxFiles finds nothing in a folder that does not exist', () => {
  assert.equal(findIdxFiles('/nonexistent/sparse-adam').missing.length, 4);
});

function assertFixtureSplit(split: Split, count: number): void {
  assert.equal(split.count, count);
  assert.equal(split.pixels, 784);
  assert.equal(split.images.length, count * 784);
  assert.deepEqual([...split.labels], Array.from({ length: count }, (_, i) => fixtureLabel(i)));
  for (const i of [0, 1, 783, count * 784 - 1]) {
    assert.equal(split.images[i], Math.fround(fixturePixel(i) / 255), `pixel ${i}`);
  }
}

test('loadIdxFolder reads a folder of gzip and raw files, pixels / 255', () =>
  withTempDir((dir) => {
    const files = mnistFixture(30, 20);
    files.set('t10k-images-idx3-ubyte', gunzipSync(files.get('t10k-images-idx3-ubyte.gz')!));
    files.delete('t10k-images-idx3-ubyte.gz');
    writeFiles(dir, files);
    const dataset = loadIdxFolder(dir);
    assertFixtureSplit(dataset.train, 30);
    assertFixtureSplit(dataset.test, 20);
    assert.equal(dataset.description, `IDX folder ${dir}: 30 train / 20 test images`);
  }));

const brokenFolders: { name: string; change: Record<string, Uint8Array>; message: RegExp }[] = [
  {
    name: 'more train images than labels',
    change: { 'train-labels-idx1-ubyte.gz': labelsIdx(29) },
    message: /train-images-idx3-ubyte\.gz has 30 images but .*train-labels-idx1-ubyte\.gz has 29 labels$/,
  },
  {
    name: 'images that are not 28x28',
    change: { 't10k-images-idx3-ubyte.gz': imagesIdx(20, 10, 10) },
    message: /t10k-images-idx3-ubyte\.gz: images are 10x10, expected 28x28 \(784 pixels\)$/,
  },
  {
    name: 'a labels file where images belong',
    change: { 'train-images-idx3-ubyte.gz': labelsIdx(30) },
    message: /train-images-idx3-ubyte\.gz: holds labels, expected images$/,
  },
  {
    name: 'a label above 9',
    change: { 't10k-labels-idx1-ubyte.gz': makeIdx(LABELS_MAGIC, [20], Uint8Array.from({ length: 20 }, (_, i) => (i === 1 ? 10 : 0))) },
    message: /t10k-labels-idx1-ubyte\.gz: label 1 is 10, expected a digit 0\.\.9$/,
  },
  {
    name: 'a truncated file',
    change: { 't10k-labels-idx1-ubyte.gz': labelsIdx(20).subarray(0, 20) },
    message: /t10k-labels-idx1-ubyte\.gz: truncated: header says 20 labels \(20 bytes\) but 12 bytes follow$/,
  },
];

for (const { name, change, message } of brokenFolders) {
  test(`loadIdxFolder refuses ${name}`, () =>
    withTempDir((dir) => {
      writeFiles(dir, mnistFixture(30, 20));
      writeFiles(dir, new Map(Object.entries(change)));
      assert.throws(() => loadIdxFolder(dir), userError(message));
    }));
}

test('loadIdxFolder names the missing folder', () => {
  assert.throws(() => loadIdxFolder('/nonexistent/mnist'), userError(/^IDX folder \/nonexistent\/mnist does not exist$/));
});

test('loadIdxFolder names the folder and the missing file', () =>
  withTempDir((dir) => {
    writeFiles(dir, mnistFixture(30, 20));
    rmSync(path.join(dir, 'train-labels-idx1-ubyte.gz'));
    assert.throws(() => loadIdxFolder(dir), userError(new RegExp(`^IDX folder ${dir}: missing train-labels-idx1-ubyte\\(\\.gz\\)$`)));
  }));

const sharedMnist = findSharedMnist();

test('loadIdxFolder reads ../shared/mnist (24,000 train, 10,000 test) without checking its checksums', {
  skip: sharedMnist === null && 'shared/mnist absent',
}, () => {
  const dataset = loadIdxFolder(sharedMnist!);
  assert.equal(dataset.train.count, 24000);
  assert.equal(dataset.test.count, 10000);
  assert.equal(dataset.train.labels[0], 5); // the first MNIST training digit is a 5
  assert.equal(dataset.test.labels[0], 7); // and the first test digit a 7
  assert.equal(Math.max(...dataset.train.images.subarray(0, 784 * 100)), 1);
  assert.equal(nearestClassMeanAccuracy(dataset.train, dataset.test).toFixed(3), '0.817'); // README's sanity figure
});

/** Fit one mean image per digit on `train`; the fraction of `test` closest to its own digit's mean. */
function nearestClassMeanAccuracy(train: Split, test: Split): number {
  const means = new Float64Array(10 * 784);
  const counts = new Float64Array(10);
  for (let i = 0; i < train.count; i++) {
    const label = train.labels[i]!;
    counts[label]! += 1;
    for (let p = 0; p < 784; p++) means[label * 784 + p]! += train.images[i * 784 + p]!;
  }
  for (let p = 0; p < means.length; p++) means[p]! /= counts[Math.floor(p / 784)]!;
  let correct = 0;
  for (let i = 0; i < test.count; i++) {
    let best = -1;
    let bestDistance = Infinity;
    for (let digit = 0; digit < 10; digit++) {
      let distance = 0;
      for (let p = 0; p < 784; p++) distance += (test.images[i * 784 + p]! - means[digit * 784 + p]!) ** 2;
      if (distance < bestDistance) [best, bestDistance] = [digit, distance];
    }
    if (best === test.labels[i]) correct++;
  }
  return correct / test.count;
}
