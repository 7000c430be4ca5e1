/**
 * Where a report's numbers come from, for its header: when it was written and when its
 * runs ran, the package version and backends the runs recorded, the git commit of the
 * checkout that wrote the report, the data, the seeds, and the command.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { packageInfo, type RunRecord } from '../results/runFolder';
import { seedOf } from './columns';
import type { ExperimentRuns } from './read';

const PACKAGE_ROOT = path.resolve(__dirname, '../../..');

/** The checkout's commit, "+ uncommitted changes" when the tree differs from it; null outside git. */
export function gitCommit(dir = PACKAGE_ROOT): string | null {
  const git = (args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const commit = git(['rev-parse', 'HEAD']);
    return git(['status', '--porcelain', '--untracked-files=no']) === '' ? commit : `${commit} + uncommitted changes`;
  } catch {
    return null;
  }
}

const distinct = (values: readonly (string | undefined)[]) => [...new Set(values.filter((v): v is string => v !== undefined && v !== ''))];

function backendOf(record: RunRecord): string {
  const versions = Object.entries(record.backend.versions).map(([name, version]) => `${name} ${version}`);
  return `${record.backend.name}${versions.length ? ` (${versions.join(', ')})` : ''}, Node ${record.node}`;
}

export function provenance(experiments: readonly ExperimentRuns[], command: string | undefined, now = new Date()): [string, string][] {
  const records = experiments.flatMap((e) => e.runs.flatMap((run) => (run.record ? [run.record] : [])));
  const started = records.map((r) => r.started_at).sort();
  const ended = records.flatMap((r) => (r.ended_at ? [r.ended_at] : [])).sort();
  const seeds = [...new Set(experiments.flatMap((e) => e.runs.map(seedOf)))].sort((a, b) => a - b);
  const current = packageInfo();
  return [
    ['report written', now.toISOString()],
    ['runs', started.length ? `${started[0]} to ${ended.at(-1) ?? 'unfinished'} (${records.length} with a record)` : 'none ran'],
    ['package (runs)', distinct(records.map((r) => `${r.package.name} ${r.package.version}`)).join(', ') || '-'],
    ['package (report)', `${current.name} ${current.version}`],
    ['git commit (report)', gitCommit() ?? 'unknown (not a git checkout)'],
    ['backend', distinct(records.map(backendOf)).join('; ') || '-'],
    ['data', distinct(records.map((r) => r.data)).join('; ') || '-'],
    ['seeds', seeds.join(', ')],
    ['command', command ?? '-'],
  ];
}
