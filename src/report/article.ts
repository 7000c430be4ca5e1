/**
 * The article's reproduction as a report: read the experiment folders a reproduction wrote
 * (one sweep folder per experiment, named by the configs' `name`), compute the verdicts on
 * F1 to F4 and write report.md, report.html and the images beside them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { selectBackend } from '../backend/select';
import { runtimeError } from '../errors';
import { EXPERIMENTS, findingCounting, findingF1, findingF2, findingF3 } from './findings';
import { findingF4 } from './responsiveness';
import { chooseRate } from './seeds';
import { readExperiment, type ExperimentRuns } from './read';
import type { ExperimentRef, Verdict } from './types';
import { writeReport } from './write';

/** What each experiment serves, for the report's text. */
const SERVES: Record<string, string> = {
  [EXPERIMENTS.mask]: 'baseline for F2, F3 and F4; the counting question',
  [EXPERIMENTS.gatherLifetime]: 'F1, F2; F4 (the setting it judges)',
  [EXPERIMENTS.gather]: 'F1; F4 (charted)',
  [EXPERIMENTS.gatherRemask]: 'F3; the counting question; F4 (charted)',
};

export function computeVerdicts(byName: ReadonlyMap<string, ExperimentRuns>): Verdict[] {
  const get = (name: string) => byName.get(name);
  const [mask, gatherLifetime, gather, gatherRemask] = [EXPERIMENTS.mask, EXPERIMENTS.gatherLifetime, EXPERIMENTS.gather, EXPERIMENTS.gatherRemask].map(get);
  const verdicts: Verdict[] = [];
  const missing = (id: string, title: string, names: string[]): Verdict => ({
    id,
    title,
    verdict: 'inconclusive',
    tolerance: '-',
    figures: {},
    explanation: `experiment(s) ${names.filter((name) => !byName.has(name)).join(', ')} not in this reproduction`,
  });
  verdicts.push(gatherLifetime && gather ? findingF1(gatherLifetime, gather) : missing('F1', 'gather fractions', ['gather-lifetime', 'gather']));
  verdicts.push(gatherLifetime && mask ? findingF2(gatherLifetime, mask) : missing('F2', 'gather + lifetime vs mask', ['gather-lifetime', 'mask']));
  verdicts.push(gatherRemask && mask ? findingF3(gatherRemask, mask) : missing('F3', 'gather-remask vs mask', ['gather-remask', 'mask']));
  verdicts.push(findingF4(byName));
  verdicts.push(findingCounting([mask, gatherRemask].filter((e): e is ExperimentRuns => e !== undefined)));
  return verdicts;
}

/** The experiment folders under `dir` (those with a summary.csv), by name. */
export function findExperiments(dir: string): ExperimentRef[] {
  if (!fs.existsSync(dir)) throw runtimeError(`${dir}: no such folder`);
  return fs
    .readdirSync(dir)
    .filter((name) => fs.existsSync(path.join(dir, name, 'summary.csv')))
    .sort()
    .map((name) => ({ name, finding: SERVES[name] ?? '-', dir: path.join(dir, name) }));
}

export async function writeArticleReport(dir: string, scale: string, command?: string): Promise<{ verdicts: Verdict[]; files: string[] }> {
  const refs = findExperiments(dir);
  if (refs.length === 0) throw runtimeError(`${dir}: no experiment folders (with summary.csv) to report on`);
  const byName = new Map(refs.map((ref) => [ref.name, readExperiment(ref)]));
  const verdicts = computeVerdicts(byName);
  const mask = byName.get(EXPERIMENTS.mask);
  const chosen = mask ? chooseRate(mask, 'adam') : null;
  const pictured = chosen ? chosen.bySeed.get(Math.min(...chosen.bySeed.keys()))! : null;
  await selectBackend(pictured?.config?.backend ?? 'auto'); // the images run the model
  const written = await writeReport(
    {
      title: 'Optimization using Adam on Sparse Tensors: a reproduction',
      scale,
      experiments: refs,
      verdicts,
      imagesFrom: pictured ? { experiment: EXPERIMENTS.mask, runId: pictured.id } : null,
      command,
    },
    dir,
  );
  return { verdicts, files: [written.markdown, written.html, ...written.images] };
}
