/**
 * Backend-specific pieces, each giving the same numbers on every backend:
 * - array kernels: a loop written here over the tensors' own typed arrays, for the
 *   backends whose tensors this process can address (cpu: JS typed arrays; wasm: views
 *   into the wasm heap). One such pass replaces a chain of elementwise ops, each of which
 *   reads and writes whole tensors. On wasm a kernel may hand the work to its SIMD
 *   counterpart (simd.ts), which works on the same heap through the arrays' byte offsets.
 *   Other backends (tensorflow, webgl) have none: callers keep the op-based formulation
 *   beside each kernel and take it there (and tests compare the two).
 * - row gathers with the faster kernel per backend. Measured for 2500 of 1000 rows of 784
 *   floats: wasm's GatherNd takes 0.24 ms (its GatherV2 is ~10x slower), cpu's GatherV2
 *   79 ms and an array kernel's row copies 3 ms.
 * The sparse passes' row sums and dot products are in rowKernels.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { assert } from '../errors';
import { simdKernelsIn, type SimdKernels, type WasmMemory } from './simd';

export type ArrayValues = Float32Array | Int32Array;

/** A kernel over typed arrays: float32 outputs of the shapes `outputShapes` gives, filled by `compute`. */
export interface ArrayKernel<Input extends string, Attrs> {
  name: string;
  inputs: readonly Input[];
  outputShapes(shapes: Record<Input, number[]>, attrs: Attrs): number[][];
  /** Per output, the float32 input it may be written over (null: a new tensor). Where no
   *  other tensor shares that input's storage, the output does (one more reference): the
   *  caller must drop the input tensor, never read it again. Otherwise the output is a new
   *  tensor; compute gets either. */
  overwrites?: readonly (Input | null)[];
  /** simd: the SIMD kernels working on these arrays' heap (wasm), else null (their JS loop runs). */
  compute(inputs: Record<Input, ArrayValues>, outputs: Float32Array[], attrs: Attrs, simd: SimdKernels | null): void;
}

const ARRAY_BACKENDS = ['cpu', 'wasm'] as const;
type ArrayBackend = (typeof ARRAY_BACKENDS)[number];

/** The parts of tfjs's cpu and wasm backends an array kernel uses. */
interface CpuBackend {
  data: { get(dataId: object): { values: unknown } };
  refCount(dataId: object): number;
  incRef(dataId: object): void;
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}
interface WasmBackend {
  refCount(dataId: object): number;
  incRef(dataId: object): void;
  wasm: { asm?: { memory?: WasmMemory } }; // the Emscripten module; asm holds its exports
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): unknown;
}

function asValues(values: unknown, name: string): ArrayValues {
  assert(values instanceof Float32Array || values instanceof Int32Array, () => `array kernel input ${name} is not float32 or int32`);
  return values;
}

type Output = { overwrites: string | null; shape: number[] };

/** The outputs, each overwriting its input only where that input's storage is its own alone. */
function inPlaceWherePossible(backend: CpuBackend | WasmBackend, inputs: Record<string, tf.TensorInfo>, outs: Output[]): Output[] {
  const alone = (name: string | null) => name !== null && backend.refCount(inputs[name]!.dataId) === 1;
  return outs.map((o) => (alone(o.overwrites) ? o : { ...o, overwrites: null }));
}

/**
 * Inputs as typed arrays; outputs allocated on the backend, or the input they overwrite
 * (sharing its storage, one more reference); views taken after every allocation (the wasm
 * heap may grow).
 */
function runOn(backendName: ArrayBackend, backend: object, inputs: Record<string, tf.TensorInfo>, names: readonly string[], wanted: Output[]) {
  const outs = inPlaceWherePossible(backend as CpuBackend | WasmBackend, inputs, wanted);
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  const shared = (o: Output): tf.TensorInfo => {
    const input = inputs[o.overwrites!]!;
    (backend as CpuBackend | WasmBackend).incRef(input.dataId);
    return { dataId: input.dataId, shape: o.shape, dtype: 'float32' };
  };
  const overwritten = (arrays: Record<string, ArrayValues>, o: Output) => {
    const array = arrays[o.overwrites!];
    assert(array instanceof Float32Array, () => `array kernel output over ${o.overwrites}, which is not float32`);
    return array;
  };
  if (backendName === 'cpu') {
    const cpu = backend as CpuBackend;
    const arrays = Object.fromEntries(names.map((n) => [n, asValues(cpu.data.get(inputs[n]!.dataId).values, n)]));
    const outputs = outs.map((o) => (o.overwrites ? overwritten(arrays, o) : new Float32Array(size(o.shape))));
    const infos = () => outs.map((o, i) => (o.overwrites ? shared(o) : cpu.makeTensorInfo(o.shape, 'float32', outputs[i]!)));
    return { arrays, outputs, simd: null, infos };
  }
  const wasm = backend as WasmBackend;
  const allocated = outs.map((o) => (o.overwrites ? null : wasm.makeOutput(o.shape, 'float32')));
  const arrays = Object.fromEntries(names.map((n) => [n, asValues(wasm.typedArrayFromHeap(inputs[n]!), n)]));
  const outputs = outs.map((o, i) => (o.overwrites ? overwritten(arrays, o) : (wasm.typedArrayFromHeap(allocated[i]!) as Float32Array)));
  const infos = () => outs.map((o, i) => allocated[i] ?? shared(o));
  return { arrays, outputs, simd: simdKernelsIn(wasm.wasm.asm?.memory), infos };
}

