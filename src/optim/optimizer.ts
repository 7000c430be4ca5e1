/**
 * An optimizer instance for one run: the update rule of cfg.name (SPEC.md §4), the slots
 * of every parameter it has stepped, and the global step count t. A step replaces the
 * parameters in `params` and disposes the tensors it replaced (or lets the update write
 * over its slots: ParamState.dropped), so memory stays flat.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerConfig } from '../config/schema';
import { assert } from '../errors';
import type { ParamName, Params } from '../model/params';
import { adagradRule } from './adagrad';
import { adamRule } from './adam';
import { adamTfSparseRule } from './adamTfSparse';
import { countAdamRule } from './countAdam';
import type { Gradient, Gradients } from './gradient';
import { lazyAdamRule } from './lazyAdam';
import { lazyAdamRowstepRule } from './lazyAdamRowstep';
import { momentumRule } from './momentum';
import { fractionFlagged, fractionOfRowsChanged, rowCount, type RowGradient } from './rows';
import type { ParamState, Slots, UpdateRule } from './rule';

export interface StepStats {
  /** Fraction of W's rows (hidden cells) whose values this step changed. */
  rowsChanged: number;
}

export interface Optimizer {
  /** Apply one step for every parameter that has a gradient. */
  step(params: Params, grads: Gradients): StepStats;
  /** Optimizer steps taken so far (t of SPEC.md §4). */
  readonly steps: number;
  dispose(): void;
}

/** Each optimizer's update rule (SPEC.md §4 and the README's "Optimizers"). */
const RULES: Record<OptimizerConfig['name'], (cfg: OptimizerConfig) => UpdateRule<Slots>> = {
  adam: adamRule,
  'adam-tf-sparse': adamTfSparseRule,
  'lazy-adam': lazyAdamRule,
  'lazy-adam-rowstep': lazyAdamRowstepRule,
  'count-adam': countAdamRule,
  sgd: momentumRule,
  adagrad: adagradRule,
};

export function createOptimizer(cfg: OptimizerConfig): Optimizer {
  return optimizerWith(RULES[cfg.name](cfg));
}

/** Whether the optimizer reads the gradients' per-sample statistics: the model computes them only then. */
export function readsSampleStatistics(cfg: OptimizerConfig): boolean {
  return cfg.name === 'count-adam';
}

function setParam(params: Params, name: ParamName, value: tf.Tensor): void {
  (params as unknown as Record<ParamName, tf.Tensor>)[name] = value;
}

function getParam(params: Params, name: ParamName): tf.Tensor {
  const value = params[name];
  assert(value !== null, () => `gradient for ${name}, which this model does not have`);
  return value;
}

function describe(grad: Gradient): string {
  if (grad.kind === 'dense') return `dense [${grad.value.shape}]`;
  const rowsOf = `rows: indices [${grad.indices.shape}], values [${grad.values.shape}]`;
  if (!grad.samples) return rowsOf;
  const { counts, sum, sumSquares } = grad.samples;
  return `${rowsOf}, sample counts [${counts.shape}], sums [${sum.shape}], sums of squares [${sumSquares.shape}]`;
}

/** n indices, n rows of the parameter's row shape, and per-sample statistics, if any, of n counts and two such [n, ...row]. */
function fitsRows(grad: RowGradient, param: tf.Tensor): boolean {
  const n = grad.indices.shape[0];
  const rowsShape = [n, ...param.shape.slice(1)].join();
  const perRow = grad.samples ? [grad.values, grad.samples.sum, grad.samples.sumSquares] : [grad.values];
  const countsFit = !grad.samples || grad.samples.counts.shape.join() === `${n}`;
  return countsFit && perRow.every((x) => x.shape.join() === rowsShape);
}

/** A dense gradient has the parameter's shape; a row-sparse one fits its rows. */
function assertFits(grad: Gradient, param: tf.Tensor, name: ParamName): void {
  const fits = grad.kind === 'dense' ? grad.value.shape.join() === param.shape.join() : fitsRows(grad, param);
  assert(fits, () => `${name} [${param.shape}] got a gradient of ${describe(grad)}`);
}

/** The fraction of the parameter's rows the update changed: its flags, or else before against after. */
function changedFraction<S extends Slots>(before: tf.Tensor, next: ParamState<S>): number {
  if (!next.changedRows) return fractionOfRowsChanged(before, next.param);
  const flags = next.changedRows;
  assert(flags.size === rowCount(before), () => `${flags.size} changed-row flags for ${rowCount(before)} rows`);
  return fractionFlagged(flags);
}

function stateTensors<S extends Slots>(state: ParamState<S>): tf.Tensor[] {
  return [state.param, ...Object.values(state.slots)];
}

function optimizerWith<S extends Slots>(rule: UpdateRule<S>): Optimizer {
  const slots = new Map<ParamName, S>();
  let t = 0;
  return {
    get steps() {
      return t;
    },
    step(params, grads) {
      t += 1;
      let rowsChanged = 0;
      for (const [name, grad] of Object.entries(grads) as [ParamName, Gradient][]) {
        const param = getParam(params, name);
        assertFits(grad, param, name);
        const old: ParamState<S> = { param, slots: slots.get(name) ?? rule.initSlots(param), dropped: true }; // disposed below
        const next = tf.tidy(() => rule.apply(old, grad, t));
        assert(next.param === param || next.param.dataId !== param.dataId, () => `the update of ${name} wrote the parameter over the old one`);
        if (name === 'W') rowsChanged = changedFraction(param, next);
        setParam(params, name, next.param);
        slots.set(name, next.slots);
        const kept = stateTensors(next);
        tf.dispose([...stateTensors(old).filter((x) => !kept.includes(x)), ...(next.changedRows ? [next.changedRows] : [])]);
      }
      return { rowsChanged };
    },
    dispose() {
      for (const s of slots.values()) tf.dispose(Object.values(s));
      slots.clear();
    },
  };
}
