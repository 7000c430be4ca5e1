/**
 * The CLI's two output streams. stdout is the record of what ran and what it gave: the
 * backend and data lines, each epoch's and each run's result line, a command's final
 * line, tables (ls, plan, verdicts) and YAML (validate). stderr is progress and trouble:
 * bars, the periodic progress lines and evaluating notices, download progress, mirror
 * fallbacks, errors. So `sparse-adam run C | head -1` or `> log` holds results only.
 *
 * A reader that goes away (`| head -1` closes the pipe: EPIPE) or a stream that cannot be
 * written (a redirect to a full disk) must not kill a run: write errors on either stream
 * are absorbed (Node would otherwise throw them as an 'error' event, with a stack) and
 * later writes to a closed pipe are dropped, so the run goes on and records how it ended.
 */
import { describeSystemError, isSystemError } from '../errors';

export interface CliStreams {
  /** Results: lines a script or a log file keeps. */
  results: NodeJS.WriteStream;
  /** Progress: bars and lines a person watches. */
  progress: NodeJS.WriteStream;
}

export function standardStreams(): CliStreams {
  return { results: process.stdout, progress: process.stderr };
}

/** Absorb write errors on stdout and stderr; a stdout failure other than a closed pipe is said once on stderr. */
export function surviveClosedStreams(streams: CliStreams = standardStreams()): void {
  streams.progress.on('error', () => undefined); // nowhere left to say it
  let said = false;
  streams.results.on('error', (error: unknown) => {
    if (said || (isSystemError(error) && error.code === 'EPIPE')) return;
    said = true;
    const what = isSystemError(error) ? describeSystemError(error) : String(error);
    streams.progress.write(`sparse-adam: stdout: ${what}; further results are not shown, the work goes on\n`);
  });
}
