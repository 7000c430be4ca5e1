/**
 * Backend-specific pieces, each giving the same numbers on every backend:
 * - gathers with the faster kernel per backend. Measured for 900 of 1000 rows of 784
 *   floats: wasm's GatherV2 takes 20 ms and its GatherNd 1.6 ms; cpu's GatherNd takes
 *   79 ms and its GatherV2 29 ms.
 * - array kernels: a loop written here over the tensors' own typed arrays, for the
 *   backends whose tensors this process can address (cpu: JS typed arrays; wasm: views
 *   into the wasm heap). One such pass replaces a chain of elementwise ops, each of which
 *   reads and writes whole tensors. Other backends (tensorflow, webgl) have none: callers
 *   keep the op-based formulation beside each kernel and take it there (and tests compare
 *   the two).
 */
import * as tf from '@tensorflow/tfjs';
import { assert } from '../errors';

/** Rows `indices` of x: [n, ...row]. */
export function gatherRows(x: tf.Tensor, indices: tf.Tensor1D): tf.Tensor {
  return tf.tidy(() => (tf.getBackend() === 'wasm' ? tf.gatherND(x, tf.expandDims(indices, 1)) : tf.gather(x, indices)));
}

/** Columns `indices` of a matrix: [B, n] (through two transposes, cheaper than an axis-1 gather). */
export function gatherColumns(x: tf.Tensor2D, indices: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => tf.transpose(gatherRows(tf.transpose(x), indices)) as tf.Tensor2D);
}

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
