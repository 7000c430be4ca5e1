/**
 * Multinomial logistic (softmax) regression on sparse codes (SPEC.md §5).
 *
 * Model: p(class | code) = softmax(x W + b), W [hidden, classes], b [classes], where x is
 * the code with every stored value divided by the model's feature scale.
 * Feature scale: the root mean square of the stored values of the training codes, so a
 * typical active cell feeds the classifier a value of about 1 whatever scale the
 * autoencoder gave its codes (and the L2 candidates mean the same thing for every run).
 * One global scale, not per-cell standardisation: centring would make the codes dense,
 * and the cells keep the relative sizes the autoencoder gave them. The scale is part of
 * the model and applied to every code it reads.
 * Objective: mean cross-entropy over the training codes + (l2 / 2) |W|^2 (bias not
 * penalised), minimised by minibatch Adam over seeded shuffles for a fixed number of
 * epochs, from zero or from a given model (a warm start: its weights, bias and feature
 * scale; Adam's moments start at zero and its learning rate at the initial value, as from
 * zero). The learning rate decays linearly to zero, so the returned weights are where the
 * optimizer settled rather than one noisy minibatch step from it.
 * A sample's logits are a sum of its `active` rows of W, not a dense matmul.
 */
import { assert } from '../errors';
import { createRng, deriveSeed, shuffledIndices } from '../data/random';
import { assertWellFormed, type SparseCodes } from './codes';

/** MNIST digits; writeLogits and addWeightGradient are written out for exactly 10. */
const CLASSES = 10;
/** Samples per Adam step at most: 200 rather than 100 halves the dense Adam updates, at the
 *  same test accuracy on MNIST codes (classify.ts's path of 3-epoch fits, measured). */
const MAX_BATCH_SIZE = 200;
/** Small training sets take smaller batches, so that a few epochs are still enough Adam
 *  steps (500 codes: batches of 10, 50 steps per epoch rather than 3). */
const MIN_STEPS_PER_EPOCH = 50;
/** Adam's initial step size, for features of size about 1 (see the feature scale). */
const LEARNING_RATE = 0.02;
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

export interface SoftmaxModel {
  hidden: number;
  classes: number;
  /** Stored code values are divided by this before they meet W. */
  featureScale: number;
  /** Every trained number, flat: weights then bias. */
  parameters: Float64Array; // [hidden * classes + classes]
  weights: Float64Array; // [hidden, classes], a view into parameters
  bias: Float64Array; // [classes], a view into parameters
}

export interface SoftmaxOptions {
  /** lambda of the penalty (lambda / 2) |W|^2 added to the mean cross-entropy. */
  l2: number;
  /** Passes over the training codes (0 returns the starting model: all zero, or a copy of `start`). */
  epochs: number;
  /** Run seed; the shuffles use deriveSeed(seed, 'classifier'). */
  seed: number;
  /** Warm start: begin at this model's weights, bias and feature scale instead of at zero. */
  start?: SoftmaxModel;
}

/** Fit a softmax regression to the codes and their labels (0..9). */
export function fitSoftmax(codes: SparseCodes, labels: Uint8Array, options: SoftmaxOptions): SoftmaxModel {
  assertWellFormed(codes);
  assertLabels(codes, labels);
  assert(codes.count > 0, () => `fitting a classifier on ${codes.count} codes`);
  const model = options.start ? copyOf(options.start) : zeroModel(codes.hidden, featureScaleOf(codes));
  assert(codes.hidden === model.hidden, () => `codes of ${codes.hidden} cells for a model of ${model.hidden}`);
  const gradient = new Float64Array(model.parameters.length); // [hidden * classes + classes]
  const adam = createAdam(model.parameters.length);
  const batchSize = Math.min(MAX_BATCH_SIZE, Math.ceil(codes.count / MIN_STEPS_PER_EPOCH));
  const totalSteps = options.epochs * Math.ceil(codes.count / batchSize);
  const rng = createRng(deriveSeed(options.seed, 'classifier'));
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const order = shuffledIndices(codes.count, rng);
    for (let start = 0; start < codes.count; start += batchSize) {
      const batch = order.subarray(start, Math.min(start + batchSize, codes.count));
      lossAndGradient(model, codes, labels, batch, options.l2, gradient);
      const learningRate = LEARNING_RATE * (1 - adam.step / totalSteps);
      adamStep(adam, model.parameters, gradient, learningRate);
    }
  }
  return model;
}

/**
 * The objective on one batch of samples: writes its gradient with respect to
 * model.parameters into `gradient` [hidden * classes + classes] (overwriting it) and
 * returns its value, mean cross-entropy over the batch + (l2 / 2) |W|^2.
 */
