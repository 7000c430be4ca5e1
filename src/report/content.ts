/**
 * Everything report.md and report.html show, gathered once: the verdict table, per
 * experiment its run table, the rendered charts and the images. The two writers only lay
 * this out.
 */
import * as path from 'node:path';
import type { ExperimentRuns } from './read';
import type { ReportImage } from './runImages';
import { runTable, verdictTable, type Table } from './tables';
import type { ReportInput } from './types';

export interface RenderedChart {
  title: string;
  caption: string;
  svg: string;
}

export interface ExperimentSection {
  name: string;
  finding: string;
  folder: string; // relative to the report's folder
  runs: Table;
  statusCounts: string; // e.g. "6 completed, 1 diverged"
}

export interface ReportContent {
  title: string;
  scale: string;
  verdicts: Table;
  experiments: ExperimentSection[];
  charts: RenderedChart[];
  images: ReportImage[];
}

export function reportContent(
  input: ReportInput,
  experiments: readonly ExperimentRuns[],
  parts: { outDir: string; charts: RenderedChart[]; images: ReportImage[] },
): ReportContent {
  return {
    title: input.title,
    scale: input.scale,
    verdicts: verdictTable(input.verdicts),
    experiments: experiments.map((experiment) => ({
      name: experiment.ref.name,
      finding: experiment.ref.finding,
      folder: path.relative(parts.outDir, experiment.ref.dir) || '.',
      runs: runTable(experiment),
      statusCounts: statusCounts(experiment),
    })),
    charts: parts.charts,
    images: parts.images,
  };
}

function statusCounts(experiment: ExperimentRuns): string {
  const counts = new Map<string, number>();
  for (const run of experiment.runs) counts.set(run.status, (counts.get(run.status) ?? 0) + 1);
  return [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
}
