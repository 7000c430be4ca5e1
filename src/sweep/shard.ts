/**
 * Shards: splitting a sweep's runs among N machines or cluster tasks. Shard I of N takes
 * the points whose index % N === I - 1, so each shard's share is fixed by the sweep alone
 * (not by which runs are done or by the order the shards start in).
 */
import { usageError } from '../errors';
import type { SweepPoint } from './expand';

/** Shard `index` (from 1) of `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** `--shard I/N` with 1 <= I <= N. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const shard = match === null ? undefined : { index: Number(match[1]), count: Number(match[2]) };
  if (shard === undefined || !isShard(shard)) throw usageError(`--shard ${text}: expected I/N with 1 <= I <= N`);
  return shard;
}

/**
 * The shard of a SLURM array task, or undefined outside one. SLURM numbers the tasks as
 * the `--array` range says: `--array=0-9` gives ids 0 … 9, `--array=1-10` gives 1 … 10,
 * and SLURM_ARRAY_TASK_MIN is the first id, so I = TASK_ID - TASK_MIN + 1 counts from 1
 * either way. Without TASK_MIN the ids are taken to start at 0 (I = TASK_ID + 1). A range
 * with a step (`--array=0-9:2`) numbers its tasks with gaps: use `--shard` instead.
 */
export function shardFromEnv(env: NodeJS.ProcessEnv): Shard | undefined {
  const { SLURM_ARRAY_TASK_ID: id, SLURM_ARRAY_TASK_COUNT: count, SLURM_ARRAY_TASK_MIN: min } = env;
  if (!id || !count) return undefined;
  const shard = { index: Number(id) - (min ? Number(min) : 0) + 1, count: Number(count) };
  if (!isShard(shard)) {
    const vars = `SLURM_ARRAY_TASK_ID=${id}, SLURM_ARRAY_TASK_MIN=${min || '(unset)'}, SLURM_ARRAY_TASK_COUNT=${count}`;
    throw usageError(`${vars}: expected task ids MIN to MIN + COUNT - 1 (an --array range without a step); or pass --shard I/N`);
  }
  return shard;
}

/** The shard to run: `--shard` when given, else the SLURM array task's, else none (all points). */
export function chooseShard(flag: string | undefined, env: NodeJS.ProcessEnv): Shard | undefined {
  return flag === undefined ? shardFromEnv(env) : parseShard(flag);
}

/** The points of a shard, in grid order; all of them without a shard. */
export function pointsOfShard(points: readonly SweepPoint[], shard: Shard | undefined): SweepPoint[] {
  return points.filter((point) => shard === undefined || point.index % shard.count === shard.index - 1);
}

function isShard({ index, count }: Shard): boolean {
  return Number.isSafeInteger(index) && Number.isSafeInteger(count) && index >= 1 && index <= count;
}