export function lossAndGradient(
  model: SoftmaxModel,
  codes: SparseCodes,
  labels: Uint8Array,
  batch: Int32Array,
  l2: number,
  gradient: Float64Array,
): number {
  const size = model.parameters.length;
  assert(gradient.length === size, () => `gradient of ${gradient.length} for ${size} parameters`);
  assert(codes.hidden === model.hidden, () => `codes of ${codes.hidden} cells for a model of ${model.hidden}`);
  const penalty = writePenaltyGradient(model.weights, l2, gradient);
  const biasGradient = gradient.subarray(model.weights.length); // [classes]
  const probabilities = new Float64Array(CLASSES); // [classes], reused for every sample
  const share = 1 / batch.length; // each sample's weight in the batch mean
  let crossEntropy = 0;
  for (let b = 0; b < batch.length; b++) {
    const sample = batch[b]!;
    const label = labels[sample]!;
    writeLogits(model, codes, sample, probabilities);
    const labelLogit = probabilities[label]!;
    crossEntropy += softmaxInPlace(probabilities) - labelLogit;
    // d(cross-entropy)/d(logits) = probabilities - onehot(label)
    probabilities[label]! -= 1;
    for (let c = 0; c < CLASSES; c++) biasGradient[c]! += share * probabilities[c]!;
    addWeightGradient(codes, sample, share / model.featureScale, probabilities, gradient);
  }
  return crossEntropy * share + penalty;
}

/** Predicted class of every code: the largest logit (the first, on ties). */
export function predict(model: SoftmaxModel, codes: SparseCodes): Uint8Array {
  assertWellFormed(codes);
  assert(codes.hidden === model.hidden, () => `codes of ${codes.hidden} cells for a model of ${model.hidden}`);
  const predictions = new Uint8Array(codes.count); // [count]
  const logits = new Float64Array(CLASSES); // [classes], reused for every sample
  for (let sample = 0; sample < codes.count; sample++) {
    writeLogits(model, codes, sample, logits);
    let best = 0;
    for (let c = 1; c < CLASSES; c++) if (logits[c]! > logits[best]!) best = c;
    predictions[sample] = best;
  }
  return predictions;
}

/** Fraction of codes whose predicted class is their label. */
export function accuracy(model: SoftmaxModel, codes: SparseCodes, labels: Uint8Array): number {
  assertLabels(codes, labels);
  assert(codes.count > 0, () => `accuracy of ${codes.count} codes`);
  const predictions = predict(model, codes);
  let correct = 0;
  for (let i = 0; i < codes.count; i++) if (predictions[i] === labels[i]) correct++;
  return correct / codes.count;
}

/** All-zero weights and bias, so training starts from the uniform distribution. */
function zeroModel(hidden: number, featureScale: number): SoftmaxModel {
  const parameters = new Float64Array(hidden * CLASSES + CLASSES);
  return {
    hidden,
    classes: CLASSES,
    featureScale,
    parameters,
    weights: parameters.subarray(0, hidden * CLASSES),
    bias: parameters.subarray(hidden * CLASSES),
  };
}

function copyOf(model: SoftmaxModel): SoftmaxModel {
  const copy = zeroModel(model.hidden, model.featureScale);
  copy.parameters.set(model.parameters);
  return copy;
}

/** Root mean square of the stored values; 1 when they are all zero (nothing to scale). */
function featureScaleOf(codes: SparseCodes): number {
  let sumOfSquares = 0;
  for (let n = 0; n < codes.values.length; n++) sumOfSquares += codes.values[n]! * codes.values[n]!;
  const scale = Math.sqrt(sumOfSquares / codes.values.length);
  assert(Number.isFinite(scale), () => `code values with root mean square ${scale}`);
  return scale > 0 ? scale : 1;
}

/** Starts the gradient at the penalty's (l2 W for the weights, 0 for the bias); returns (l2 / 2) |W|^2. */
function writePenaltyGradient(weights: Float64Array, l2: number, gradient: Float64Array): number {
  let squaredNorm = 0;
  for (let p = 0; p < weights.length; p++) {
    const w = weights[p]!;
    squaredNorm += w * w;
    gradient[p] = l2 * w;
  }
  gradient.fill(0, weights.length);
  return 0.5 * l2 * squaredNorm;
}

/*
 * The two hot loops below (70% of the classifier's time) name one variable per class
 * instead of looping over c: V8 then keeps the ten sums in registers, where a loop over
 * logits[c] loads and stores every term (typed arrays may alias). About 2x faster.
 */

