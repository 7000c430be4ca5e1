/**
 * The data's fingerprint: a SHA-256 that names the images and labels a run actually uses
 * (after the embedded split and the train/test limits), not where they were read from. The
 * same images in another folder, gzip'd or raw, on a laptop or a cluster node, give the
 * same fingerprint; other images, another split or another limit never do. It goes into
 * every run's id (src/sweep/ids.ts) and run.json.
 * - An MNIST folder: the images and labels themselves,
 *     sha256( "sparse-adam-data 1" | for train, test: count, pixels, images as little-endian
 *             float32 (pixels / 255), labels as bytes )
 * - The embedded package: its files' digest and which of its images each split takes, so
 *   a seed's split is named without being built (a seed sweep has one split per seed),
 *     sha256( "sparse-adam-embedded 1" | package digest | for train, test: count, the
 *             package's image indices as little-endian int32 )
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { usageError } from '../errors';
import type { Dataset, Split } from './dataset';

/** Bumped only if a hashed form changes; every id changes with it. */
const FORMAT = 'sparse-adam-data 1';
const EMBEDDED_FORMAT = 'sparse-adam-embedded 1';

/** `sha256:<64 hex>` of the dataset's splits. */
export function fingerprintDataset(dataset: Pick<Dataset, 'train' | 'test'>): string {
  const hash = createHash('sha256').update(FORMAT);
  for (const split of [dataset.train, dataset.test]) addSplit(hash, split);
  return `sha256:${hash.digest('hex')}`;
}

/** `sha256:<64 hex>` of an embedded split: the package's digest and the indices each split takes. */
export function fingerprintEmbedded(packageDigest: string, train: Int32Array, test: Int32Array): string {
  const hash = createHash('sha256').update(EMBEDDED_FORMAT).update(packageDigest);
  for (const indices of [train, test]) {
    hash.update(littleEndianWords([indices.length]));
    hash.update(littleEndianWords(indices));
  }
  return `sha256:${hash.digest('hex')}`;
}

function littleEndianWords(values: ArrayLike<number>): Uint8Array {
  const view = new DataView(new ArrayBuffer(4 * values.length));
  for (let i = 0; i < values.length; i++) view.setInt32(4 * i, values[i]!, true);
  return new Uint8Array(view.buffer);
}

function addSplit(hash: ReturnType<typeof createHash>, split: Split): void {
  hash.update(littleEndianWords([split.count, split.pixels]));
  hash.update(littleEndianFloats(split.images));
  hash.update(split.labels);
}

/** The float32 values' bytes in little-endian order, whatever the machine's order. */
function littleEndianFloats(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) return bytes;
  const swapped = new Uint8Array(values.byteLength);
  const view = new DataView(swapped.buffer);
  values.forEach((value, i) => view.setFloat32(4 * i, value, true));
  return swapped;
}

/** `sha256:<64 hex>` of a file's bytes (a warm start's weights file, which a run reads as an input). */
export function fingerprintFile(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw usageError(`${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(error)})`}`);
  }
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}
