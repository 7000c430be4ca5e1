/**
 * A tiny fake reproduction, written with the project's own writers (run folders,
 * metrics.csv, weights.json, summary.csv): two experiments of H = 16 cells on the
 * embedded data, two seeds each, with made-up metrics whose final values are known. In
 * mask-lr one run blew up (completed, test MSE 6.7e7), two diverged and two never ran; in
 * gather-lifetime adam and lazy-adam have identical numbers (as every row is touched).
 */
import * as path from 'node:path';
import { configSchema, type Config } from '../../src/config/schema';
import * as tf from '@tensorflow/tfjs';
import { disposeParams, type Params } from '../../src/model/params';
import type { MetricsRow } from '../../src/results/metrics';
import { startRunFolder } from '../../src/results/runFolder';
import { runId } from '../../src/sweep/ids';

/** The fake runs' inputs: no data is loaded, so a made-up fingerprint stands for it. */
const FAKE_INPUTS = { data: 'sha256:fake', init: null };

/** A fake run's id. */
export function fakeRunId(config: Config): string {
  return runId(config, FAKE_INPUTS);
}
import { runDir, writeSummary, type SummaryEntry } from '../../src/sweep/summary';
import type { ExperimentRef, ReportInput } from '../../src/report/types';

export const EPOCHS = 3;
export const HIDDEN = 16;
export const SEEDS = 2;
const OPTIMIZERS = ['adam', 'lazy-adam'];

type FakeStatus = 'completed' | 'blown up' | 'diverged' | 'pending';

interface FakeExperiment {
  name: string;
  mode: 'mask' | 'gather';
  rates: number[];
  /** The status of the run of optimizer `o` at rate index `r` with seed `s`. */
  statusOf(o: number, r: number, s: number): FakeStatus;
  /** Whether the optimizers' numbers differ (else both have optimizer 0's). */
  optimizersDiffer: boolean;
}

export const MASK: FakeExperiment = {
  name: 'mask-lr',
  mode: 'mask',
  rates: [0.001, 0.01, 0.1],
  statusOf: (o, r, s) => (r < 2 ? (o === 1 && r === 1 && s === 1 ? 'blown up' : 'completed') : o === 0 ? 'diverged' : 'pending'),
  optimizersDiffer: true,
};

export const GATHER: FakeExperiment = {
  name: 'gather-lifetime',
  mode: 'gather',
  rates: [0.001, 0.01],
  statusOf: () => 'completed',
  optimizersDiffer: false,
};

/** Final metrics of the run of optimizer `o` at rate index `r`, seed `s`: four significant digits each. */
function finalOf(o: number, r: number, s: number) {
  return { test_accuracy: 0.9123 - 0.01 * r - 0.002 * o - 0.001 * s, test_mse: 0.01234 + 0.001 * r + 0.0001 * s, train_loss: 0.02345 + 0.001 * o };
}

export function configOf(experiment: FakeExperiment, o: number, r: number, s = 0): Config {
  return configSchema.parse({
    name: experiment.name,
    seed: s,
    model: { hidden: HIDDEN, k: 2, alpha: 2, lifetime_sparsity: experiment.mode === 'gather' },
    train: { mode: experiment.mode, epochs: EPOCHS },
    optimizer: { name: OPTIMIZERS[o], lr: experiment.rates[r] },
  });
}

function epochRow(epoch: number, experiment: FakeExperiment, o: number, r: number, s: number): MetricsRow {
  const blownUp = experiment.statusOf(o, r, s) === 'blown up' && epoch === EPOCHS;
  const final = { ...finalOf(experiment.optimizersDiffer ? o : 0, r, s), ...(blownUp ? { test_mse: 6.7e7 } : {}) };
  const earlier = EPOCHS - epoch;
  return {
    epoch,
    train_loss: final.train_loss + 0.01 * earlier,
    train_mse: final.test_mse,
    test_mse: final.test_mse + 0.002 * earlier,
    train_accuracy: final.test_accuracy,
    validation_accuracy: final.test_accuracy,
    test_accuracy: final.test_accuracy - 0.01 * earlier,
    classifier_l2: 0.001,
    dead_cells: 2,
    gathered_fraction: experiment.mode === 'gather' ? 1 : undefined,
    active_per_sample: experiment.mode === 'gather' ? HIDDEN : 2,
    rows_changed_fraction: 0.5,
    seconds: 1,
    samples_per_second: 1000,
    eval_seconds: 1,
  };
}

