import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIdx } from '../../src/data/idx';
import { fixtureLabel, fixturePixel, gzip, imagesIdx, IMAGES_MAGIC, labelsIdx, makeIdx, userError } from './fixtures';

const FILE = 'data/mnist/train-images-idx3-ubyte.gz';

const validImageCases = [
  { name: 'raw images', bytes: imagesIdx(3, 28, 28), dims: [3, 28, 28] },
  { name: 'gzip images', bytes: gzip(imagesIdx(3, 28, 28)), dims: [3, 28, 28] },
  { name: 'raw non-square images', bytes: imagesIdx(2, 4, 5), dims: [2, 4, 5] },
];

for (const { name, bytes, dims } of validImageCases) {
  test(`parseIdx reads ${name}`, () => {
    const parsed = parseIdx(bytes, FILE);
    assert.equal(parsed.kind, 'images');
    if (parsed.kind !== 'images') return;
    assert.deepEqual([parsed.count, parsed.rows, parsed.cols], dims);
    const pixelCount = dims.reduce((product, dim) => product * dim, 1);
    assert.deepEqual([...parsed.pixels], Array.from({ length: pixelCount }, (_, i) => fixturePixel(i)));
  });
}

for (const { name, bytes } of [
  { name: 'raw labels', bytes: labelsIdx(12) },
  { name: 'gzip labels', bytes: gzip(labelsIdx(12)) },
]) {
  test(`parseIdx reads ${name}`, () => {
    const parsed = parseIdx(bytes, 'labels.gz');
    assert.equal(parsed.kind, 'labels');
    assert.equal(parsed.count, 12);
    if (parsed.kind !== 'labels') return;
    assert.deepEqual([...parsed.labels], Array.from({ length: 12 }, (_, i) => fixtureLabel(i)));
  });
}

const images = imagesIdx(2, 28, 28); // 16 + 1568 bytes
const truncatedGzip = gzip(images).subarray(0, 40);

const invalidCases: { name: string; bytes: Uint8Array; message: RegExp }[] = [
  {
    name: 'wrong magic',
    bytes: makeIdx(2050, [2, 28, 28], new Uint8Array(1568)),
    message: /^data\/mnist\/train-images-idx3-ubyte\.gz: not an MNIST IDX file: magic number 2050 \(expected 2051 for images or 2049 for labels\)$/,
  },
  {
    name: 'truncated images',
    bytes: images.subarray(0, 16 + 1000),
    message: /^data\/mnist\/train-images-idx3-ubyte\.gz: truncated: header says 2 images of 28x28 \(1568 bytes\) but 1000 bytes follow$/,
  },
  {
    name: 'truncated gzip images',
    bytes: gzip(images.subarray(0, 16 + 1000)),
    message: /: truncated: header says 2 images of 28x28 \(1568 bytes\) but 1000 bytes follow$/,
  },
  {
    name: 'extra bytes after images',
    bytes: Buffer.concat([images, new Uint8Array(5)]),
    message: /: extra bytes: header says 2 images of 28x28 \(1568 bytes\) but 1573 bytes follow$/,
  },
  {
    name: 'truncated labels',
    bytes: labelsIdx(10).subarray(0, 8 + 7),
    message: /: truncated: header says 10 labels \(10 bytes\) but 7 bytes follow$/,
  },
  {
    name: 'images header cut short',
    bytes: images.subarray(0, 12),
    message: /: truncated: 12 bytes, shorter than the 16-byte images header$/,
  },
  {
    name: 'empty file',
    bytes: new Uint8Array(0),
    message: /: not an IDX file: only 0 bytes/,
  },
  {
    name: 'zero rows',
    bytes: makeIdx(IMAGES_MAGIC, [2, 0, 28], new Uint8Array(0)),
    message: /: header says 2 images of 0x28: nothing to load$/,
  },
  {
    name: 'gzip magic then garbage',
    bytes: Uint8Array.from([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
    message: /^data\/mnist\/train-images-idx3-ubyte\.gz: corrupt gzip stream \(.+\)$/,
  },
  {
    name: 'gzip stream cut short',
    bytes: truncatedGzip,
    message: /: corrupt gzip stream \(unexpected end of file\)$/,
  },
];

for (const { name, bytes, message } of invalidCases) {
  test(`parseIdx refuses ${name} with one line naming the file`, () => {
    assert.throws(() => parseIdx(bytes, FILE), userError(message));
  });
}
