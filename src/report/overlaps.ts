/**
 * Series that hide each other on a chart: within one panel, optimizers whose plotted points
 * are the same points (same keys, e.g. learning rate and seed) with values that are equal,
 * or within OVERLAP of the panel's value range (indistinguishable at the chart's size).
 * With lifetime sparsity every row is touched every step, so adam, lazy-adam and
 * lazy-adam-rowstep compute the same thing; `adam-tf-sparse` equals `adam` by its maths.
 */

/** Points closer than this fraction of the panel's range are drawn on top of each other. */
export const OVERLAP = 0.01;

export interface Overlap {
  optimizers: string[]; // in the order given
  identical: boolean; // every value equal, not merely close
}

/** One optimizer's points in a panel: key (e.g. `${lr}/${seed}`) to value. */
export type Series = ReadonlyMap<string, number>;

function compare(a: Series, b: Series, tolerance: number): 'identical' | 'close' | 'apart' {
  if (a.size === 0 || a.size !== b.size) return 'apart';
  let identical = true;
  for (const [key, value] of a) {
    const other = b.get(key);
    if (other === undefined || !(Math.abs(value - other) <= tolerance)) return 'apart';
    identical &&= value === other;
  }
  return identical ? 'identical' : 'close';
}

/** The groups of two or more optimizers whose series coincide (each optimizer in at most one group). */
export function findOverlaps(series: ReadonlyMap<string, Series>): Overlap[] {
  const values = [...series.values()].flatMap((s) => [...s.values()]);
  const range = values.length ? Math.max(...values) - Math.min(...values) : 0;
  const tolerance = OVERLAP * range;
  const names = [...series.keys()];
  const groups: Overlap[] = [];
  const placed = new Set<string>();
  for (const [i, name] of names.entries()) {
    if (placed.has(name)) continue;
    const group: Overlap = { optimizers: [name], identical: true };
    for (const other of names.slice(i + 1).filter((n) => !placed.has(n))) {
      const relation = compare(series.get(name)!, series.get(other)!, tolerance);
      if (relation === 'apart') continue;
      group.optimizers.push(other);
      group.identical &&= relation === 'identical';
    }
    if (group.optimizers.length > 1) {
      group.optimizers.forEach((n) => placed.add(n));
      groups.push(group);
    }
  }
  return groups;
}

/** "adam = lazy-adam = lazy-adam-rowstep" (identical) or "adam ≈ adam-tf-sparse" (within OVERLAP of the axis). */
export function describeOverlap(overlap: Overlap): string {
  return overlap.optimizers.join(overlap.identical ? ' = ' : ' ≈ ');
}
