/**
 * weights.json: the final parameters of a run, loadable by `--init-from` (warm starts).
 * Format (documented in the README): {"format": "sparse-adam-weights", "version": 1,
 * "hidden": H, "inputs": D, "tied": bool, "tensors": {NAME: {"shape": [...],
 * "data": base64 of little-endian float32}}} with NAME in W, b, c and (untied) W_dec.
 */
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../config/schema';
import { usageError } from '../errors';
import { paramEntries, type ParamName, type Params } from '../model/params';
import { writeFileAtomic } from './atomic';

const FORMAT = 'sparse-adam-weights';

interface StoredTensor {
  shape: number[];
  data: string;
}

interface WeightsFile {
  format: typeof FORMAT;
  version: 1;
  hidden: number;
  inputs: number;
  tied: boolean;
  tensors: Partial<Record<ParamName, StoredTensor>>;
}

function encodeTensor(tensor: tf.Tensor): StoredTensor {
  const values = tensor.dataSync() as Float32Array;
  return { shape: tensor.shape, data: Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64') };
}

export function saveWeights(file: string, params: Params): void {
  const [hidden, inputs] = params.W.shape;
  const stored: WeightsFile = { format: FORMAT, version: 1, hidden, inputs, tied: params.W_dec === null, tensors: {} };
  for (const [name, tensor] of paramEntries(params)) stored.tensors[name] = encodeTensor(tensor);
  writeFileAtomic(file, JSON.stringify(stored));
}

function readWeightsFile(file: string): WeightsFile {
  let parsed: Partial<WeightsFile>;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<WeightsFile>;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not a JSON weights file';
    throw usageError(`${file}: ${reason}`);
  }
  if (parsed.format !== FORMAT || parsed.version !== 1) throw usageError(`${file}: not a ${FORMAT} version 1 file`);
  return parsed as WeightsFile;
}

function decodeTensor(file: string, stored: WeightsFile, name: ParamName, shape: number[]): tf.Tensor {
  const tensor = stored.tensors[name];
  if (!tensor) throw usageError(`${file}: tensors.${name}: missing`);
  if (tensor.shape.join('x') !== shape.join('x')) {
    throw usageError(`${file}: tensors.${name}: shape ${tensor.shape.join('x')}, the model needs ${shape.join('x')}`);
  }
  const bytes = Buffer.from(tensor.data, 'base64');
  const size = shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== size * 4) throw usageError(`${file}: tensors.${name}: ${bytes.length} bytes for ${size} floats`);
  const values = new Float32Array(size);
  new Uint8Array(values.buffer).set(bytes);
  return tf.tensor(values, shape);
}

/** Parameters from a weights file, checked against the configured model. */
export function loadWeights(file: string, model: ModelConfig, inputs: number): Params {
  const stored = readWeightsFile(file);
  if (stored.tied !== model.tied) {
    throw usageError(`${file}: tied is ${stored.tied}, config model.tied is ${model.tied}`);
  }
  const matrix = [model.hidden, inputs];
  return {
    W: decodeTensor(file, stored, 'W', matrix) as tf.Tensor2D,
    b: decodeTensor(file, stored, 'b', [model.hidden]) as tf.Tensor1D,
    c: decodeTensor(file, stored, 'c', [inputs]) as tf.Tensor1D,
    W_dec: model.tied ? null : (decodeTensor(file, stored, 'W_dec', matrix) as tf.Tensor2D),
  };
}
