/** `sparse-adam ls [DIR]`: a table of the runs under DIR (default results/). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRunRecord, type RunRecord } from '../results/runFolder';

/** Folders holding a run.json, at most `depth` levels below `dir`. */
function findRuns(dir: string, depth: number): { dir: string; record: RunRecord }[] {
  const record = readRunRecord(dir);
  if (record) return [{ dir, record }];
  if (depth === 0 || !fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return [];
  return fs
    .readdirSync(dir)
    .sort()
    .flatMap((name) => findRuns(path.join(dir, name), depth - 1));
}

function format(value: unknown): string {
  if (value === undefined || value === null || value === '') return '-';
  if (typeof value !== 'number') return String(value);
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows.map((row) => row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
}

export function lsCommand(dir = 'results'): void {
  const runs = findRuns(dir, 4);
  if (runs.length === 0) {
    console.log(`no runs under ${dir}`);
    return;
  }
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.record.sweep?.values ?? {})))];
  const valueOf = (run: (typeof runs)[number], key: string) => run.record.sweep?.values[key] ?? '';
  const byValues = (a: (typeof runs)[number], b: (typeof runs)[number]) => {
    for (const key of keys) {
      const [x, y] = [valueOf(a, key), valueOf(b, key)];
      const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      if (order !== 0) return order;
    }
    return 0;
  };
  runs.sort(byValues);
  const header = ['run', ...keys, 'status', 'epochs', 'test_accuracy', 'test_mse', 'seconds'];
  const rows = runs.map(({ dir: runDir, record }) => [
    record.sweep?.id ?? path.relative(dir, runDir) ?? runDir,
    ...keys.map((key) => String(record.sweep?.values[key] ?? '-')),
    record.status,
    format(record.epochs_completed),
    format(record.final?.test_accuracy),
    format(record.final?.test_mse),
    format(record.seconds),
  ]);
  console.log(table([header, ...rows]));
}
