/**
 * `sparse-adam validate [CONFIG]`: print the resolved config (as `run` would save it), or
 * the first problem with it: in the file or a `--set`, in a sweep's grid, or between a
 * point's settings and the size of its data (src/config/feasible.ts). The data is read
 * when it is on this machine, never downloaded; when it is not, the size checks are
 * skipped and stderr says so in one line.
 */
import { checkFeasible, checkSettings } from '../config/feasible';
import { configToYaml } from '../config/format';
import { localSplitSizes, type LocalSizes } from '../data/sizes';
import { expandSweep, pointSource, sweepSource } from '../sweep/expand';
import { resolveRunConfig } from './run';

export interface ValidateOptions {
  set: string[];
  dataDir?: string;
}

export async function validateCommand(file: string | undefined, options: ValidateOptions): Promise<void> {
  const base = resolveRunConfig(file, { set: options.set, dataDir: options.dataDir });
  const source = sweepSource({ file, sets: options.set });
  const sizesOf = new Map<string, LocalSizes>(); // by data section: points mostly share one
  for (const point of expandSweep(base, source)) {
    const key = JSON.stringify(point.config.data);
    let local = sizesOf.get(key);
    if (local === undefined) {
      local = await localSplitSizes(point.config.data, point.config.seed);
      sizesOf.set(key, local);
    }
    const where = pointSource(file ?? 'config', point);
    if ('sizes' in local) checkFeasible(point.config, local.sizes, where);
    else checkSettings(point.config, where);
  }
  for (const local of sizesOf.values()) {
    if ('unavailable' in local) {
      process.stderr.write(`sparse-adam: ${local.unavailable}; the checks against the data's size were skipped (validate never downloads)\n`);
    }
  }
  process.stdout.write(configToYaml(base));
}
