/**
 * The verdicts on hand-built sets of runs (three seeds unless said otherwise): each finding
 * holds, does not hold, or is inconclusive as its numbers say, and the learning rate is
 * chosen by mean validation accuracy over seeds. With three seeds a 95% t-interval is
 * mean ± t(0.975, 2) s / sqrt(3) = mean ± 2.4841 s (t(0.975, 2) = 4.302652729749464).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeVerdicts } from '../../src/report/article';
import { findingCounting, findingF1, findingF2, findingF3 } from '../../src/report/findings';
import { healthOf } from '../../src/report/health';
import { chooseRate } from '../../src/report/seeds';
import { atRate, makeExperiment, type RunSpec } from './runs';

const LR = 0.001;
const MASK_ADAM = atRate('adam', LR, [0.04, 0.041, 0.042]);

describe('chooseRate: the learning rate with the highest mean validation accuracy over seeds', () => {
  const validation = (values: number[]) => (seed: number) => ({ validation_accuracy: values[seed]! });
  it('goes by validation accuracy, never test accuracy', () => {
    const experiment = makeExperiment('mask', [
      ...atRate('adam', 0.001, [0.05, 0.05, 0.05], validation([0.96, 0.96, 0.96])),
      ...atRate('adam', 0.01, [0.03, 0.03, 0.03], validation([0.95, 0.95, 0.95])), // better on test, worse on validation
    ]);
    const choice = chooseRate(experiment, 'adam')!;
    assert.equal(choice.lr, 0.001);
    assert.ok(Math.abs(choice.validation - 0.96) < 1e-12);
    assert.deepEqual([...choice.bySeed.keys()], [0, 1, 2]);
  });
  it('takes the mean over seeds, not the best seed', () => {
    const experiment = makeExperiment('mask', [
      ...atRate('adam', 0.001, [0.05, 0.05, 0.05], validation([0.99, 0.9, 0.9])), // mean 0.93
      ...atRate('adam', 0.01, [0.05, 0.05, 0.05], validation([0.95, 0.95, 0.95])),
    ]);
    assert.equal(chooseRate(experiment, 'adam')!.lr, 0.01);
  });
  it('skips a rate at which a seed diverged or blew up (test MSE 6.7e7), and a tie goes to the smaller rate', () => {
    const specs: RunSpec[] = [
      ...atRate('adam', 0.0001, [0.06, 0.06, 0.06], validation([0.94, 0.94, 0.94])),
      ...atRate('adam', 0.001, [0.06, 0.06, 0.06], validation([0.94, 0.94, 0.94])),
      ...atRate('adam', 0.01, [0.02, 0.02, 0.02], validation([0.99, 0.99, 0.99])),
      ...atRate('adam', 0.1, [0.02, 0.02, 0.02], validation([0.99, 0.99, 0.99])),
    ];
    specs[7] = { ...specs[7]!, status: 'diverged' };
    specs[9] = { ...specs[9]!, final: { ...specs[9]!.final, test_mse: 6.7e7 } };
    const experiment = makeExperiment('mask', specs);
    assert.deepEqual([healthOf(experiment.runs[7]!), healthOf(experiment.runs[9]!)], ['diverged', 'blown up']);
    assert.equal(chooseRate(experiment, 'adam')!.lr, 0.0001);
  });
  it('is null when no rate has every seed completed, or the optimizer is absent', () => {
    const experiment = makeExperiment('mask', atRate('adam', 0.01, [0.05, 0.05]).map((spec) => ({ ...spec, status: 'diverged' as const })));
    assert.equal(chooseRate(experiment, 'adam'), null);
    assert.equal(chooseRate(experiment, 'lazy-adam'), null);
  });
});

describe('F1: every cell gathered with lifetime sparsity, fewer without', () => {
  const gathered = (fraction: number) => () => ({ gathered_fraction: fraction, dead_cells: 600 });
  const lifetime = makeExperiment('gather-lifetime', atRate('adam', LR, [0.05, 0.05, 0.05], gathered(1)));
  it('holds when every lifetime run gathers 1.0 and none without reaches 0.999', () => {
    const verdict = findingF1(lifetime, makeExperiment('gather', atRate('adam', LR, [0.05, 0.05, 0.05], gathered(0.17))));
    assert.equal(verdict.verdict, 'holds');
    assert.equal(verdict.figures['gathered_fraction without (mean of runs)'], 0.17);
    assert.equal(verdict.figures['dead cells without lifetime (mean of runs)'], '600 of 1000');
  });
  it('does not hold when a lifetime run gathers fewer than 99.9% of the cells', () => {
    const partial = makeExperiment('gather-lifetime', atRate('adam', LR, [0.05, 0.05, 0.05], (seed) => ({ gathered_fraction: seed === 1 ? 0.98 : 1 })));
    const verdict = findingF1(partial, makeExperiment('gather', atRate('adam', LR, [0.05], gathered(0.17))));
    assert.equal(verdict.verdict, 'does not hold');
    assert.equal(verdict.figures['gathered_fraction with lifetime (lowest run)'], 0.98);
  });
  it('is inconclusive when the runs without lifetime never started', () => {
    const pending = makeExperiment('gather', atRate('adam', LR, [0.05]).map((spec) => ({ ...spec, status: 'pending' as const })));
    const verdict = findingF1(lifetime, pending);
    assert.equal(verdict.verdict, 'inconclusive');
    assert.match(verdict.explanation, /no gather runs with metrics/);
  });
});

describe('F2: gather + lifetime: lazy-adam lower loss, no better, both much worse than mask', () => {
  const mask = makeExperiment('mask', MASK_ADAM);
  const loss = (values: number[]) => (seed: number) => ({ train_loss: values[seed]! });
  const adam = atRate('adam', LR, [0.06, 0.062, 0.061], loss([0.01, 0.011, 0.012]));
  it('holds: 10% lower loss in every seed, test error within the tolerance, both about 2 points above mask', () => {
    // lazy - adam error: 0.001, 0, -0.001 -> 0 ± 0.0025; lazy - mask: 0.021, 0.021, 0.018 -> 0.02 ± 0.0043
    const lazy = atRate('lazy-adam', LR, [0.061, 0.062, 0.06], loss([0.009, 0.0099, 0.0108]));
    const verdict = findingF2(makeExperiment('gather-lifetime', [...adam, ...lazy]), mask);
    assert.equal(verdict.verdict, 'holds', verdict.explanation);
    assert.equal(verdict.figures['lazy-adam train_loss vs adam (relative)'], '-10.0% (95% CI -10.0 to -10.0, 3 seeds)');
    assert.equal(verdict.figures['adam test error - mask adam'], '+2.00 points (95% CI +1.75 to +2.25, 3 seeds)'); // 0.02 ± 2.4841 * 0.001
    assert.match(String(verdict.figures['chosen lr: gather-lifetime lazy-adam']), /^0\.001 \(mean validation accuracy 93\.90%, 3 seeds\)$/);
  });
  it('does not hold when lazy-adam is adam (every row touched): no lower loss', () => {
    const verdict = findingF2(makeExperiment('gather-lifetime', [...adam, ...adam.map((spec) => ({ ...spec, optimizer: 'lazy-adam' }))]), mask);
    assert.equal(verdict.verdict, 'does not hold');
    assert.match(verdict.explanation, /lazy-adam train_loss vs adam \(relative\): does not hold/);
    assert.match(verdict.explanation, /lazy-adam test error - adam: holds/);
  });
  it('is inconclusive when "much worse" straddles its tolerance, and says so', () => {
    // adam - mask: 0.005, 0.014, 0.008 -> 0.009 ± 2.4841 * 0.004583 = [-0.0024, 0.0204], across +1 point
    const close = atRate('adam', LR, [0.045, 0.055, 0.05], loss([0.01, 0.011, 0.012]));
    const lazy = atRate('lazy-adam', LR, [0.045, 0.055, 0.05], loss([0.009, 0.0099, 0.0108]));
    const verdict = findingF2(makeExperiment('gather-lifetime', [...close, ...lazy]), mask);
    assert.equal(verdict.verdict, 'inconclusive');
    assert.match(verdict.explanation, /adam test error - mask adam: inconclusive \(its interval straddles >= \+1\.00 points\)/);
    assert.equal(verdict.figures['adam test error - mask adam'], '+0.90 points (95% CI -0.24 to +2.04, 3 seeds)');
  });
  it('is inconclusive with one seed (no interval), and names an optimizer with no complete rate', () => {
    const one = (specs: RunSpec[]) => specs.slice(0, 1);
    const lazy = atRate('lazy-adam', LR, [0.061], loss([0.009]));
    const single = findingF2(makeExperiment('gather-lifetime', [...one(adam), ...lazy]), makeExperiment('mask', one(MASK_ADAM)));
    assert.equal(single.verdict, 'inconclusive');
    assert.match(single.explanation, /1 paired seed\(s\): no interval to judge/);
    const diverged = lazy.map((spec) => ({ ...spec, status: 'diverged' as const }));
    const missing = findingF2(makeExperiment('gather-lifetime', [...adam, ...diverged]), mask);
    assert.equal(missing.verdict, 'inconclusive');
    assert.match(missing.explanation, /no learning rate at which every seed completed for gather-lifetime lazy-adam/);
  });
});

describe('F3: gather-remask adam and lazy-adam comparable to each other and to mask adam', () => {
  const mask = makeExperiment('mask', MASK_ADAM);
  const gatherRemask = (lazyErrors: number[], lazyMse: number[]) =>
    makeExperiment('gather-remask', [...MASK_ADAM, ...atRate('lazy-adam', LR, lazyErrors, (seed) => ({ test_mse: lazyMse[seed]! }))]);
  it('holds when every error is within 1 point and every MSE within 10%', () => {
    // lazy / adam MSE - 1: 0.05, 0.025, 0.05 -> 0.0417 ± 0.0358
    const verdict = findingF3(gatherRemask([0.042, 0.043, 0.041], [0.021, 0.0205, 0.021]), mask);
    assert.equal(verdict.verdict, 'holds', verdict.explanation);
    assert.equal(verdict.figures['adam vs mask adam: test error'], '+0.00 points (95% CI +0.00 to +0.00, 3 seeds)');
    assert.equal(verdict.figures['lazy-adam vs adam: test_mse (relative)'], '+4.2% (95% CI +0.6 to +7.8, 3 seeds)');
  });
  it('does not hold when lazy-adam is 3 points worse in every seed', () => {
    const verdict = findingF3(gatherRemask([0.07, 0.071, 0.072], [0.02, 0.02, 0.02]), mask);
    assert.equal(verdict.verdict, 'does not hold');
    assert.match(verdict.explanation, /lazy-adam vs adam: test error: does not hold/);
  });
  it('is inconclusive when a difference straddles 1 point', () => {
    const verdict = findingF3(gatherRemask([0.045, 0.055, 0.05], [0.02, 0.02, 0.02]), mask);
    assert.equal(verdict.verdict, 'inconclusive');
    assert.match(verdict.explanation, /lazy-adam vs adam: test error: inconclusive \(its interval straddles within ±1\.00 points\)/);
  });
});

describe('counting: lazy-adam-rowstep or count-adam classifies better than lazy-adam in mask and gather-remask', () => {
  const lazy = atRate('lazy-adam', LR, [0.05, 0.052, 0.051]);
  const experiments = (rowstep: [number[], number[]], count: number[]) => [
    makeExperiment('mask', [...lazy, ...atRate('lazy-adam-rowstep', LR, rowstep[0]), ...atRate('count-adam', LR, count)]),
    makeExperiment('gather-remask', [...lazy, ...atRate('lazy-adam-rowstep', LR, rowstep[1]), ...atRate('count-adam', LR, count)]),
  ];
  const worse = [0.06, 0.062, 0.061];
  it('holds when one counting optimizer is about a point better in both modes', () => {
    const better = [0.04, 0.041, 0.042]; // -0.01, -0.011, -0.009 -> [-0.0125, -0.0075]
    const verdict = findingCounting(experiments([better, better], worse));
    assert.equal(verdict.verdict, 'holds', verdict.explanation);
    assert.match(verdict.explanation, /^lazy-adam-rowstep helps: holds; count-adam helps: does not hold\./);
  });
  it('does not hold when both are worse everywhere', () => {
    assert.equal(findingCounting(experiments([worse, worse], worse)).verdict, 'does not hold');
  });
  it('is inconclusive when the better one straddles the tolerance in one mode', () => {
    // gather-remask: -0.005, 0, -0.002 -> -0.00233 ± 0.00627, across -0.5 points
    const verdict = findingCounting(experiments([[0.04, 0.041, 0.042], [0.045, 0.052, 0.049]], worse));
    assert.equal(verdict.verdict, 'inconclusive');
    assert.match(verdict.explanation, /gather-remask: lazy-adam-rowstep test error - lazy-adam: inconclusive \(its interval straddles <= -0\.50 points\)/);
  });
  it('is inconclusive without a counting optimizer', () => {
    const verdict = findingCounting([makeExperiment('mask', lazy)]);
    assert.equal(verdict.verdict, 'inconclusive');
    assert.match(verdict.explanation, /no counting optimizer/);
  });
});

describe('computeVerdicts: every finding and the counting question, inconclusive where an experiment is missing', () => {
  it('names only the experiments that are missing', () => {
    const byName = new Map([['gather-lifetime', makeExperiment('gather-lifetime', atRate('adam', LR, [0.05, 0.05], () => ({ gathered_fraction: 1 })))]]);
    const verdicts = computeVerdicts(byName);
    assert.deepEqual(verdicts.map((v) => [v.id, v.verdict]), [
      ['F1', 'inconclusive'],
      ['F2', 'inconclusive'],
      ['F3', 'inconclusive'],
      ['F4', 'inconclusive'],
      ['counting', 'inconclusive'],
    ]);
    assert.equal(verdicts[1]!.explanation, 'experiment(s) mask not in this reproduction');
    assert.equal(verdicts[2]!.explanation, 'experiment(s) gather-remask, mask not in this reproduction');
  });
});
