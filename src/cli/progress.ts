/**
 * What a run shows while it trains: on stderr a cli-progress bar per epoch on a terminal,
 * plain periodic lines when stderr is not a TTY (CI logs), and a line as each evaluation
 * starts; on stdout one summary line per epoch (src/cli/streams.ts: progress on stderr,
 * results on stdout). Words are the CSV's column names.
 */
import { SingleBar } from 'cli-progress';
import { HEADLINE_METRICS, type MetricsRow } from '../results/metrics';
import type { StepReport } from '../train/epoch';
import type { ExperimentEvents } from '../train/experiment';
import { standardStreams, type CliStreams } from './streams';

/** Seconds between plain progress lines when not on a terminal. */
const PLAIN_INTERVAL_SECONDS = 10;

function formatValue(value: number): string {
  if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(4);
}

/** `key value` pairs for the fields of a metrics row that are present, in column order.
 *  A row read back from run.json has null where the loss was not finite (JSON has no NaN). */
export function formatFields(row: Partial<MetricsRow>, keys: readonly (keyof MetricsRow)[]): string {
  return keys
    .filter((key) => row[key] !== undefined && row[key] !== null)
    .map((key) => `${key} ${formatValue(row[key] as number)}`)
    .join(' ');
}

const EPOCH_SUMMARY: (keyof MetricsRow)[] = [...HEADLINE_METRICS, 'seconds', 'eval_seconds'];

export function createProgress(epochs: number, streams: CliStreams = standardStreams()): ExperimentEvents & { stop(): void } {
  const { results, progress } = streams;
  const bar = progress.isTTY
    ? new SingleBar({
        format: 'epoch {epoch}/{epochs} [{bar}] {value}/{total} train_loss {train_loss} | {samples_per_second} samples/s | eta {eta}s',
        hideCursor: true,
        clearOnComplete: true,
        stream: progress,
      })
    : null;
  let lastLine = 0;
  const onStep = (epoch: number, report: StepReport) => {
    const payload = { epoch, epochs, train_loss: report.train_loss.toPrecision(4), samples_per_second: report.samples_per_second.toFixed(0) };
    if (bar) return bar.update(report.step, payload);
    const now = performance.now() / 1000;
    if (now - lastLine < PLAIN_INTERVAL_SECONDS && report.step !== report.steps) return;
    lastLine = now;
    progress.write(`epoch ${epoch}/${epochs} step ${report.step}/${report.steps} train_loss ${payload.train_loss} samples_per_second ${payload.samples_per_second}\n`);
  };
  return {
    onEpochStart(epoch, steps) {
      lastLine = performance.now() / 1000;
      bar?.start(steps, 0, { epoch, epochs, train_loss: '-', samples_per_second: '-' });
    },
    onStep,
    onEvaluate(epoch) {
      const line = `epoch ${epoch}/${epochs} evaluating (alpha*k codes, reconstruction, classifier)...`;
      bar?.stop();
      progress.write(bar ? line : `${line}\n`); // on a terminal, the summary line replaces it
    },
    onEpochEnd(row) {
      if (bar) {
        bar.stop();
        progress.write('\r\x1b[2K');
      }
      results.write(`epoch ${row.epoch}/${epochs} ${formatFields(row, EPOCH_SUMMARY)}\n`);
    },
    stop() {
      bar?.stop();
    },
  };
}
