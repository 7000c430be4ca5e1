/**
 * Ids derived from the resolved config, so that the same experiment always gets the same
 * id: on a laptop or a cluster node, from a file or from `--set`, whatever the key order
 * of the file. A run's id names its folder (`runs/<id>`); a sweep's id lets `merge`
 * refuse to combine runs of different sweeps.
 */
import { createHash } from 'node:crypto';
import { isMapping } from '../config/fields';
import type { Config } from '../config/schema';

/** Hex characters kept of the sha256: 16^10 ids, so two runs of a sweep never share one. */
const ID_LENGTH = 10;

/** Keys that do not change what a run computes, only where or how fast: the same
 *  experiment on a laptop and on a cluster node (other data folder, other backend) keeps
 *  its id, so shards from different machines resume and merge. */
const NOT_IN_ID = ['out', 'name', 'backend', 'data.dir', 'data.download', 'data.mirrors', 'eval.batch_size'];

/** Keys added after runs were first recorded, each with the value at which it is left out
 *  of the id: at that value a run computes what it computed before the key existed, so it
 *  keeps the id (and folder) it had, and finished runs are not run again. */
const ADDED_LATER: readonly (readonly [key: string, neutral: unknown])[] = [['model.k_schedule', { from: null, epochs: 5 }]];

/** The keys left out of an id: those above, and each added-later key at its neutral value. */
function keysLeftOut(config: Config): string[] {
  const atNeutral = ADDED_LATER.filter(([key, neutral]) => canonicalJson(valueAt(config, key)) === canonicalJson(neutral));
  return [...NOT_IN_ID, 'sweep', ...atNeutral.map(([key]) => key)];
}

/** The run's id: every key but those above and `sweep` counts. */
export function runId(config: Config): string {
  return hashOf(withoutKeys(config, keysLeftOut(config)));
}

/** The sweep's id: the base config with its sweep section, without the keys above.
 *  The sweep's keys keep their order (a list of [key, values] pairs), since that order
 *  fixes the points' indices and so each shard's share. */
export function sweepId(base: Config): string {
  const sweep = base.sweep === null ? null : Object.entries(base.sweep);
  return hashOf({ ...withoutKeys(base, keysLeftOut(base)), sweep });
}

function valueAt(config: Config, key: string): unknown {
  return key.split('.').reduce<unknown>((value, part) => (isMapping(value) ? value[part] : undefined), config);
}

/** The config without the dotted `keys` (a copy; sections are copied where a key is removed). */
function withoutKeys(config: Config, keys: readonly string[]): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...config };
  for (const key of keys) {
    const [section, leaf] = key.split('.') as [string, string | undefined];
    if (leaf === undefined) delete copy[section];
    else copy[section] = Object.fromEntries(Object.entries(copy[section] as object).filter(([k]) => k !== leaf));
  }
  return copy;
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, ID_LENGTH);
}

/** JSON with every mapping's keys sorted, all the way down: equal configs give equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (!isMapping(value)) return JSON.stringify(value);
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
}
