/** The frozen test-time (alpha*k-sparse) codes of a split, as the classifier reads them. */
import { assert } from '../errors';

/** alpha*k-sparse codes of a split: for sample i, cells indices[i*a .. i*a+a) with values values[i*a ..). */
export interface SparseCodes {
  count: number; // samples
  hidden: number; // H: cells per code, so every index is in [0, H)
  active: number; // a = alpha*k: stored cells per sample
  indices: Int32Array; // [count, active]
  values: Float32Array; // [count, active]
}

/** Samples [from, to) of the codes, without copying. */
export function sliceCodes(codes: SparseCodes, from: number, to: number): SparseCodes {
  assert(0 <= from && from <= to && to <= codes.count, () => `slice [${from}, ${to}) of ${codes.count} codes`);
  const a = codes.active;
  return {
    count: to - from,
    hidden: codes.hidden,
    active: a,
    indices: codes.indices.subarray(from * a, to * a),
    values: codes.values.subarray(from * a, to * a),
  };
}

/** Invariant check: array lengths agree with count x active and every index is a cell. */
export function assertWellFormed(codes: SparseCodes): void {
  const stored = codes.count * codes.active;
  assert(codes.indices.length === stored, () => `${codes.indices.length} indices for ${codes.count} x ${codes.active}`);
  assert(codes.values.length === stored, () => `${codes.values.length} values for ${codes.count} x ${codes.active}`);
  for (let n = 0; n < stored; n++) {
    const cell = codes.indices[n]!;
    assert(cell >= 0 && cell < codes.hidden, () => `cell index ${cell} at ${n} outside [0, ${codes.hidden})`);
  }
}
