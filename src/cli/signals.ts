/**
 * Ctrl-C (SIGINT) or SIGTERM while `work` runs aborts it through an AbortSignal, so it
 * can clean up (delete part files, finish a CSV) before the process exits 130 or 143.
 */
import { UserError, type ExitCode } from '../errors';

const EXIT_CODES: Partial<Record<NodeJS.Signals, ExitCode>> = { SIGINT: 130, SIGTERM: 143 };

export async function abortOnSignals<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) =>
    controller.abort(new UserError(`interrupted by ${name}`, EXIT_CODES[name] ?? 130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
