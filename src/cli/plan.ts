/** `sparse-adam plan [CONFIG]`: the runs a sweep (or one shard of it) would make, without
 *  running them. Run ids include the data's fingerprint, so the data is read when it is
 *  here (never downloaded); without it the ids are left out, and stderr says why. */
import type { Config } from '../config/schema';
import { UserError } from '../errors';
import { createDataLoader } from '../sweep/context';
import { expandSweep, sweepSource, type SweepPoint } from '../sweep/expand';
import { runId } from '../sweep/ids';
import { runInputs } from '../sweep/jobs';
import { planText } from '../sweep/plan';
import { chooseShard, pointsOfShard } from '../sweep/shard';
import { resolveRunConfig } from './run';

/** Each point's id, or null for all when their data cannot be read without downloading it. */
async function idsOf(points: readonly SweepPoint[]): Promise<Map<SweepPoint, string> | null> {
  const datasetFor = createDataLoader();
  const ids = new Map<SweepPoint, string>();
  for (const point of points) {
    const offline: Config = { ...point.config, data: { ...point.config.data, download: false } };
    try {
      ids.set(point, runId(point.config, await runInputs(offline, datasetFor)));
    } catch (error) {
      if (!(error instanceof UserError) || error.exitCode !== 1) throw error;
      process.stderr.write(`sparse-adam: run ids need the data's fingerprint, and ${error.message}\n`);
      return null;
    }
  }
  return ids;
}

export async function planCommand(file: string | undefined, options: { set: string[]; shard?: string; dataDir?: string }): Promise<void> {
  const shard = chooseShard(options.shard, process.env);
  const base = resolveRunConfig(file, options);
  const points = expandSweep(base, sweepSource({ file, sets: options.set }));
  const ids = await idsOf(pointsOfShard(points, shard));
  process.stdout.write(planText(base, points, shard, (point) => ids?.get(point) ?? null));
}
