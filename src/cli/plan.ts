/** `sparse-adam plan [CONFIG]`: the runs a sweep (or one shard of it) would make, without
 *  running them. Run ids include the data's fingerprint, so the data is read when it is
 *  here (never downloaded); without it the ids are left out, and stderr says why. */
import { createDataLoader } from '../sweep/context';
import { expandSweep, pointSource, sweepSource, type SweepPoint } from '../sweep/expand';
import { runId } from '../sweep/ids';
import { localRunInputs } from '../sweep/jobs';
import { planText } from '../sweep/plan';
import { chooseShard, pointsOfShard } from '../sweep/shard';
import { resolveRunConfig } from './run';

/** Each point's id, or null for all when their data is not on this machine. */
async function idsOf(points: readonly SweepPoint[], source: string): Promise<Map<SweepPoint, string> | null> {
  const data = createDataLoader();
  const ids = new Map<SweepPoint, string>();
  for (const point of points) {
    const local = await localRunInputs(point.config, data, pointSource(source, point));
    if ('unavailable' in local) {
      process.stderr.write(`sparse-adam: run ids need the data's fingerprint, and ${local.unavailable}\n`);
      return null;
    }
    ids.set(point, runId(point.config, local.inputs));
  }
  return ids;
}

export async function planCommand(file: string | undefined, options: { set: string[]; shard?: string; dataDir?: string }): Promise<void> {
  const shard = chooseShard(options.shard, process.env);
  const base = resolveRunConfig(file, options);
  const source = sweepSource({ file, sets: options.set });
  const points = expandSweep(base, source);
  const ids = await idsOf(pointsOfShard(points, shard), source);
  process.stdout.write(planText(base, points, shard, (point) => ids?.get(point) ?? null));
}
