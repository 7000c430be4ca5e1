/** `sparse-adam plan [CONFIG]`: the runs a sweep (or one shard of it) would make, without running them. */
import { resolveConfig } from '../config/load';
import { expandSweep, sweepSource } from '../sweep/expand';
import { planText } from '../sweep/plan';
import { chooseShard } from '../sweep/shard';

export function planCommand(file: string | undefined, options: { set: string[]; shard?: string }): void {
  const shard = chooseShard(options.shard, process.env);
  const sources = { file, sets: options.set };
  const base = resolveConfig(sources);
  process.stdout.write(planText(base, expandSweep(base, sweepSource(sources)), shard));
}
