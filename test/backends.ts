/** Maths tests run on both backends every machine has; tfjs-node is optional. */
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendName } from '../src/backend/select';

export const TEST_BACKENDS: BackendName[] = ['cpu', 'wasm'];

export async function useBackend(name: BackendName): Promise<void> {
  const info = await selectBackend(name);
  if (info.name !== name) throw new Error(`wanted backend ${name}, got ${info.name}`);
}

/**
 * Below this an absolute difference is no difference: far under any float32 value a test
 * compares (sums of squares of small gradients reach 1e-12), so the comparison is relative.
 */
export const ABSOLUTE_FLOOR = 1e-30;

/**
 * Element-wise relative closeness, |actual - expected| <= tolerance |expected| + floor,
 * with a message naming the first differing index and both values. `floor` is for values
 * that should be zero but come out as float rounding of larger terms (say so where used).
 */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what = 'value', floor = ABSOLUTE_FLOOR): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length}, expected ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= tolerance * Math.abs(e) + floor)) {
      throw new Error(`${what}[${i}] = ${a}, expected ${e} (relative tolerance ${tolerance}, floor ${floor})`);
    }
  }
}

export function values(tensor: tf.Tensor): number[] {
  return Array.from(tensor.dataSync());
}
