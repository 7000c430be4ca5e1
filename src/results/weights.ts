/**
 * weights.json: the final parameters of a run, loadable by `--init-from` (warm starts).
 * Format (documented in the README): {"format": "sparse-adam-weights", "version": 1,
 * "hidden": H, "inputs": D, "tied": bool, "tensors": {NAME: {"shape": [...],
 * "data": base64 of little-endian float32}}} with NAME in W, b, c and (untied) W_dec.
 *
 * Reading is two steps: the format's reader (here JSON, its structure checked by a zod
 * schema) gives StoredWeights, the float32 values of each tensor; then checks shared by any
 * format: the file against itself (hidden and inputs are W's shape), against the configured
 * model (tied, every shape), and every value finite. Each refusal is a usage error naming
 * the file and the field.
 */
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { formatValue } from '../config/fields';
import type { ModelConfig } from '../config/schema';
import { usageError } from '../errors';
import { paramEntries, type ParamName, type Params } from '../model/params';
import { writeFileAtomic } from './atomic';

const FORMAT = 'sparse-adam-weights';

/** What a weights file holds, whatever its format. */
export interface StoredWeights {
  hidden: number;
  inputs: number;
  tied: boolean;
  tensors: Partial<Record<ParamName, StoredTensor>>;
}

interface StoredTensor {
  shape: number[];
  values: Float32Array; // row-major
}

const jsonTensorSchema = z.strictObject({
  shape: z.array(z.number().int().nonnegative()),
  data: z.base64(),
});

/** Each parameter's tensor in the JSON file: W_dec only when untied. */
const JSON_TENSORS = {
  W: jsonTensorSchema,
  b: jsonTensorSchema,
  c: jsonTensorSchema,
  W_dec: jsonTensorSchema.optional(),
} satisfies Record<ParamName, z.ZodType>;

const jsonWeightsSchema = z.strictObject({
  format: z.literal(FORMAT),
  version: z.literal(1),
  hidden: z.number().int().positive(),
  inputs: z.number().int().positive(),
  tied: z.boolean(),
  tensors: z.strictObject(JSON_TENSORS),
});

type JsonWeights = z.output<typeof jsonWeightsSchema>;
type JsonTensor = z.output<typeof jsonTensorSchema>;

function encodeTensor(tensor: tf.Tensor): JsonTensor {
  const values = tensor.dataSync() as Float32Array;
  return { shape: tensor.shape, data: Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64') };
}

export function saveWeights(file: string, params: Params): void {
  const [hidden, inputs] = params.W.shape;
  const tensors = Object.fromEntries(paramEntries(params).map(([name, tensor]) => [name, encodeTensor(tensor)]));
  const stored: JsonWeights = { format: FORMAT, version: 1, hidden, inputs, tied: params.W_dec === null, tensors: tensors as JsonWeights['tensors'] };
  writeFileAtomic(file, JSON.stringify(stored));
}

/** The JSON format's reader: parse, check the structure, decode each tensor's values. */
function readJsonWeights(file: string): StoredWeights {
  const parsed = parseJsonFile(file);
  const header = parsed as { format?: unknown; version?: unknown } | null;
  if (header?.format !== FORMAT || header.version !== 1) throw usageError(`${file}: not a ${FORMAT} version 1 file`);
  const result = jsonWeightsSchema.safeParse(parsed, { reportInput: true });
  if (!result.success) throw usageError(`${file}: ${describeIssue(result.error.issues[0])}`);
  const { hidden, inputs, tied } = result.data;
  const tensors: StoredWeights['tensors'] = {};
  for (const [name, tensor] of Object.entries(result.data.tensors) as [ParamName, JsonTensor | undefined][]) {
    if (tensor !== undefined) tensors[name] = { shape: tensor.shape, values: decodeFloats(file, name, tensor) };
  }
  return { hidden, inputs, tied, tensors };
}

function parseJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw usageError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a weights file' : `cannot read (${code})`}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw usageError(`${file}: not a JSON weights file`);
  }
}

