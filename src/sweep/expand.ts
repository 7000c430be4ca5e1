/**
 * A sweep's grid of runs. The base config (defaults, file, `--set`) holds a `sweep`
 * section mapping dotted config keys to their values; each point of the grid is the base
 * with one value per swept key, `sweep: null`, each value validated by its setting's schema.
 * Points are the cartesian product in the order the keys are written, the last key varying
 * fastest; its size is checked against MAX_SWEEP_RUNS before any point is made.
 */
import { z } from 'zod';
import { describeExpected, fieldAt, type Field, formatValue, innermost, sectionKeys, unknownKeyMessage } from '../config/fields';
import { deepFreeze } from '../config/format';
import type { ConfigSources } from '../config/load';
import { MAX_SWEEP_RUNS, NON_RESULT_KEYS, type Config, type SweepValues } from '../config/schema';
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
  const swept = Object.entries(base.sweep ?? {}).map(([key, spec]) => {
    const where = `${source}: sweep.${key}`;
    const field = sweptSetting(where, key);
    checkSpecKind(where, key, field, spec);
    return { key, spec, where, field };
  });
  checkGridSize(swept, source);
  const axes = swept.map(({ key, spec, where, field }): Axis => ({
    key,
    values: checkedValues(where, field, distinct(where, valuesOf(spec))),
  }));
  return gridOf(axes).map((values, index) => ({ index, values, config: pointConfig(base, values) }));
}

/** How many values a key's spec gives, read from the spec alone. */
function valueCount(spec: SweepValues): number {
  if (Array.isArray(spec)) return spec.length;
  return typeof spec === 'number' ? spec : spec.count;
}

/** The grid's size, the product of the keys' value counts, against MAX_SWEEP_RUNS (before any value is made). */
function checkGridSize(swept: readonly { key: string; spec: SweepValues }[], source: string): void {
  const runs = swept.reduce((product, { spec }) => product * valueCount(spec), 1);
  if (runs <= MAX_SWEEP_RUNS) return;
  const factors = swept.map(({ key, spec }) => `${key} ${valueCount(spec)}`).join(' x ');
  throw usageError(`${source}: sweep: ${runs} runs (${factors}), more than the ${MAX_SWEEP_RUNS} one sweep may have; split it into several sweeps`);
}

/** Where a sweep came from, for messages: the last `--set sweep=…`, else the file. */
export function sweepSource({ file, sets = [] }: ConfigSources): string {
  const set = [...sets].reverse().find((text) => text.slice(0, text.indexOf('=')).trim() === 'sweep');
  return set === undefined ? (file ?? 'config') : `--set ${set}`;
}

/** Where a point's problem comes from, for messages: the source, then the point's values
 *  (`x.yaml: sweep point model.k=50, seed=2`); the source alone without a sweep. */
export function pointSource(source: string, point: SweepPoint): string {
  const values = Object.entries(point.values).map(([key, value]) => `${key}=${typeof value === 'string' ? value : formatValue(value)}`);
  return values.length === 0 ? source : `${source}: sweep point ${values.join(', ')}`;
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

/** A list for any setting; a log range for number settings; a count for `seed` only. */
function checkSpecKind(where: string, key: string, field: Field, spec: SweepValues): void {
  if (typeof spec === 'number' && key !== 'seed') throw usageError(`${where}: a count (${spec}) is only for seed; give a list of values`);
  if (!Array.isArray(spec) && typeof spec !== 'number' && !(innermost(field) instanceof z.ZodNumber)) {
    throw usageError(`${where}: a range {from, to, count} is only for numbers, and ${key} expects ${describeExpected(field)}`);
  }
}

/** A list as written; a log range's values; a count's seeds 0 … count-1. */
function valuesOf(spec: SweepValues): readonly unknown[] {
  if (Array.isArray(spec)) return spec;
  if (typeof spec === 'number') return Array.from({ length: spec }, (_, seed) => seed);
  return logRange(spec.from, spec.to, spec.count);
}

/** `count` values spaced evenly in log scale from `from` to `to`, both included, rounded. */
function logRange(from: number, to: number, count: number): number[] {
  const step = (Math.log(to) - Math.log(from)) / (count - 1);
  return Array.from({ length: count }, (_, i) => Number(Math.exp(Math.log(from) + i * step).toPrecision(LOG_RANGE_DIGITS)));
}

/** A key taking one value twice would give two identical runs (one id, one folder). */
function distinct(where: string, values: readonly unknown[]): readonly unknown[] {
  const seen = new Set<unknown>();
  for (const value of values) {
    if (seen.has(value)) throw usageError(`${where}: ${formatValue(value)} appears twice; each run must differ`);
    seen.add(value);
  }
  return values;
}

/** Each value as the setting takes it; the first the setting refuses is a usage error. */
function checkedValues(where: string, field: Field, values: readonly unknown[]): readonly unknown[] {
  return values.map((value) => {
    const result = z.safeParse(field, value);
    if (!result.success) throw usageError(`${where}: ${formatValue(value)}: expected ${describeExpected(field)}`);
    return result.data;
  });
}

/** The cartesian product of the axes, the first axis varying slowest. */
function gridOf(axes: readonly Axis[]): Record<string, unknown>[] {
  return axes.reduce<Record<string, unknown>[]>(
    (points, { key, values }) => points.flatMap((point) => values.map((value) => ({ ...point, [key]: value }))),
    [{}],
  );
}

/** The base with the point's values written in, `sweep: null`, frozen. The values were
 *  validated once per key (checkedValues) and the base by resolveConfig, so the point is
 *  valid as a whole: sections are copied on the way to a swept setting, the rest shared. */
function pointConfig(base: Config, values: Record<string, unknown>): Config {
  let config: Record<string, unknown> = { ...base, sweep: null };
  for (const [key, value] of Object.entries(values)) config = withSetting(config, key.split('.'), value);
  return deepFreeze(config) as Config;
}

function withSetting(section: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const [key, ...rest] = path;
  assert(key !== undefined, () => 'an empty sweep key');
  const child = rest.length === 0 ? value : withSetting(section[key] as Record<string, unknown>, rest, value);
  return { ...section, [key]: child };
}
