/** Minibatches of a split in a (seeded) order; the last incomplete batch is dropped. */
import type { Split } from '../data/dataset';

export function batchCount(split: Split, batchSize: number): number {
  return Math.floor(split.count / batchSize);
}

/** Copy the images of batch `index` under `order` into `out` ([batchSize, pixels]). */
export function fillBatch(split: Split, order: Int32Array, index: number, out: Float32Array): void {
  const { pixels } = split;
  const batchSize = out.length / pixels;
  for (let row = 0; row < batchSize; row++) {
    const sample = order[index * batchSize + row]!;
    out.set(split.images.subarray(sample * pixels, (sample + 1) * pixels), row * pixels);
  }
}

/** The identity order: used when shuffling is off. */
export function inOrder(count: number): Int32Array {
  return Int32Array.from({ length: count }, (_, i) => i);
}
