/**
 * Ctrl-C (SIGINT) or SIGTERM while `work` runs aborts it through an AbortSignal, so it
 * can clean up (delete part files, finish a CSV) before the process exits 130 or 143.
 * A signal that arrives during the work's last synchronous stretch (the final evaluation,
 * the last writes) is heard only once the work has finished: the process still exits
 * 130 or 143, and the message says that nothing was cut short.
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
    const result = await work(controller.signal);
    if (controller.signal.aborted) throw signalledAfter(controller.signal, 'the work had finished (nothing was cut short)');
    return result;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The error for a signal that came once `what` was done: the signal's exit code, and a message saying so. */
export function signalledAfter(signal: AbortSignal, what: string): UserError {
  const reason = signal.reason as UserError;
  return new UserError(`${reason.message} after ${what}`, reason.exitCode);
}
