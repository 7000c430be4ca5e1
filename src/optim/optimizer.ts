/**
 * An optimizer instance for one run: owns its slots (moments) and step count, applies a
 * step to the parameters in place (old tensors disposed). Created fresh per run.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerConfig } from '../config/schema';
import type { ParamName, Params } from '../model/params';
import { adamStep, type Moments } from './adam';
import type { Gradient, Gradients } from './gradient';

export interface Optimizer {
  /** Apply one step for every parameter that has a gradient. */
  step(params: Params, grads: Gradients): void;
  /** Optimizer steps taken so far (t of SPEC.md §4). */
  readonly steps: number;
  dispose(): void;
}

/** A row-sparse gradient as the dense tensor it stands for (duplicate rows summed). */
export function densify(grad: Gradient, shape: number[]): tf.Tensor {
  if (grad.kind === 'dense') return grad.value;
  return tf.scatterND(tf.expandDims(grad.indices, 1), grad.values, shape);
}

function setParam(params: Params, name: ParamName, value: tf.Tensor): void {
  (params as unknown as Record<ParamName, tf.Tensor>)[name] = value;
}

function getParam(params: Params, name: ParamName): tf.Tensor {
  const value = params[name];
  if (!value) throw new Error(`internal error: gradient for ${name}, which this model does not have`);
  return value;
}

export function createOptimizer(cfg: OptimizerConfig): Optimizer {
  const slots = new Map<ParamName, Moments>();
  let t = 0;
  const momentsFor = (name: ParamName, param: tf.Tensor): Moments => {
    let moments = slots.get(name);
    if (!moments) {
      moments = { m: tf.zerosLike(param), v: tf.zerosLike(param) };
      slots.set(name, moments);
    }
    return moments;
  };
  return {
    get steps() {
      return t;
    },
    step(params, grads) {
      t += 1;
      for (const [name, grad] of Object.entries(grads) as [ParamName, Gradient][]) {
        const param = getParam(params, name);
        const old = momentsFor(name, param);
        const g = tf.tidy(() => densify(grad, param.shape));
        const next = adamStep(param, g, old, t, cfg);
        tf.dispose([param, old.m, old.v, g]);
        setParam(params, name, next.param);
        slots.set(name, next.moments);
      }
    },
    dispose() {
      for (const moments of slots.values()) tf.dispose([moments.m, moments.v]);
      slots.clear();
    },
  };
}
