/**
 * Ids that follow what a run computes, so that the same experiment always gets the same id
 * and different ones never share it: on a laptop or a cluster node, from a file or from
 * `--set`, whatever the key order of the file or the folder the data was read from.
 * - A run's id (its folder `runs/<id>`): a hash of its resolved config without the
 *   settings that do not change results (NON_RESULT_KEYS), with the data section replaced
 *   by the fingerprint of the images and labels actually loaded (src/data/fingerprint.ts)
 *   and `init_from` by the SHA-256 of the weights file's content.
 * - An experiment's id: the sweep's base config without its swept keys, so that the runs of
 *   a sweep extended later (another learning rate) belong to the same experiment and merge.
 * - A sweep's id: the base config with its sweep section, naming one exact grid.
 *
 * Keys added to the config later change every id unless their value at which they compute
 * what runs computed before they existed is listed in ADDED_KEYS: at that value they are
 * left out of the hash, so old sweeps keep resuming (test/sweep/ids.test.ts pins one id to
 * a literal, so a new key with a default that is not listed fails a test).
 */
import { createHash } from 'node:crypto';
import { isMapping } from '../config/fields';
import { NON_RESULT_KEYS, type Config } from '../config/schema';

/** Hex characters kept of the sha256: 16^10 ids, so two runs of a sweep never share one. */
const ID_LENGTH = 10;

/** Data settings whose whole effect is in the loaded images and labels: the data's
 *  fingerprint stands for them in a run's id. (validation_fraction is applied at
 *  evaluation, to the loaded training split, and counts on its own.) */
const DATA_KEYS = ['data.source', 'data.dir', 'data.train_limit', 'data.test_limit', 'data.embedded_test'];

/** Keys whose effect a run's id takes from the inputs' fingerprints, not from their values. */
export const INPUT_KEYS: readonly string[] = [...DATA_KEYS, 'init_from'];

/** Config keys added after ids were first pinned, each with the value that computes what
 *  runs computed before the key existed: at that value the key is left out of every id.
 *  - model.k_schedule (0.2): off (`from: null`) trains with model.k throughout. */
export const ADDED_KEYS: Readonly<Record<string, unknown>> = { 'model.k_schedule': { from: null, epochs: 5 } };

/** What a run reads besides its config, by content: the data's fingerprint and, for a warm
 *  start, the weights file's (`sha256:<hex>`, or null without --init-from). */
export interface RunInputs {
  data: string;
  init: string | null;
}

/** The run's id: its config as it bears on results, with its inputs by content. */
export function runId(config: Config, inputs: RunInputs): string {
  const kept = withoutKeys(config, [...NON_RESULT_KEYS, ...INPUT_KEYS]);
  const data = { ...(kept.data as Record<string, unknown>), fingerprint: inputs.data };
  return hashOf({ ...kept, data, init_from: inputs.init });
}

/** The experiment a sweep's runs belong to: the base config without the swept keys (and
 *  without where its data was read from), plus the names of the swept keys. */
export function experimentId(base: Config): string {
  const swept = Object.keys(base.sweep ?? {});
  return hashOf({ base: withoutKeys(base, [...NON_RESULT_KEYS, 'data.dir', ...swept]), swept: [...swept].sort() });
}

/** The sweep's id: the base config with its sweep section. The sweep's keys keep their
 *  order (a list of [key, values] pairs), since that order fixes the points' indices and so
 *  each shard's share. */
export function sweepId(base: Config): string {
  const sweep = base.sweep === null ? null : Object.entries(base.sweep);
  return hashOf({ ...withoutKeys(base, NON_RESULT_KEYS), sweep });
}

/** The config without the dotted `keys`, nor the ADDED_KEYS at their old value (a copy). */
function withoutKeys(config: Config, keys: readonly string[]): Record<string, unknown> {
  const copy = structuredClone(config) as Record<string, unknown>;
  const added = Object.keys(ADDED_KEYS).filter((key) => canonicalJson(valueAt(copy, key.split('.'))) === canonicalJson(ADDED_KEYS[key]));
  for (const key of [...keys, ...added]) {
    const path = key.split('.');
    const section = valueAt(copy, path.slice(0, -1));
    if (isMapping(section)) delete section[path.at(-1)!];
  }
  return copy;
}

function valueAt(config: Record<string, unknown>, path: readonly string[]): unknown {
  return path.reduce<unknown>((at, part) => (isMapping(at) ? at[part] : undefined), config);
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, ID_LENGTH);
}

/** JSON with every mapping's keys sorted, all the way down: equal configs give equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (!isMapping(value)) return JSON.stringify(value) ?? 'null';
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
}
