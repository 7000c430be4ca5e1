/**
 * Backend-specific pieces, each giving the same numbers on every backend:
 * - array kernels: a loop written here over the tensors' own typed arrays, for the
 *   backends whose tensors this process can address (cpu: JS typed arrays; wasm: views
 *   into the wasm heap). One such pass replaces a chain of elementwise ops, each of which
 *   reads and writes whole tensors. Other backends (tensorflow, webgl) have none: callers
 *   keep the op-based formulation beside each kernel and take it there (and tests compare
 *   the two).
 * - row gathers and row scalings with the faster kernel per backend. Measured for 2500 of
 *   1000 rows of 784 floats: wasm's GatherNd takes 0.24 ms (its GatherV2 is ~10x slower),
 *   cpu's GatherV2 79 ms and an array kernel's row copies 3 ms; scaling 2500 rows of 784 by
 *   one number each takes wasm's broadcasting Multiply 0.2 ms (an array kernel 2.3 ms) and
 *   cpu's 103 ms (an array kernel 5 ms).
 */
import * as tf from '@tensorflow/tfjs';
import { assert } from '../errors';

export type ArrayValues = Float32Array | Int32Array;

/** A kernel over typed arrays: float32 outputs of the shapes `outputShapes` gives, filled by `compute`. */
export interface ArrayKernel<Input extends string, Attrs> {
  name: string;
  inputs: readonly Input[];
  outputShapes(shapes: Record<Input, number[]>): number[][];
  compute(inputs: Record<Input, ArrayValues>, outputs: Float32Array[], attrs: Attrs): void;
}

const ARRAY_BACKENDS = ['cpu', 'wasm'] as const;
type ArrayBackend = (typeof ARRAY_BACKENDS)[number];

/** The parts of tfjs's cpu and wasm backends an array kernel uses. */
interface CpuBackend {
  data: { get(dataId: object): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}
interface WasmBackend {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): unknown;
}

function asValues(values: unknown, name: string): ArrayValues {
  assert(values instanceof Float32Array || values instanceof Int32Array, () => `array kernel input ${name} is not float32 or int32`);
  return values;
}

/** Inputs as typed arrays and outputs allocated on the backend, views taken after every allocation (the wasm heap may grow). */
function runOn(backendName: ArrayBackend, backend: object, inputs: Record<string, tf.TensorInfo>, names: readonly string[], shapes: number[][]) {
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  if (backendName === 'cpu') {
    const cpu = backend as CpuBackend;
    const arrays = Object.fromEntries(names.map((n) => [n, asValues(cpu.data.get(inputs[n]!.dataId).values, n)]));
    const outputs = shapes.map((shape) => new Float32Array(size(shape)));
    return { arrays, outputs, infos: () => outputs.map((values, i) => cpu.makeTensorInfo(shapes[i]!, 'float32', values)) };
  }
  const wasm = backend as WasmBackend;
  const infos = shapes.map((shape) => wasm.makeOutput(shape, 'float32'));
  const arrays = Object.fromEntries(names.map((n) => [n, asValues(wasm.typedArrayFromHeap(inputs[n]!), n)]));
  const outputs = infos.map((info) => wasm.typedArrayFromHeap(info) as Float32Array);
  return { arrays, outputs, infos: () => infos };
}

/** Registers the kernel for cpu and wasm under its name. */
export function registerArrayKernel<Input extends string, Attrs>(kernel: ArrayKernel<Input, Attrs>): void {
  for (const backendName of ARRAY_BACKENDS) {
    tf.registerKernel({
      kernelName: kernel.name,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const given = inputs as Record<Input, tf.TensorInfo>;
        const shapes = kernel.outputShapes(Object.fromEntries(kernel.inputs.map((n) => [n, given[n].shape])) as Record<Input, number[]>);
        const run = runOn(backendName, backend, given, kernel.inputs, shapes);
        kernel.compute(run.arrays as Record<Input, ArrayValues>, run.outputs, attrs as Attrs);
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

/** out = rows `rows` of x, row by row (x float32; `rows` within x's first dimension). */
function copyRows({ x, rows }: Record<'x' | 'rows', ArrayValues>, [out]: Float32Array[]): void {
  const size = rows.length > 0 ? out!.length / rows.length : 0;
  const count = x.length / Math.max(size, 1);
  rows.forEach((row, r) => {
    if (!(row >= 0 && row < count)) throw new Error(`row ${row} outside [0, ${count})`);
    out!.set(x.subarray(row * size, (row + 1) * size), r * size);
  });
}

/** out = x with row r multiplied by s[r]. */
function scaleEachRow({ x, s }: Record<'x' | 's', ArrayValues>, [out]: Float32Array[]): void {
  const size = s.length > 0 ? x.length / s.length : 0;
  for (let r = 0, i = 0; r < s.length; r++) {
    const factor = s[r]!;
    for (let end = i + size; i < end; i++) out![i] = x[i]! * factor;
  }
}

const GATHER_ROWS = 'SparseAdamGatherRows';
const SCALE_ROWS = 'SparseAdamScaleRows';
registerArrayKernel({ name: GATHER_ROWS, inputs: ['x', 'rows'] as const, outputShapes: ({ x, rows }) => [[rows[0]!, ...x.slice(1)]], compute: copyRows });
registerArrayKernel({ name: SCALE_ROWS, inputs: ['x', 's'] as const, outputShapes: ({ x }) => [x], compute: scaleEachRow });

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

/** Row r of x ([n, ...row]) times s[r] ([n]). */
export function scaleRows(x: tf.Tensor, s: tf.Tensor1D): tf.Tensor {
  if (tf.getBackend() === 'cpu') return runArrayKernel(SCALE_ROWS, { x, s }, {})[0]!;
  return tf.tidy(() => tf.mul(x, tf.reshape(s, [-1, ...new Array<number>(x.rank - 1).fill(1)])));
}
