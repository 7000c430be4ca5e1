/**
 * The pictures of one run's weights.json: its first filters (rows of W as 28x28 tiles,
 * each min-max normalised) and one test image per digit above its reconstruction from the
 * test-time code (top alpha*k cells per image, SPEC.md §2), computed with the model's own
 * forward pass. Uses the tfjs backend already selected (tfjs's default otherwise).
 */
import * as tf from '@tensorflow/tfjs';
import { testActiveCells } from '../config/feasible';
import type { Config, ModelConfig } from '../config/schema';
import type { Split } from '../data/dataset';
import { loadDataset, resolveDataDir } from '../data/load';
import { runtimeError } from '../errors';
import { forward } from '../model/autoencoder';
import { disposeParams, type Params } from '../model/params';
import { topKMask } from '../model/topk';
import { loadWeights } from '../results/weights';
import { settingOf } from './columns';
import { minMaxNormalised, tileGridPng, type GridImage } from './images';
import type { RunResult } from './read';
import { formatValue } from './tables';

export const FILTERS_SHOWN = 100;

export interface ReportImage extends GridImage {
  file: string; // name beside the report
  caption: string;
}

export async function runImages(run: RunResult, experiment: string): Promise<ReportImage[]> {
  if (run.config === null || run.weightsFile === null) {
    throw runtimeError(`${run.dir}: no weights.json to picture (status ${run.status})`);
  }
  const config = run.config;
  const test = await testSplit(config);
  const params = loadWeights(run.weightsFile, config.model, test.pixels);
  try {
    const about = `run ${run.id} (${experiment}: ${describeRun(run)})`;
    return [filterImage(params, about), reconstructionImage(params, test, config, about)];
  } finally {
    disposeParams(params);
  }
}

function describeRun(run: RunResult): string {
  const keys = ['optimizer.name', 'optimizer.lr', 'train.mode'] as const;
  return keys.map((key) => `${key} = ${formatValue(settingOf(run, key))}`).join(', ');
}

/** The run's test split, from the data its config names (never downloaded here). */
async function testSplit(config: Config): Promise<Split> {
  const data = { ...config.data, download: false };
  const dataset = await loadDataset(data, { dataDir: resolveDataDir(undefined, process.env, data.dir), seed: config.seed });
  return dataset.test;
}

function filterImage(params: Params, about: string): ReportImage {
  const [hidden, pixels] = params.W.shape;
  const shown = Math.min(FILTERS_SHOWN, hidden);
  const W = params.W.dataSync() as Float32Array;
  const tiles = Array.from({ length: shown }, (_, cell) => minMaxNormalised(W.subarray(cell * pixels, (cell + 1) * pixels)));
  return {
    file: 'filters.png',
    caption: `The first ${shown} of ${hidden} filters (rows of W, each stretched from its minimum, black, to its maximum, white) of ${about}.`,
    ...tileGridPng(tiles, Math.ceil(Math.sqrt(shown))),
  };
}

function reconstructionImage(params: Params, test: Split, config: Config, about: string): ReportImage {
  const chosen = onePerDigit(test);
  const images = chosen.map((i) => test.images.slice(i * test.pixels, (i + 1) * test.pixels));
  const active = testActiveCells(config.model);
  const reconstructions = reconstruct(params, images, config.model);
  return {
    file: 'reconstructions.png',
    caption:
      `Top: the first test image of each digit; bottom: its reconstruction from its top ${active} cells ` +
      `(alpha*k, the test-time code), clipped to [0, 1]; ${about}.`,
    ...tileGridPng([...images, ...reconstructions], images.length),
  };
}

/** Index of the first test image of each digit 0..9 present. */
function onePerDigit(test: Split): number[] {
  const digits = Array.from({ length: 10 }, (_, digit) => test.labels.indexOf(digit));
  return digits.filter((index) => index >= 0);
}

/** Each image decoded from its test-time code: the forward pass with a top-(alpha*k) mask. */
function reconstruct(params: Params, images: Float32Array[], model: ModelConfig): Float32Array[] {
  const pixels = images[0]?.length ?? 0;
  const batch = new Float32Array(images.length * pixels);
  images.forEach((image, i) => batch.set(image, i * pixels));
  const active = testActiveCells(model);
  const y = tf.tidy(() => forward(params, tf.tensor2d(batch, [images.length, pixels]), model, (z) => topKMask(z, active)).y);
  const values = y.dataSync() as Float32Array;
  y.dispose();
  return images.map((_, i) => values.slice(i * pixels, (i + 1) * pixels));
}
