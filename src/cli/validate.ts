/**
 * `sparse-adam validate [CONFIG]`: print the resolved config (as `run` would save it), or
 * the first problem with it: in the file or a `--set`, in a sweep's grid, or between a
 * point's settings and the size of its data (src/config/feasible.ts), or its --init-from
 * weights. The data is read when it is on this machine, never downloaded; when it is not,
 * the size checks are skipped and stderr says so in one line.
 */
import { checkSettings } from '../config/feasible';
import { configToYaml } from '../config/format';
import { createDataLoader } from '../sweep/context';
import { expandSweep, pointSource, sweepSource } from '../sweep/expand';
import { localRunInputs } from '../sweep/jobs';
import { resolveRunConfig } from './run';

export interface ValidateOptions {
  set: string[];
  dataDir?: string;
}

export async function validateCommand(file: string | undefined, options: ValidateOptions): Promise<void> {
  const base = resolveRunConfig(file, { set: options.set, dataDir: options.dataDir });
  const source = sweepSource({ file, sets: options.set });
  const data = createDataLoader();
  const unavailable = new Set<string>();
  for (const point of expandSweep(base, source)) {
    const where = pointSource(file ?? 'config', point);
    const local = await localRunInputs(point.config, data, where);
    if ('unavailable' in local) {
      unavailable.add(local.unavailable);
      checkSettings(point.config, where);
    }
  }
  for (const why of unavailable) {
    process.stderr.write(`sparse-adam: ${why}; the checks against the data's size were skipped (validate never downloads)\n`);
  }
  process.stdout.write(configToYaml(base));
}
