/**
 * `run`'s sweep-only flags, checked before anything runs or is written: `--jobs N` is a
 * whole number >= 1, and neither `--jobs` nor `--shard` is given for a config without a
 * sweep section (one run has nothing to split; SLURM_ARRAY_* variables, set for every task
 * of an array job, are not flags and are ignored there).
 */
import { usageError } from '../errors';

/** Worker processes from `--jobs`; undefined (not given) leaves the default to the sweep. */
export function parseJobs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const jobs = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(jobs) || jobs < 1) throw usageError(`--jobs ${text}: expected a whole number >= 1`);
  return jobs;
}

/** Refuse `--jobs` and `--shard` for a single run; `source` names the config (its file). */
export function refuseSweepFlags(flags: { jobs?: string; shard?: string }, source: string): void {
  const given = [flags.jobs === undefined ? null : `--jobs ${flags.jobs}`, flags.shard === undefined ? null : `--shard ${flags.shard}`];
  const flag = given.find((text) => text !== null);
  if (flag) throw usageError(`${flag}: only for a sweep, and ${source} has no sweep section`);
}