/** Weights large enough that reconstructions span black to white. */
function fakeParams(): Params {
  return { W: tf.randomNormal([HIDDEN, 784], 0, 0.2, 'float32', 1), b: tf.zeros([HIDDEN]), c: tf.fill([784], 0.3), W_dec: null };
}

function writeRun(dir: string, config: Config, experiment: FakeExperiment, [o, r, s]: [number, number, number], entry: SummaryEntry): void {
  const status = experiment.statusOf(o, r, s);
  if (status === 'pending') return;
  const place = { id: entry.id, sweep_id: 'fake', experiment_id: 'fake', values: entry.values };
  const run = startRunFolder(dir, config, {
    id: entry.id,
    backend: { name: 'cpu', versions: {}, skipped: [] },
    data: 'embedded',
    data_fingerprint: FAKE_INPUTS.data,
    init_fingerprint: null,
    sweep: place,
  });
  const epochs = status === 'diverged' ? 1 : EPOCHS;
  run.epochEnd(Array.from({ length: epochs }, (_, e) => epochRow(e + 1, experiment, o, r, s)));
  if (status === 'diverged') {
    run.end('diverged', { divergedEpoch: epochs + 1 });
    return;
  }
  const params = fakeParams();
  run.end('completed', { params });
  disposeParams(params);
}

export function writeFakeExperiment(root: string, experiment: FakeExperiment, finding: string): ExperimentRef {
  const dir = path.join(root, experiment.name);
  const entries = Array.from({ length: SEEDS }, (_, s) => s).flatMap((s) =>
    experiment.rates.flatMap((lr, r) =>
      OPTIMIZERS.map((name, o) => {
        const config = configOf(experiment, o, r, s);
        const entry = { id: fakeRunId(config), values: { seed: s, 'optimizer.lr': lr, 'optimizer.name': name }, dir: runDir(dir, fakeRunId(config)) };
        writeRun(entry.dir, config, experiment, [o, r, s], entry);
        return entry;
      }),
    ),
  );
  writeSummary(path.join(dir, 'summary.csv'), entries, ['seed', 'optimizer.lr', 'optimizer.name']);
  return { name: experiment.name, finding, dir };
}

export function fakeReproduction(root: string): ReportInput {
  const mask = writeFakeExperiment(root, MASK, 'F4: metrics respond weakly to the learning rate');
  const gather = writeFakeExperiment(root, GATHER, 'F1, F2: gather with lifetime sparsity gathers every cell');
  return {
    title: 'Fake reproduction',
    scale: 'test (H = 16, 3 epochs)',
    command: 'sparse-adam report fake --scale test',
    experiments: [mask, gather],
    verdicts: [
      { id: 'F1', title: 'gather gathers every cell', verdict: 'holds', tolerance: 'fraction >= 0.99', figures: { gathered_fraction: 1 }, explanation: 'All cells, every step.' },
      { id: 'F2', title: 'lazy-adam no better', verdict: 'does not hold', tolerance: '|difference| <= 0.005', figures: { difference: 0.0123456 }, explanation: 'A | pipe and <b>markup</b> in `gather` mode.' },
      { id: 'F4', title: 'weak response to lr', verdict: 'inconclusive', tolerance: '|slope| <= 0.01', figures: { slope: -0.02, note: 'few rates' }, explanation: 'Too few rates.' },
    ],
    imagesFrom: { experiment: GATHER.name, runId: fakeRunId(configOf(GATHER, 0, 0)) },
  };
}
