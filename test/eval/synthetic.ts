/** Synthetic sparse codes with a known answer, for the classifier's tests. */
import { createRng } from '../../src/data/random';
import type { SparseCodes } from '../../src/eval/codes';

export interface SyntheticSpec {
  count: number;
  hidden: number;
  active: number;
  /** Stored cells per sample taken from its class's own block of `blockSize` cells; the rest are noise. */
  signal: number;
  blockSize: number;
  /** Probability that a sample's label is replaced by a uniformly random class (its code is not). */
  labelNoise: number;
  seed: number;
}

export interface Labelled {
  codes: SparseCodes;
  labels: Uint8Array;
}

/**
 * Class c owns cells [c * blockSize, (c + 1) * blockSize); the noise cells are the rest,
 * [10 * blockSize, hidden). Each sample (class i mod 10) stores `signal` distinct cells of
 * its block and `active - signal` distinct noise cells, each with a value in [0.5, 1.5).
 */
export function syntheticCodes(spec: SyntheticSpec): Labelled {
  const rng = createRng(spec.seed);
  const noiseStart = 10 * spec.blockSize;
  const indices = new Int32Array(spec.count * spec.active);
  const values = new Float32Array(spec.count * spec.active);
  const labels = new Uint8Array(spec.count);
  for (let i = 0; i < spec.count; i++) {
    const cls = i % 10;
    const cells = [
      ...distinct(spec.signal, cls * spec.blockSize, spec.blockSize, rng),
      ...distinct(spec.active - spec.signal, noiseStart, spec.hidden - noiseStart, rng),
    ];
    cells.forEach((cell, n) => {
      indices[i * spec.active + n] = cell;
      values[i * spec.active + n] = 0.5 + rng();
    });
    labels[i] = rng() < spec.labelNoise ? Math.floor(rng() * 10) : cls;
  }
  return { codes: { count: spec.count, hidden: spec.hidden, active: spec.active, indices, values }, labels };
}

/** `k` distinct integers from [start, start + size). */
function distinct(k: number, start: number, size: number, rng: () => number): number[] {
  const chosen = new Set<number>();
  while (chosen.size < k) chosen.add(start + Math.floor(rng() * size));
  return [...chosen];
}
