/**
 * A sweep on the terminal: one bar per worker (a cli-progress multibar) on stderr when it
 * is a TTY. On stdout (src/cli/streams.ts), each run's start and end gets a line naming its
 * id, swept values and final metrics, in the CSV's words, and each epoch a line, except
 * on a terminal, where the bars show the epochs. When stdout and stderr are both a
 * terminal, lines go above the bars (the multibar's log), so the bars are not torn.
 */
import { MultiBar, type SingleBar } from 'cli-progress';
import type { SweepDisplay } from '../sweep/display';
import { formatFields } from './progress';
import { standardStreams, type CliStreams } from './streams';

function formatValues(values: Record<string, unknown>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(' ');
}

export function createSweepDisplay({ results, progress }: CliStreams = standardStreams()): SweepDisplay {
  const multibar = progress.isTTY
    ? new MultiBar({
        // {total} is the bar's own (the steps), so the run count goes in as {runs}
        format: 'run {number}/{runs} {id} epoch {epoch}/{epochs} [{bar}] {value}/{total_steps} train_loss {train_loss}',
        hideCursor: true,
        stream: progress,
      })
    : null;
  const bars = new Map<number, SingleBar>();
  const runs = new Map<number, { id: string; number: number; total: number; epochs: number }>();
  const onOneTerminal = multibar !== null && results.isTTY;
  const log = (line: string) => (onOneTerminal ? multibar.log(`${line}\n`) : results.write(`${line}\n`));
  let backendShown = false;
  const datasetsShown = new Set<string>();
  return {
    backend(info) {
      if (backendShown) return;
      backendShown = true;
      log(`backend ${info.name}${info.skipped.length ? ` (skipped ${info.skipped.join('; ')})` : ''}`);
    },
    dataset(description) {
      if (datasetsShown.has(description)) return;
      datasetsShown.add(description);
      log(`data ${description}`);
    },
    runStart(slot, run) {
      runs.set(slot, run);
      log(`run ${run.number}/${run.total} ${run.id} ${formatValues(run.values)}`);
    },
    step(slot, epoch, report) {
      const run = runs.get(slot);
      if (!multibar || !run) return;
      const payload = { ...run, runs: run.total, epoch, total_steps: report.steps, train_loss: report.train_loss.toPrecision(4) };
      let bar = bars.get(slot);
      if (!bar) {
        bar = multibar.create(report.steps, 0, payload);
        bars.set(slot, bar);
      }
      bar.setTotal(report.steps);
      bar.update(report.step, payload);
    },
    epochEnd(slot, row) {
      const run = runs.get(slot);
      if (!onOneTerminal && run) log(`run ${run.number}/${run.total} ${run.id} epoch ${row.epoch}/${run.epochs} ${formatFields(row, ['train_loss', 'test_accuracy', 'seconds'])}`);
    },
    runEnd(slot, outcome) {
      const run = runs.get(slot);
      const where = `run ${run?.number}/${run?.total} ${run?.id ?? ''}`;
      if (outcome.kind === 'skipped') return log(`${where} skipped: ${outcome.reason}`);
      const { record } = outcome;
      const final = record.final ? formatFields(record.final, ['train_loss', 'test_mse', 'test_accuracy']) : '';
      log(`${where} ${record.status} ${final}`.trimEnd());
    },
    stop() {
      multibar?.update(); // draws the lines logged since the last redraw (the last runs' end lines), which stop() would drop
      multibar?.stop();
    },
  };
}
