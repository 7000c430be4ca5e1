/**
 * The SIMD kernels of simd/kernels.wat (assembled to kernels.wasm by `npm run build`),
 * instantiated on the tfjs wasm backend's own memory: they read and write tensors where
 * the backend keeps them, given their byte offsets. One instance per backend memory.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assert } from '../errors';

/** Pointers are byte offsets into the backend's heap; counts and sizes are elements. */
export interface SimdKernels {
  adam_rows(
    w: number, m: number, v: number, rows: number, g: number,
    outW: number, outM: number, outV: number, flags: number, count: number, size: number,
    b1: number, c1: number, b2: number, c2: number, eps: number, step: number,
  ): void;
  sum_scaled_rows(out: number, slots: number, coef: number, src: number, rows: number, count: number, size: number): void;
  row_dots(out: number, a: number, aRows: number, b: number, bRows: number, count: number, size: number): void;
  differing_rows(flags: number, a: number, b: number, bStep: 0 | 1, count: number, size: number): void;
  sample_moments(
    sum: number, squares: number, slots: number, rows: number, coefA: number, a: number, coefB: number, b: number,
    count: number, size: number, scale: number,
  ): void;
}

/** A WebAssembly.Memory (the ES2022 lib this project compiles against declares no WebAssembly API). */
export type WasmMemory = { buffer: ArrayBuffer };
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const { WebAssembly: wasmApi } = globalThis as unknown as { WebAssembly: WasmApi };

const WASM_FILE = path.join(__dirname, 'simd', 'kernels.wasm');
const instances = new WeakMap<WasmMemory, SimdKernels>();
let compiled: object | null = null;

function compiledKernels(): object {
  assert(fs.existsSync(WASM_FILE), () => `${WASM_FILE} is missing: run npm run build`);
  compiled ??= new wasmApi.Module(fs.readFileSync(WASM_FILE));
  return compiled;
}

/** The kernels working in `memory` (the wasm backend's heap). */
export function simdKernelsIn(memory: WasmMemory | undefined): SimdKernels {
  assert(memory?.buffer instanceof ArrayBuffer, () => `the wasm backend's memory is ${String(memory)}, not an unshared WebAssembly.Memory`);
  let kernels = instances.get(memory);
  if (!kernels) {
    const instance = new wasmApi.Instance(compiledKernels(), { env: { memory } });
    kernels = instance.exports as unknown as SimdKernels;
    instances.set(memory, kernels);
  }
  return kernels;
}
