/** `sparse-adam ls [DIR]`: a table of the runs under DIR (default results/). A run.json
 *  that cannot be read is a row of its own, `unreadable`, and a warning naming it. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inspectRunRecord, shownStatus, type RunRecord } from '../results/runFolder';

interface Listed {
  dir: string;
  record: RunRecord | null; // null: its run.json is unreadable
  status: string;
}

/** Folders holding a run.json, at most `depth` levels below `dir`. */
function findRuns(dir: string, depth: number, warn: (line: string) => void): Listed[] {
  const read = inspectRunRecord(dir);
  if (read.state === 'ok') return [{ dir, record: read.record, status: shownStatus(dir, read.record) }];
  if (read.state === 'corrupt') {
    warn(`${read.file}: ${read.reason}`);
    return [{ dir, record: null, status: 'unreadable' }];
  }
  if (depth === 0 || !fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return [];
  return fs
    .readdirSync(dir)
    .sort()
    .flatMap((name) => findRuns(path.join(dir, name), depth - 1, warn));
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
  const runs = findRuns(dir, 4, (line) => process.stderr.write(`sparse-adam: warning: ${line}\n`));
  if (runs.length === 0) {
    console.log(`no runs under ${dir}`);
    return;
  }
  const valuesOf = (run: Listed) => run.record?.sweep?.values ?? {};
  const keys = [...new Set(runs.flatMap((r) => Object.keys(valuesOf(r))))];
  const byValues = (a: Listed, b: Listed) => {
    for (const key of keys) {
      const [x, y] = [valuesOf(a)[key] ?? '', valuesOf(b)[key] ?? ''];
      const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      if (order !== 0) return order;
    }
    return 0;
  };
  runs.sort(byValues);
  const header = ['run', ...keys, 'status', 'epochs', 'test_accuracy', 'test_mse', 'seconds'];
  const rows = runs.map(({ dir: runDir, record, status }) => [
    record?.sweep?.id ?? (path.relative(dir, runDir) || runDir),
    ...keys.map((key) => String(valuesOf({ dir: runDir, record, status })[key] ?? '-')),
    status,
    format(record?.epochs_completed),
    format(record?.final?.test_accuracy),
    format(record?.final?.test_mse),
    format(record?.seconds),
  ]);
  console.log(table([header, ...rows]));
}