/** logits [classes] = bias + sum over the sample's stored cells of (value / scale) W[cell, :]. */
function writeLogits(model: SoftmaxModel, codes: SparseCodes, sample: number, logits: Float64Array): void {
  const { weights, bias } = model;
  const { active, indices, values } = codes;
  const inverseScale = 1 / model.featureScale;
  let l0 = bias[0]!, l1 = bias[1]!, l2 = bias[2]!, l3 = bias[3]!, l4 = bias[4]!;
  let l5 = bias[5]!, l6 = bias[6]!, l7 = bias[7]!, l8 = bias[8]!, l9 = bias[9]!;
  for (let n = sample * active, end = n + active; n < end; n++) {
    const x = inverseScale * values[n]!;
    const w = indices[n]! * CLASSES; // row W[cell, :]
    l0 += x * weights[w]!; l1 += x * weights[w + 1]!; l2 += x * weights[w + 2]!; l3 += x * weights[w + 3]!;
    l4 += x * weights[w + 4]!; l5 += x * weights[w + 5]!; l6 += x * weights[w + 6]!; l7 += x * weights[w + 7]!;
    l8 += x * weights[w + 8]!; l9 += x * weights[w + 9]!;
  }
  logits[0] = l0; logits[1] = l1; logits[2] = l2; logits[3] = l3; logits[4] = l4;
  logits[5] = l5; logits[6] = l6; logits[7] = l7; logits[8] = l8; logits[9] = l9;
}

/** gradient[cell, :] += (factor * value) * delta [classes] for each of the sample's stored cells. */
function addWeightGradient(
  codes: SparseCodes,
  sample: number,
  factor: number,
  delta: Float64Array,
  gradient: Float64Array,
): void {
  const { active, indices, values } = codes;
  const d0 = factor * delta[0]!, d1 = factor * delta[1]!, d2 = factor * delta[2]!, d3 = factor * delta[3]!;
  const d4 = factor * delta[4]!, d5 = factor * delta[5]!, d6 = factor * delta[6]!, d7 = factor * delta[7]!;
  const d8 = factor * delta[8]!, d9 = factor * delta[9]!;
  for (let n = sample * active, end = n + active; n < end; n++) {
    const x = values[n]!;
    const w = indices[n]! * CLASSES; // row gradient[cell, :]
    gradient[w]! += x * d0; gradient[w + 1]! += x * d1; gradient[w + 2]! += x * d2; gradient[w + 3]! += x * d3;
    gradient[w + 4]! += x * d4; gradient[w + 5]! += x * d5; gradient[w + 6]! += x * d6; gradient[w + 7]! += x * d7;
    gradient[w + 8]! += x * d8; gradient[w + 9]! += x * d9;
  }
}

/** Logits to probabilities in place, max subtracted first; returns log(sum(exp(logits))). */
function softmaxInPlace(scores: Float64Array): number {
  let max = -Infinity;
  for (let c = 0; c < scores.length; c++) max = Math.max(max, scores[c]!);
  let sum = 0;
  for (let c = 0; c < scores.length; c++) {
    const e = Math.exp(scores[c]! - max);
    scores[c] = e;
    sum += e;
  }
  for (let c = 0; c < scores.length; c++) scores[c]! /= sum;
  return max + Math.log(sum);
}

interface AdamState {
  step: number; // steps taken so far
  firstMoment: Float64Array; // [parameters]
  secondMoment: Float64Array; // [parameters]
}

function createAdam(size: number): AdamState {
  return { step: 0, firstMoment: new Float64Array(size), secondMoment: new Float64Array(size) };
}

/** One bias-corrected Adam step on every parameter. */
function adamStep(adam: AdamState, parameters: Float64Array, gradient: Float64Array, learningRate: number): void {
  adam.step++;
  const stepSize = (learningRate * Math.sqrt(1 - BETA2 ** adam.step)) / (1 - BETA1 ** adam.step);
  const m = adam.firstMoment;
  const v = adam.secondMoment;
  for (let p = 0; p < parameters.length; p++) {
    const g = gradient[p]!;
    const mp = BETA1 * m[p]! + (1 - BETA1) * g;
    const vp = BETA2 * v[p]! + (1 - BETA2) * g * g;
    m[p] = mp;
    v[p] = vp;
    parameters[p]! -= (stepSize * mp) / (Math.sqrt(vp) + EPSILON);
  }
}

function assertLabels(codes: SparseCodes, labels: Uint8Array): void {
  assert(labels.length === codes.count, () => `${labels.length} labels for ${codes.count} codes`);
  for (let i = 0; i < labels.length; i++) {
    assert(labels[i]! < CLASSES, () => `label ${labels[i]} at ${i} is not a class of ${CLASSES}`);
  }
}
