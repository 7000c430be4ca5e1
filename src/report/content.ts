/**
 * Everything report.md and report.html show, gathered once: the provenance, the verdict
 * table, the counting table, the rendered charts, the images, the runs left out of the
 * means and charts, and per experiment its table of seed means. The two writers only lay
 * this out.
 */
import * as path from 'node:path';
import { healthOf } from './health';
import { provenance } from './provenance';
import type { ExperimentRuns } from './read';
import type { ReportImage } from './runImages';
import { countingTable, leftOutTable, runTable, verdictTable, type Table } from './tables';
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
  statusCounts: string; // e.g. "8 completed, 1 blown up"
}

export interface ReportContent {
  title: string;
  scale: string;
  provenance: [string, string][];
  verdicts: Table;
  counting: Table | null;
  leftOut: Table;
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
    provenance: provenance(experiments, input.command),
    verdicts: verdictTable(input.verdicts),
    counting: countingTable(experiments),
    leftOut: leftOutTable(experiments),
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
  for (const run of experiment.runs) counts.set(healthOf(run), (counts.get(healthOf(run)) ?? 0) + 1);
  return [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
}
