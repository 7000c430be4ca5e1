/**
 * The `sparse-adam` command line. User mistakes (UserError) and file-system failures
 * (src/errors.ts) become one line on stderr and exit code 2 (usage, config) or 1
 * (runtime: data, network, files); only here.
 */
import { Command, CommanderError } from 'commander';
import { asUserError } from '../errors';
import { dataDownloadCommand } from './data';
import { lsCommand } from './ls';
import { mergeCommand } from './merge';
import { reportCommand, reproduceCommand } from './reproduce';
import { planCommand } from './plan';
import { runCommand } from './run';
import { surviveClosedStreams } from './streams';
import { validateCommand } from './validate';

const collect = (value: string, previous: string[]) => [...previous, value];

function buildProgram(): Command {
  const program = new Command('sparse-adam')
    .description('k-sparse autoencoders on MNIST: Adam and its sparse variants, learning-rate sweeps, reports')
    .version(require('../../../package.json').version as string)
    .exitOverride()
    .showHelpAfterError('(run sparse-adam --help for usage)');

  program
    .command('run')
    .description('train and evaluate the experiment a config describes (defaults when no config)')
    .argument('[config]', 'YAML or JSON config file')
    .option('--set <key=value>', 'override a config field, e.g. --set optimizer.lr=0.01 (repeatable)', collect, [])
    .option('--data-dir <dir>', 'MNIST IDX folder (sets data.source=idx; beats $SPARSE_ADAM_DATA_DIR and data.dir)')
    .option('--backend <name>', 'auto, tensorflow, wasm or cpu (config key backend)')
    .option('--out <dir>', 'output folder (config key out; default results/<name>)')
    .option('--init-from <file>', 'warm start from a weights.json (config key init_from)')
    .option('--jobs <n>', 'sweeps: worker processes running runs side by side (default: the number of cores)')
    .option('--shard <i/n>', 'sweeps: run only shard I of N (default: from SLURM_ARRAY_TASK_ID/COUNT when set)')
    .action(runCommand);

  program
    .command('validate')
    .description("print the resolved config (defaults, file, --set) as YAML, after checking it against the data's size when the data is here")
    .argument('[config]', 'YAML or JSON config file')
    .option('--set <key=value>', 'override a config field (repeatable)', collect, [])
    .option('--data-dir <dir>', 'MNIST IDX folder (sets data.source=idx; beats $SPARSE_ADAM_DATA_DIR and data.dir)')
    .action(validateCommand);

  program
    .command('plan')
    .description('list the runs of a sweep (id, swept values, folder) without running them')
    .argument('[config]', 'YAML or JSON config file')
    .option('--set <key=value>', 'override a config field (repeatable)', collect, [])
    .option('--shard <I/N>', 'only shard I of N (default: the SLURM array task, when in one)')
    .option('--data-dir <dir>', 'MNIST IDX folder (run ids include its fingerprint; read if present, never downloaded)')
    .action(planCommand);

  program
    .command('merge')
    .description("combine a sweep's shard folders into one summary.csv (refuses runs of different sweeps)")
    .argument('<dirs...>', 'sweep folders (each with runs/ inside)')
    .option('--out <dir>', 'where the merged sweep goes (default: the first folder)')
    .action(mergeCommand);

  program
    .command('ls')
    .description('list runs: id, swept values, status, final test accuracy and MSE, time')
    .argument('[dir]', 'folder to look in', 'results')
    .action(lsCommand);

  program
    .command('reproduce')
    .description("run the article's experiments (configs/article) as sweeps, then write the verdicts and report")
    .option('--scale <scale>', 'full (configs/article), long (configs/article/long) or ci (configs/article/ci)', 'full')
    .option('--out <dir>', 'where the experiments and the report go (default results/article-<scale>)')
    .option('--data-dir <dir>', 'MNIST IDX folder (default $SPARSE_ADAM_DATA_DIR, then data/mnist)')
    .option('--jobs <n>', 'worker processes (default: the number of cores)')
    .option('--set <key=value>', 'override a config field in every experiment (repeatable)', collect, [])
    .action(reproduceCommand);

  program
    .command('report')
    .description("verdicts on the article's findings and report.md / report.html from a reproduction folder")
    .argument('<dir>', 'a reproduction folder (one sweep folder per experiment)')
    .option('--scale <scale>', 'the scale to name in the report', 'ci')
    .action(reportCommand);

  program
    .command('data')
    .description('manage the MNIST data')
    .command('download')
    .description('fetch the four MNIST IDX files from the mirrors (config data.mirrors), MD5-verified')
    .argument('[config]', 'YAML or JSON config file (for data.dir and data.mirrors)')
    .option('--data-dir <dir>', 'target folder (default $SPARSE_ADAM_DATA_DIR, then data.dir, then data/mnist)')
    .option('--set <key=value>', 'override a config field (repeatable)', collect, [])
    .action(dataDownloadCommand);
  return program;
}

function report(error: unknown): number {
  const userError = asUserError(error);
  if (userError) {
    process.stderr.write(`sparse-adam: ${userError.message}\n`);
    return userError.exitCode;
  }
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2; // commander printed it
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`sparse-adam: internal error: ${message}\n`);
  if (process.env.SPARSE_ADAM_DEBUG) process.stderr.write(`${(error as Error).stack ?? ''}\n`);
  else process.stderr.write('(this is a bug; SPARSE_ADAM_DEBUG=1 shows the stack)\n');
  return 1;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  surviveClosedStreams();
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    process.exitCode = report(error);
  }
}
