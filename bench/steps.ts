/**
 * Training-step timing with the default model (H = 1000, k = 25, B = 100) on real images,
 * from fresh weights like the peer: the median ms per step for a mode x optimizer, and the
 * kernel profile of the steps (where the time goes).
 */
import * as tf from '@tensorflow/tfjs';
import type { Config } from '../src/config/schema';
import type { Split } from '../src/data/dataset';
import { disposeParams, initParams } from '../src/model/params';
import { createOptimizer } from '../src/optim/optimizer';
import { fillBatch, inOrder } from '../src/train/batches';
import { trainStep } from '../src/train/step';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** `warmup` untimed steps, then `steps` steps each run through `measure`. */
async function runSteps(config: Config, split: Split, warmup: number, steps: number, measure: (step: () => void) => Promise<void>): Promise<void> {
  const params = initParams(config.model, split.pixels, config.seed);
  const optimizer = createOptimizer(config.optimizer);
  const batchSize = config.train.batch_size;
  const order = inOrder(split.count);
  const batch = new Float32Array(batchSize * split.pixels);
  const batches = Math.floor(split.count / batchSize);
  for (let step = 0; step < warmup + steps; step++) {
    fillBatch(split, order, step % batches, batch);
    const x = tf.tensor2d(batch, [batchSize, split.pixels]);
    const run = () => void trainStep(params, optimizer, x, config);
    if (step < warmup) run();
    else await measure(run);
    x.dispose();
  }
  optimizer.dispose();
  disposeParams(params);
}

/** Median wall time of `steps` training steps after `warmup` untimed ones. */
export async function timeSteps(config: Config, split: Split, warmup: number, steps: number): Promise<number> {
  const times: number[] = [];
  await runSteps(config, split, warmup, steps, async (step) => {
    const start = performance.now();
    step();
    times.push(performance.now() - start);
  });
  return median(times);
}

export interface KernelTime {
  kernel: string; // name and input shapes
  ms_per_step: number;
  calls_per_step: number;
}

/** The kernels of `steps` profiled steps by time per step, with the steps' wall time per step. */
export async function profileSteps(config: Config, split: Split, steps: number): Promise<{ wall_ms: number; kernels: KernelTime[] }> {
  const totals = new Map<string, { ms: number; calls: number }>();
  let wall = 0;
  await runSteps(config, split, 5, steps, async (step) => {
    const start = performance.now();
    const info = await tf.profile(step);
    wall += performance.now() - start;
    for (const k of info.kernels) {
      const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
      const total = totals.get(key) ?? { ms: 0, calls: 0 };
      const ms = await k.kernelTimeMs;
      total.ms += typeof ms === 'number' ? ms : 0;
      total.calls += 1;
      totals.set(key, total);
    }
  });
  const kernels = [...totals].map(([kernel, t]) => ({ kernel, ms_per_step: t.ms / steps, calls_per_step: t.calls / steps }));
  return { wall_ms: wall / steps, kernels: kernels.sort((a, b) => b.ms_per_step - a.ms_per_step) };
}
