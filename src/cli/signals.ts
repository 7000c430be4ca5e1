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
    await throwIfSignalledAfter(controller.signal, 'the work had finished (nothing was cut short)');
    return result;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * A signal that came during synchronous work (an evaluation) is delivered only when the
 * event loop next polls: let it in, then, if it came, throw it with its exit code, saying
 * that `what` was done before it.
 */
export async function throwIfSignalledAfter(signal: AbortSignal, what: string): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  if (!signal.aborted) return;
  const reason = signal.reason as UserError;
  throw new UserError(`${reason.message} after ${what}`, reason.exitCode);
}
