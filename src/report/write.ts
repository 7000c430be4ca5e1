/**
 * The reproduction report: reads each experiment's sweep folder, draws the charts
 * (vega-lite, rendered to SVG) and the chosen run's filter and reconstruction grids (PNG),
 * and writes report.md, report.html and the PNGs into `outDir`, each atomically.
 * Returns the paths written.
 */
import * as path from 'node:path';
import { usageError } from '../errors';
import { writeFileAtomic } from '../results/atomic';
import { makeDirectory } from '../results/directories';
import { reportCharts } from './charts';
import { reportContent, type RenderedChart } from './content';
import { reportHtml } from './html';
import { reportMarkdown } from './markdown';
import { readExperiment, type ExperimentRuns } from './read';
import { renderSvg } from './render';
import { runImages, type ReportImage } from './runImages';
import type { ReportInput } from './types';

export async function writeReport(
  input: ReportInput,
  outDir: string,
): Promise<{ markdown: string; html: string; images: string[] }> {
  const experiments = input.experiments.map(readExperiment);
  const charts = await renderCharts(experiments);
  const images = input.imagesFrom ? await imagesOf(experiments, input.imagesFrom) : [];
  const content = reportContent(input, experiments, { outDir, charts, images });

  makeDirectory(outDir);
  const written = {
    markdown: path.join(outDir, 'report.md'),
    html: path.join(outDir, 'report.html'),
    images: images.map((image) => path.join(outDir, image.file)),
  };
  images.forEach((image, i) => writeFileAtomic(written.images[i]!, image.png));
  writeFileAtomic(written.markdown, reportMarkdown(content));
  writeFileAtomic(written.html, reportHtml(content));
  return written;
}

async function renderCharts(experiments: readonly ExperimentRuns[]): Promise<RenderedChart[]> {
  const charts = reportCharts(experiments);
  const svgs = await Promise.all(charts.map((chart) => renderSvg(chart.spec)));
  return charts.map((chart, i) => ({ title: chart.title, caption: chart.caption, svg: svgs[i]! }));
}

async function imagesOf(
  experiments: readonly ExperimentRuns[],
  from: NonNullable<ReportInput['imagesFrom']>,
): Promise<ReportImage[]> {
  const experiment = experiments.find((e) => e.ref.name === from.experiment);
  if (!experiment) throw usageError(`imagesFrom: no experiment named ${from.experiment}`);
  const run = experiment.runs.find((r) => r.id === from.runId);
  if (!run) throw usageError(`imagesFrom: experiment ${from.experiment} has no run ${from.runId}`);
  return runImages(run, experiment.ref.name);
}