/** Registers the kernel for cpu and wasm under its name. */
export function registerArrayKernel<Input extends string, Attrs>(kernel: ArrayKernel<Input, Attrs>): void {
  for (const backendName of ARRAY_BACKENDS) {
    tf.registerKernel({
      kernelName: kernel.name,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const given = inputs as Record<Input, tf.TensorInfo>;
        const inputShapes = Object.fromEntries(kernel.inputs.map((n) => [n, given[n].shape])) as Record<Input, number[]>;
        const shapes = kernel.outputShapes(inputShapes, attrs as Attrs);
        const outs = shapes.map((shape, i) => ({ shape, overwrites: kernel.overwrites?.[i] ?? null }));
        const run = runOn(backendName, backend, given, kernel.inputs, outs);
        kernel.compute(run.arrays as Record<Input, ArrayValues>, run.outputs, attrs as Attrs, run.simd);
        return run.infos();
      },
    });
  }
}

/** Whether the current backend runs array kernels. */
export function arrayKernelsAvailable(): boolean {
  return (ARRAY_BACKENDS as readonly string[]).includes(tf.getBackend());
}

/** Runs a registered array kernel on the current backend (arrayKernelsAvailable() must hold). */
export function runArrayKernel(name: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap): tf.Tensor[] {
  const outputs = tf.engine().runKernel(name, inputs, attrs);
  return Array.isArray(outputs) ? outputs : [outputs];
}

/** Refuses an index outside [0, count): kernels index memory with them unchecked. */
export function assertRowsWithin(rows: ArrayValues, count: number): void {
  const outside = rows.find((row) => !(row >= 0 && row < count));
  assert(outside === undefined, () => `row ${outside} outside [0, ${count})`);
}

/** out = rows `rows` of x, row by row (x float32; `rows` within x's first dimension). */
function copyRows({ x, rows }: Record<'x' | 'rows', ArrayValues>, [out]: Float32Array[]): void {
  const size = rows.length > 0 ? out!.length / rows.length : 0;
  assertRowsWithin(rows, x.length / Math.max(size, 1));
  rows.forEach((row, r) => out!.set(x.subarray(row * size, (row + 1) * size), r * size));
}

const GATHER_ROWS = 'SparseAdamGatherRows';
registerArrayKernel({ name: GATHER_ROWS, inputs: ['x', 'rows'] as const, outputShapes: ({ x, rows }) => [[rows[0]!, ...x.slice(1)]], compute: copyRows });

/** Rows `indices` of x: [n, ...row]. */
export function gatherRows(x: tf.Tensor, indices: tf.Tensor1D): tf.Tensor {
  const backend = tf.getBackend();
  if (backend === 'cpu' && x.dtype === 'float32') return runArrayKernel(GATHER_ROWS, { x, rows: indices }, {})[0]!;
  return tf.tidy(() => (backend === 'wasm' ? tf.gatherND(x, tf.expandDims(indices, 1)) : tf.gather(x, indices)));
}

/** Columns `indices` of a matrix: [B, n] (through two transposes, cheaper than an axis-1 gather). */
export function gatherColumns(x: tf.Tensor2D, indices: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => tf.transpose(gatherRows(tf.transpose(x), indices)) as tf.Tensor2D);
}

/** Elements x[rows[e], columns[e]] of a matrix: [n] (a row gather of the flattened matrix). */
export function gatherElements(x: tf.Tensor2D, rows: tf.Tensor1D, columns: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const [count, width] = x.shape;
    const flat = tf.add(tf.mul(rows, tf.scalar(width, 'int32')), columns) as tf.Tensor1D; // [n] row width + column
    return gatherRows(tf.reshape(x, [count * width]), flat) as tf.Tensor1D;
  });
}
