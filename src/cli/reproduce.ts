/**
 * `sparse-adam reproduce`: run every experiment of a scale's folder (SCALES) as a sweep
 * into OUT/<experiment>/ (resumable: completed runs are skipped), then write the verdicts
 * and the report into OUT.
 * `sparse-adam report DIR`: the verdicts and report from runs already there.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runtimeError, usageError, UserError } from '../errors';
import { writeArticleReport } from '../report/article';
import type { Verdict } from '../report/types';
import { runSweep } from '../sweep/run';
import { resolveRunConfig } from './run';
import { abortOnSignals } from './signals';
import { createSweepDisplay } from './sweepDisplay';
import { parseJobs } from './sweepFlags';

const ARTICLE_CONFIGS = path.resolve(__dirname, '../../../configs/article');
/** Each scale's folder of experiment configs: `full` the 60,000 images, 20 epochs; `long`
 *  the largest this 2-core machine affords (the 24,000 images of ../shared/mnist, 20 epochs,
 *  7 rates, 3 seeds); `ci` what CI runs in its time budget (2 epochs, 3 rates, 3 seeds). */
export const SCALES: Record<string, string> = {
  full: ARTICLE_CONFIGS,
  long: path.join(ARTICLE_CONFIGS, 'long'),
  ci: path.join(ARTICLE_CONFIGS, 'ci'),
};

export interface ReproduceOptions {
  scale: string;
  out?: string;
  dataDir?: string;
  jobs?: string;
  set: string[];
}

function printVerdicts(verdicts: readonly Verdict[]): void {
  for (const v of verdicts) {
    console.log(`${v.id.padEnd(9)}${v.verdict}`);
    for (const [name, value] of Object.entries(v.figures)) console.log(`         ${name}: ${value}`);
    if (v.verdict === 'inconclusive') console.log(`         why: ${v.explanation}`);
  }
}

/** The command line as typed (sparse-adam and its arguments), for the report's provenance. */
function commandLine(): string {
  return ['sparse-adam', ...process.argv.slice(2)].map((arg) => (/^[\w./:=@+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`)).join(' ');
}

async function report(dir: string, scale: string): Promise<void> {
  const { verdicts, files } = await writeArticleReport(dir, scale, commandLine());
  printVerdicts(verdicts);
  console.log(`wrote ${files.join(', ')}`);
}

export async function reproduceCommand(options: ReproduceOptions): Promise<void> {
  const configs = SCALES[options.scale];
  if (!configs) throw usageError(`--scale ${options.scale}: expected one of ${Object.keys(SCALES).join(', ')}`);
  const jobs = parseJobs(options.jobs);
  const out = options.out ?? path.join('results', `article-${options.scale}`);
  const files = fs.readdirSync(configs).filter((f) => f.endsWith('.yaml')).sort();
  const failures: string[] = [];
  await abortOnSignals(async (signal) => {
    for (const file of files) {
      const source = path.join(configs, file);
      const base = resolveRunConfig(source, { set: options.set, dataDir: options.dataDir });
      console.log(`experiment ${base.name} (${path.relative(process.cwd(), source)})`);
      // Failed runs are recorded and reported; only an interruption or a usage error stops here.
      await runSweep({ ...base, out: path.join(out, base.name) }, { source, jobs }, createSweepDisplay(), signal).catch(
        (error: unknown) => {
          if (signal.aborted || !(error instanceof UserError) || error.exitCode !== 1) throw error;
          failures.push(`${base.name}: ${error.message}`);
        },
      );
    }
  });
  await report(out, options.scale);
  if (failures.length) throw runtimeError(`the report is written, but runs failed: ${failures.join('; ')}`);
}

export async function reportCommand(dir: string, options: { scale: string }): Promise<void> {
  await report(dir, options.scale);
}
