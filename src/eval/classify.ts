/**
 * Classification accuracy of the codes (SPEC.md §5): a softmax regression on the training
 * codes, its L2 strength chosen on a validation split (the last part of the training
 * codes), then refit on all training codes. The test codes are only ever scored.
 */
import { assert, usageError } from '../errors';
import { sliceCodes, type SparseCodes } from './codes';
import { accuracy, fitSoftmax } from './softmax';

export interface LabelledCodes {
  codes: SparseCodes;
  labels: Uint8Array; // [count]
}

export interface ClassifierOptions {
  /** L2 strengths to try (config eval.classifier_l2). */
  l2Candidates: readonly number[];
  /** Passes over the training codes per fit (config eval.classifier_epochs). */
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
  const { l2, validationAccuracy } = chooseL2(train, options);
  const refit = fitSoftmax(train.codes, train.labels, { l2, epochs: options.epochs, seed: options.seed });
  return {
    l2,
    validationAccuracy,
    trainAccuracy: accuracy(refit, train.codes, train.labels),
    testAccuracy: accuracy(refit, test.codes, test.labels),
  };
}

/** Each candidate fit on the training codes minus the validation split; the best on validation
 *  wins, ties going to the stronger l2. */
function chooseL2(train: LabelledCodes, options: ClassifierOptions): { l2: number; validationAccuracy: number } {
  assert(options.l2Candidates.length > 0, () => `${options.l2Candidates.length} l2 candidates`);
  const { fit, validation } = splitOffValidation(train, options.validationFraction);
  let best = { l2: NaN, validationAccuracy: -1 };
  for (const l2 of options.l2Candidates) {
    const model = fitSoftmax(fit.codes, fit.labels, { l2, epochs: options.epochs, seed: options.seed });
    const validationAccuracy = accuracy(model, validation.codes, validation.labels);
    const better = validationAccuracy > best.validationAccuracy;
    const tieToStronger = validationAccuracy === best.validationAccuracy && l2 > best.l2;
    if (better || tieToStronger) best = { l2, validationAccuracy };
  }
  return best;
}

/** The last ceil(fraction * count) training codes are the validation split; the rest are fit. */
function splitOffValidation(train: LabelledCodes, fraction: number): { fit: LabelledCodes; validation: LabelledCodes } {
  const count = train.codes.count;
  const held = Math.ceil(fraction * count);
  if (held < 1 || held >= count) {
    throw usageError(
      `validation fraction ${fraction} of ${count} training images leaves ${count - held} to fit and ${held} ` +
        'to validate; both need at least 1 (change data.validation_fraction or data.train_limit)',
    );
  }
  const cut = count - held;
  return {
    fit: { codes: sliceCodes(train.codes, 0, cut), labels: train.labels.subarray(0, cut) },
    validation: { codes: sliceCodes(train.codes, cut, count), labels: train.labels.subarray(cut, count) },
  };
}
