/**
 * The plan of a sweep, as `sparse-adam plan` prints it: a header line (the sweep's id,
 * its runs, its keys, the shard's share) and a table of the shard's runs: id, the value
 * of each swept key (headed by its dotted config key) and the run's folder. A run's id
 * needs its data's fingerprint: without the data, ids and folders show as `-`.
 */
import type { Config } from '../config/schema';
import type { SweepPoint } from './expand';
import { sweepId } from './ids';
import { pointsOfShard, type Shard } from './shard';

/** `idOf` gives a point's run id, or null when it cannot be known (its data is not here). */
export function planText(base: Config, points: readonly SweepPoint[], shard: Shard | undefined, idOf: (point: SweepPoint) => string | null): string {
  const keys = Object.keys(base.sweep ?? {});
  const rows = pointsOfShard(points, shard).map((point) => {
    const id = idOf(point);
    return [id ?? '-', ...keys.map((key) => formatCell(point.values[key])), id === null ? '-' : `runs/${id}`];
  });
  const lines = [sweepHeader(base, points, shard), ...tableLines([['id', ...keys, 'folder'], ...rows])];
  return lines.map((line) => `${line}\n`).join('');
}

/** `sweep 3f2a09c1d4: 21 runs (optimizer.lr x optimizer.name), shard 1/2: 11 runs` */
export function sweepHeader(base: Config, points: readonly SweepPoint[], shard: Shard | undefined): string {
  const keys = Object.keys(base.sweep ?? {});
  const swept = keys.length === 0 ? '' : ` (${keys.join(' x ')})`;
  const share = shard === undefined ? '' : `, shard ${shard.index}/${shard.count}: ${runCount(pointsOfShard(points, shard).length)}`;
  return `sweep ${sweepId(base)}: ${runCount(points.length)}${swept}${share}`;
}

function runCount(runs: number): string {
  return `${runs} ${runs === 1 ? 'run' : 'runs'}`;
}

/** A swept value as a table cell: numbers compact (1e-4, 3.162e-4, 0.001, 0.1), the rest as written. */
export function formatCell(value: unknown): string {
  if (typeof value !== 'number' || value === 0 || Math.abs(value) >= 1e-3) return String(value);
  return value.toExponential();
}

/** Rows as left-aligned columns two spaces apart. */
function tableLines(rows: readonly (readonly string[])[]): string[] {
  const widths = rows.reduce<number[]>((max, row) => row.map((cell, i) => Math.max(max[i] ?? 0, cell.length)), []);
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
}
