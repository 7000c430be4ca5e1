/**
 * The data's fingerprint: a SHA-256 over the images and labels a run actually uses (after
 * the embedded split and the train/test limits), so it names the data, not where it was
 * read from. The same images in another folder, gzip'd or raw, on a laptop or a cluster
 * node, give the same fingerprint; other images, another split or another limit never do.
 * It goes into every run's id (src/sweep/ids.ts) and run.json.
 *   sha256( "sparse-adam-data 1" | for train, test: count, pixels, images as little-endian
 *           float32 (pixels / 255), labels as bytes )
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { usageError } from '../errors';
import type { Dataset, Split } from './dataset';

/** Bumped only if the hashed form changes; every id changes with it. */
const FORMAT = 'sparse-adam-data 1';

/** `sha256:<64 hex>` of the dataset's splits. */
export function fingerprintDataset(dataset: Pick<Dataset, 'train' | 'test'>): string {
  const hash = createHash('sha256').update(FORMAT);
  for (const split of [dataset.train, dataset.test]) addSplit(hash, split);
  return `sha256:${hash.digest('hex')}`;
}

function addSplit(hash: ReturnType<typeof createHash>, split: Split): void {
  const header = new DataView(new ArrayBuffer(8));
  header.setUint32(0, split.count, true);
  header.setUint32(4, split.pixels, true);
  hash.update(new Uint8Array(header.buffer));
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
