/**
 * A sweep's grid of runs. The base config (defaults, file, `--set`) holds a `sweep`
 * section mapping dotted config keys to their values; each point of the grid is the base
 * with one value per swept key, `sweep: null`, validated again by the schema. Points are
 * the cartesian product in the order the keys are written, the last key varying fastest.
 */
import { z } from 'zod';
import { describeExpected, fieldAt, type Field, formatValue, innermost, sectionKeys, unknownKeyMessage } from '../config/fields';
import { deepFreeze } from '../config/format';
import type { ConfigSources } from '../config/load';
import { configSchema, NON_RESULT_KEYS, type Config, type SweepValues } from '../config/schema';
import { applyOverride } from '../config/set';
import { assert, usageError } from '../errors';

export interface SweepPoint {
  /** Position in the grid, from 0; fixes the point's shard. */
  readonly index: number;
  /** The swept keys (dotted, in the sweep's order) and this point's values. */
  readonly values: Readonly<Record<string, unknown>>;
  /** The base with this point's values, frozen, `sweep: null`. */
  readonly config: Config;
}

/** Significant digits kept of a log range's values, so ids, folders and CSVs stay readable. */
const LOG_RANGE_DIGITS = 4;

/** The grid's points; one point with no values when the base has no sweep. `source` (the
 *  file, or the `--set` that gave the sweep) starts every error message. */
export function expandSweep(base: Config, source: string): SweepPoint[] {
  const axes = Object.entries(base.sweep ?? {}).map(([key, spec]): Axis => {
    const where = `${source}: sweep.${key}`;
    return { key, values: distinct(where, valuesOf(where, key, sweptSetting(where, key), spec)) };
  });
  return gridOf(axes).map((values, index) => ({ index, values, config: pointConfig(base, values, source) }));
}

/** Where a sweep came from, for messages: the last `--set sweep=…`, else the file. */
export function sweepSource({ file, sets = [] }: ConfigSources): string {
  const set = [...sets].reverse().find((text) => text.slice(0, text.indexOf('=')).trim() === 'sweep');
  return set === undefined ? (file ?? 'config') : `--set ${set}`;
}

/** One swept key and the values it takes. */
interface Axis {
  readonly key: string;
  readonly values: readonly unknown[];
}

/** The setting a sweep key names: a known key of the config, not a section, one that changes a run. */
function sweptSetting(where: string, key: string): Field {
  const field = fieldAt(key.split('.'));
  if (field === undefined) throw usageError(`${where}: ${missingKeyReason(key.split('.'))}`);
  const keys = sectionKeys(field);
  if (keys !== undefined) throw usageError(`${where}: ${key} is a section; sweep one of its keys (${keys.join(', ')})`);
  if ((NON_RESULT_KEYS as readonly string[]).includes(key)) {
    throw usageError(`${where}: ${key} cannot be swept: it does not change what a run computes, so every point would be the same run`);
  }
  return field;
}

/** Why a key path names no config field: its first unknown key, or a setting taken for a section. */
function missingKeyReason(path: readonly string[]): string {
  const depth = path.findIndex((_, end) => fieldAt(path.slice(0, end + 1)) === undefined);
  const sectionPath = path.slice(0, depth);
  const section = fieldAt(sectionPath);
  if (section !== undefined && sectionKeys(section) === undefined) return `${sectionPath.join('.')} is a setting, not a section`;
  return unknownKeyMessage(sectionPath, path[depth] ?? '');
}

/** A list as written; a log range for number settings; a count for `seed` only (seeds 0 … count-1). */
function valuesOf(where: string, key: string, field: Field, spec: SweepValues): readonly unknown[] {
  if (Array.isArray(spec)) return spec;
  if (typeof spec === 'number') {
    if (key !== 'seed') throw usageError(`${where}: a count (${spec}) is only for seed; give a list of values`);
    return Array.from({ length: spec }, (_, seed) => seed);
  }
  if (!(innermost(field) instanceof z.ZodNumber)) {
    throw usageError(`${where}: a range {from, to, count} is only for numbers, and ${key} expects ${describeExpected(field)}`);
  }
  return logRange(spec.from, spec.to, spec.count);
}

/** `count` values spaced evenly in log scale from `from` to `to`, both included, rounded. */
function logRange(from: number, to: number, count: number): number[] {
  const step = (Math.log(to) - Math.log(from)) / (count - 1);
  return Array.from({ length: count }, (_, i) => Number(Math.exp(Math.log(from) + i * step).toPrecision(LOG_RANGE_DIGITS)));
}

/** A key taking one value twice would give two identical runs (one id, one folder). */
function distinct(where: string, values: readonly unknown[]): readonly unknown[] {
  const repeated = values.find((value, i) => values.indexOf(value) !== i);
  if (repeated !== undefined) throw usageError(`${where}: ${formatValue(repeated)} appears twice; each run must differ`);
  return values;
}

/** The cartesian product of the axes, the first axis varying slowest. */
function gridOf(axes: readonly Axis[]): Record<string, unknown>[] {
  return axes.reduce<Record<string, unknown>[]>(
    (points, { key, values }) => points.flatMap((point) => values.map((value) => ({ ...point, [key]: value }))),
    [{}],
  );
}

/** The base with the point's values written in, `sweep: null`, validated and frozen. */
function pointConfig(base: Config, values: Record<string, unknown>, source: string): Config {
  const raw: Record<string, unknown> = { ...structuredClone(base), sweep: null };
  for (const [key, value] of Object.entries(values)) {
    const path = key.split('.');
    applyOverride(raw, { text: `${key}=${formatValue(value)}`, sectionPath: path.slice(0, -1), key: path.at(-1) ?? key, value });
  }
  const result = configSchema.safeParse(raw);
  if (result.success) return deepFreeze(result.data);
  const [issue] = result.error.issues;
  const key = Object.keys(values).find((swept) => swept.split('.').every((part, depth) => issue?.path[depth] === part));
  assert(key !== undefined, () => `a sweep point failed outside its swept keys: ${JSON.stringify(issue)}`);
  const field = fieldAt(key.split('.'));
  assert(field !== undefined, () => `${key}: swept, yet not a config key`);
  throw usageError(`${source}: sweep.${key}: ${formatValue(values[key])}: expected ${describeExpected(field)}`);
}
