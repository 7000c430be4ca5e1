/**
 * Classification accuracy of the codes (SPEC.md §5): a softmax regression on the training
 * codes, its L2 strength chosen on a validation split (the last part of the training
 * codes), then refit on all training codes. The test codes are only ever scored.
 *
 * The fits follow a regularisation path: the candidates on the codes without the validation
 * split, strongest l2 first, each fit starting from the one before it; then the chosen l2 on
 * all training codes, starting from its candidate's fit. Every fit runs the same number of
 * epochs (eval.classifier_epochs). The optimum moves little from one l2 to the next weaker one
 * or from 90% of the codes to all of them, so each fit starts near its own, and the weakly
 * penalised fits, the slowest to converge from zero, get the earlier fits' epochs as a head
 * start. Measured on the codes of seven autoencoders (10 to 20 seeds each): 3 epochs per fit
 * give the test accuracy of fitting every candidate and the refit from zero for 20 epochs to
 * within 0.06 points on 24,000 training images (0.25 on the noisier 8,000 embedded ones, up
 * or down), in a sixth of the time.
 */
import { validationSplit } from '../config/feasible';
import { assert, usageError } from '../errors';
import { sliceCodes, type SparseCodes } from './codes';
import { accuracy, fitSoftmax, type SoftmaxModel } from './softmax';

export interface LabelledCodes {
  codes: SparseCodes;
  labels: Uint8Array; // [count]
}

export interface ClassifierOptions {
  /** L2 strengths to try (config eval.classifier_l2). */
  l2Candidates: readonly number[];
  /** Passes over the training codes per fit along the path (config eval.classifier_epochs). */
  epochs: number;
  /** Fraction of the training codes, from the end, held out to choose l2 (config data.validation_fraction). */
  validationFraction: number;
  seed: number;
}

export interface ClassifierResult {
  /** The chosen L2 strength. */
  l2: number;
  /** Accuracy of the chosen l2's fit (without the validation codes) on the validation codes. */
  validationAccuracy: number;
  /** Accuracy of the final fit (all training codes) on the training codes. */
  trainAccuracy: number;
  /** Accuracy of the final fit on the test codes. */
  testAccuracy: number;
}

/** Train and test accuracy of the codes, with the L2 strength chosen on the validation split. */
export function evaluateClassifier(
  train: LabelledCodes,
  test: LabelledCodes,
  options: ClassifierOptions,
): ClassifierResult {
  const { fit, validation } = splitOffValidation(train, options.validationFraction);
  const chosen = chooseL2(fit, validation, options);
  const refit = fitSoftmax(train.codes, train.labels, {
    l2: chosen.l2,
    epochs: options.epochs,
    seed: options.seed,
    start: chosen.model,
  });
  return {
    l2: chosen.l2,
    validationAccuracy: chosen.validationAccuracy,
    trainAccuracy: accuracy(refit, train.codes, train.labels),
    testAccuracy: accuracy(refit, test.codes, test.labels),
  };
}

interface CandidateFit {
  l2: number;
  model: SoftmaxModel;
  validationAccuracy: number;
}

/** The candidates fit along the regularisation path, strongest l2 first, each fit starting from
 *  the one before; the best on validation wins, ties going to the stronger l2 (the earlier fit). */
function chooseL2(fit: LabelledCodes, validation: LabelledCodes, options: ClassifierOptions): CandidateFit {
  assert(options.l2Candidates.length > 0, () => `${options.l2Candidates.length} l2 candidates`);
  const strongestFirst = [...options.l2Candidates].sort((a, b) => b - a);
  const fits: CandidateFit[] = [];
  for (const l2 of strongestFirst) {
    const start = fits.at(-1)?.model;
    const model = fitSoftmax(fit.codes, fit.labels, { l2, epochs: options.epochs, seed: options.seed, start });
    fits.push({ l2, model, validationAccuracy: accuracy(model, validation.codes, validation.labels) });
  }
  return fits.reduce((best, next) => (next.validationAccuracy > best.validationAccuracy ? next : best));
}

/** The last ceil(fraction * count) training codes are the validation split; the rest are fit. */
function splitOffValidation(train: LabelledCodes, fraction: number): { fit: LabelledCodes; validation: LabelledCodes } {
  const count = train.codes.count;
  const { fit: cut, held } = validationSplit(fraction, count);
  if (held < 1 || cut < 1) {
    throw usageError(
      `validation fraction ${fraction} of ${count} training images leaves ${cut} to fit and ${held} ` +
        'to validate; both need at least 1 (change data.validation_fraction or data.train_limit)',
    );
  }
  return {
    fit: { codes: sliceCodes(train.codes, 0, cut), labels: train.labels.subarray(0, cut) },
    validation: { codes: sliceCodes(train.codes, cut, count), labels: train.labels.subarray(cut, count) },
  };
}
