/** The in-memory form every data source produces. */

/** Images as pixels/255 in [0, 1], row-major [count, 784]; labels 0..9. */
export interface Split {
  images: Float32Array; // [count, pixels]
  labels: Uint8Array; // [count]
  count: number;
  pixels: number; // 784 for MNIST
}

export interface Dataset {
  train: Split;
  test: Split;
  /** One line for the log and run.json: where the data came from and how it was split. */
  description: string;
}

/** A dataset as a run uses it: with the fingerprint of its content (src/data/fingerprint.ts). */
export interface LoadedDataset extends Dataset {
  fingerprint: string;
}

/** The first `limit` items of a split (all when limit is null or larger). */
export function firstN(split: Split, limit: number | null): Split {
  if (limit === null || limit >= split.count) return split;
  return {
    images: split.images.subarray(0, limit * split.pixels),
    labels: split.labels.subarray(0, limit),
    count: limit,
    pixels: split.pixels,
  };
}

/** Items [from, to) of a split, without copying. */
export function sliceSplit(split: Split, from: number, to: number): Split {
  return {
    images: split.images.subarray(from * split.pixels, to * split.pixels),
    labels: split.labels.subarray(from, to),
    count: to - from,
    pixels: split.pixels,
  };
}
