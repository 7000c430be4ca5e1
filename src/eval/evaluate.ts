/** Everything measured after an epoch (SPEC.md §5), on the test-time encoding. */
import type { Config } from '../config/schema';
import type { Dataset } from '../data/dataset';
import { deriveSeed } from '../data/random';
import type { Params } from '../model/params';
import { evaluateClassifier } from './classify';
import { countDeadCells, encodeSplit } from './encode';

export interface Evaluation {
  train_mse: number; // reconstruction MSE on the training split, alpha*k encoding
  test_mse: number;
  train_accuracy: number; // softmax regression on the frozen codes, fit on the training split
  validation_accuracy: number; // of the chosen L2 (fit without the validation codes)
  test_accuracy: number;
  classifier_l2: number; // chosen on the validation split, never on test
  dead_cells: number; // cells in no training image's alpha*k code
  eval_seconds: number;
}

export function evaluateModel(params: Params, dataset: Dataset, config: Config): Evaluation {
  const start = performance.now();
  const train = encodeSplit(params, dataset.train, config.model, config.eval.batch_size);
  const test = encodeSplit(params, dataset.test, config.model, config.eval.batch_size);
  const classifier = evaluateClassifier(
    { codes: train.codes, labels: dataset.train.labels },
    { codes: test.codes, labels: dataset.test.labels },
    {
      l2Candidates: config.eval.classifier_l2,
      epochs: config.eval.classifier_epochs,
      validationFraction: config.data.validation_fraction,
      seed: deriveSeed(config.seed, 'classifier'),
    },
  );
  return {
    train_mse: train.mse,
    test_mse: test.mse,
    train_accuracy: classifier.trainAccuracy,
    validation_accuracy: classifier.validationAccuracy,
    test_accuracy: classifier.testAccuracy,
    classifier_l2: classifier.l2,
    dead_cells: countDeadCells(train.codes),
    eval_seconds: (performance.now() - start) / 1000,
  };
}