/** `tensors.W.shape[1]: expected number, got "x"`: the field, then what is wrong with it. */
function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (issue === undefined) return 'invalid';
  const field = issue.path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');
  const where = field === '' ? '' : `${field}: `;
  if (issue.code === 'invalid_type') return `${where}${issue.input === undefined ? 'missing' : `expected ${issue.expected}, got ${formatValue(issue.input)}`}`;
  if (issue.code === 'invalid_format') return `${where}expected ${issue.format} text`;
  if (issue.code === 'unrecognized_keys') return `${where}unknown ${issue.keys.join(', ')}`;
  return `${where}${issue.message}`;
}

function decodeFloats(file: string, name: ParamName, tensor: JsonTensor): Float32Array {
  const bytes = Buffer.from(tensor.data, 'base64');
  const size = sizeOf(tensor.shape);
  if (bytes.length !== size * 4) throw usageError(`${file}: tensors.${name}.data: ${bytes.length} bytes for ${size} floats`);
  const values = new Float32Array(size);
  new Uint8Array(values.buffer).set(bytes);
  return values;
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The tensor under `name` with the shape the model needs, every value finite. */
function checkedTensor(file: string, stored: StoredWeights, name: ParamName, shape: number[]): StoredTensor {
  const tensor = stored.tensors[name];
  if (!tensor) throw usageError(`${file}: tensors.${name}: missing`);
  if (tensor.shape.join('x') !== shape.join('x')) {
    throw usageError(`${file}: tensors.${name}: shape ${tensor.shape.join('x')}, the model needs ${shape.join('x')}`);
  }
  const bad = tensor.values.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) throw usageError(`${file}: tensors.${name}: the value at [${indexIn(shape, bad).join(', ')}] is ${tensor.values[bad]}`);
  return tensor;
}

/** A flat row-major index as one index per dimension. */
function indexIn(shape: readonly number[], flat: number): number[] {
  const index: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    index.unshift(flat % shape[d]!);
    flat = Math.floor(flat / shape[d]!);
  }
  return index;
}

/** A weights file's tensors, checked against the file itself and the configured model. */
function readCheckedWeights(file: string, model: ModelConfig, inputs: number): Record<'W' | 'b' | 'c', StoredTensor> & { W_dec: StoredTensor | null } {
  const stored = readJsonWeights(file);
  const own = stored.tensors.W?.shape.join('x');
  if (own !== undefined && own !== `${stored.hidden}x${stored.inputs}`) {
    throw usageError(`${file}: hidden ${stored.hidden} and inputs ${stored.inputs}, but tensors.W has shape ${own}`);
  }
  if (stored.tied !== model.tied) {
    throw usageError(`${file}: tied is ${stored.tied}, config model.tied is ${model.tied}`);
  }
  const matrix = [model.hidden, inputs];
  return {
    W: checkedTensor(file, stored, 'W', matrix),
    b: checkedTensor(file, stored, 'b', [model.hidden]),
    c: checkedTensor(file, stored, 'c', [inputs]),
    W_dec: model.tied ? null : checkedTensor(file, stored, 'W_dec', matrix),
  };
}

/** Refuse a weights file loadWeights would refuse, without making tensors: to check it
 *  before anything is written. */
export function checkWeightsFile(file: string, model: ModelConfig, inputs: number): void {
  readCheckedWeights(file, model, inputs);
}

/** Parameters from a weights file, checked against itself and the configured model. */
export function loadWeights(file: string, model: ModelConfig, inputs: number): Params {
  const { W, b, c, W_dec } = readCheckedWeights(file, model, inputs);
  return {
    W: tf.tensor2d(W.values, [model.hidden, inputs]),
    b: tf.tensor1d(b.values),
    c: tf.tensor1d(c.values),
    W_dec: W_dec && tf.tensor2d(W_dec.values, [model.hidden, inputs]),
  };
}
