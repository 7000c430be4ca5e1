/** Maths tests run on both backends every machine has; tfjs-node is optional. */
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendName } from '../src/backend/select';

export const TEST_BACKENDS: BackendName[] = ['cpu', 'wasm'];

export async function useBackend(name: BackendName): Promise<void> {
  const info = await selectBackend(name);
  if (info.name !== name) throw new Error(`wanted backend ${name}, got ${info.name}`);
}

/** Element-wise closeness with a message naming the first differing index and both values. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what = 'value'): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length}, expected ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= tolerance * Math.max(1, Math.abs(e)))) {
      throw new Error(`${what}[${i}] = ${a}, expected ${e} (tolerance ${tolerance})`);
    }
  }
}

export function values(tensor: tf.Tensor): number[] {
  return Array.from(tensor.dataSync());
}
