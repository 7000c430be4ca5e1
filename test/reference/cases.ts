/**
 * The cases the float64 reference (reference.ts) is compared with training on: every mode
 * x optimizer, then lifetime sparsity, untied weights, relu / sigmoid and non-default
 * hyperparameters; a small MNIST-shaped dataset and known starting weights; and training
 * them through the product's own loop (createOptimizer + trainEpoch, what `run` does).
 */
import * as tf from '@tensorflow/tfjs';
import { configSchema, type Config } from '../../src/config/schema';
import type { Split } from '../../src/data/dataset';
import { createRng } from '../../src/data/random';
import type { Params } from '../../src/model/params';
import { createOptimizer } from '../../src/optim/optimizer';
import { trainEpoch } from '../../src/train/epoch';

export const PIXELS = 784;
export const HIDDEN = 20;
export const BATCH = 10;
export const IMAGES = 30; // 3 steps per epoch
export const EPOCHS = 2;

type Mode = Config['train']['mode'];
type OptimizerName = Config['optimizer']['name'];

export interface ReferenceCase {
  name: string;
  config: Config;
}

const MODES: Mode[] = ['mask', 'gather', 'gather-remask'];
const OPTIMIZERS: OptimizerName[] = ['adam', 'adam-tf-sparse', 'lazy-adam', 'lazy-adam-rowstep', 'count-adam', 'sgd', 'adagrad'];

/** A learning rate per optimizer that moves W by well over its float32 rounding in a few steps. */
const LR: Record<OptimizerName, number> = {
  adam: 1e-3,
  'adam-tf-sparse': 1e-3,
  'lazy-adam': 1e-3,
  'lazy-adam-rowstep': 1e-3,
  'count-adam': 1e-3,
  sgd: 3,
  adagrad: 0.3,
};

function caseConfig(mode: Mode, optimizer: OptimizerName, overrides: { model?: object; optimizer?: object } = {}): Config {
  return configSchema.parse({
    model: { hidden: HIDDEN, k: 3, ...overrides.model },
    train: { mode, batch_size: BATCH, epochs: EPOCHS, shuffle: false },
    optimizer: { name: optimizer, lr: LR[optimizer], ...overrides.optimizer },
  });
}

function describe(config: Config): string {
  return `${config.train.mode} ${config.optimizer.name}`;
}

/** 21 mode x optimizer cases and 12 more of the other options. */
export function referenceCases(): ReferenceCase[] {
  const all: ReferenceCase[] = [];
  for (const mode of MODES) for (const name of OPTIMIZERS) all.push({ name: `${mode} ${name}`, config: caseConfig(mode, name) });
  const more: [string, Config][] = [
    ['lifetime', caseConfig('gather', 'adam', { model: { lifetime_sparsity: true } })],
    ['lifetime', caseConfig('gather', 'lazy-adam', { model: { lifetime_sparsity: true } })],
    ['lifetime', caseConfig('gather', 'count-adam', { model: { lifetime_sparsity: true } })],
    ['lifetime, lifetime_rate 0.3', caseConfig('gather-remask', 'count-adam', { model: { lifetime_sparsity: true, lifetime_rate: 0.3 } })],
    ['lifetime, lifetime_rate 0.3', caseConfig('mask', 'lazy-adam-rowstep', { model: { lifetime_sparsity: true, lifetime_rate: 0.3 } })],
    ['untied', caseConfig('mask', 'adam', { model: { tied: false } })],
    ['untied', caseConfig('gather', 'count-adam', { model: { tied: false } })],
    ['untied, relu encoder', caseConfig('gather-remask', 'lazy-adam', { model: { tied: false, encoder_activation: 'relu' } })],
    ['relu encoder, sigmoid decoder', caseConfig('mask', 'count-adam', { model: { encoder_activation: 'relu', decoder_activation: 'sigmoid' } })],
    ['sigmoid decoder, beta1 0.8, beta2 0.99, epsilon 1e-3', caseConfig('gather', 'adam', { model: { decoder_activation: 'sigmoid' }, optimizer: { beta1: 0.8, beta2: 0.99, epsilon: 1e-3 } })],
    ['momentum 0.5', caseConfig('gather-remask', 'sgd', { optimizer: { momentum: 0.5 } })],
    ['initial_accumulator 0.01', caseConfig('gather', 'adagrad', { optimizer: { initial_accumulator: 0.01 } })],
  ];
  for (const [what, config] of more) all.push({ name: `${describe(config)} (${what})`, config });
  return all;
}

/** MNIST-shaped bytes: about 40% black pixels, the rest uniform in 1..255. */
export function imageBytes(count: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  return Uint8Array.from({ length: count * PIXELS }, () => (rng() < 0.4 ? 0 : 1 + Math.floor(rng() * 255)));
}

/** The split the IDX loader makes of those bytes: pixels / 255 as float32. */
export function splitOf(bytes: Uint8Array): Split {
  const count = bytes.length / PIXELS;
  return { images: Float32Array.from(bytes, (p) => p / 255), labels: new Uint8Array(count), count, pixels: PIXELS };
}

/** Known starting weights (float32): W (and W_dec) normal(0, 0.1), b and c normal(0, 0.05). */
export function startingWeights(tied: boolean, seed: number): { W: Float32Array; b: Float32Array; c: Float32Array; W_dec: Float32Array | null } {
  const rng = createRng(seed);
  const normal = (std: number) => std * Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const draw = (size: number, std: number) => Float32Array.from({ length: size }, () => normal(std));
  return { W: draw(HIDDEN * PIXELS, 0.1), b: draw(HIDDEN, 0.05), c: draw(PIXELS, 0.05), W_dec: tied ? null : draw(HIDDEN * PIXELS, 0.1) };
}

/** The parameters after training from `start` on `split` the way `run` trains (final values, read back). */
export async function trainWithProduct(config: Config, start: ReturnType<typeof startingWeights>, split: Split) {
  const params: Params = {
    W: tf.tensor2d(start.W, [HIDDEN, PIXELS]),
    b: tf.tensor1d(start.b),
    c: tf.tensor1d(start.c),
    W_dec: start.W_dec && tf.tensor2d(start.W_dec, [HIDDEN, PIXELS]),
  };
  const optimizer = createOptimizer(config.optimizer);
  const rng = createRng(0); // unused: shuffle is off
  let diverged = false;
  for (let epoch = 0; epoch < config.train.epochs; epoch++) diverged ||= (await trainEpoch(params, optimizer, split, config, rng)).diverged;
  optimizer.dispose();
  const read = (x: tf.Tensor | null) => x && Float32Array.from(x.dataSync());
  const out = { W: read(params.W)!, b: read(params.b)!, c: read(params.c)!, W_dec: read(params.W_dec), diverged };
  tf.dispose([params.W, params.b, params.c, ...(params.W_dec ? [params.W_dec] : [])]);
  return out;
}
