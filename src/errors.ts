/**
 * The one error type for user mistakes and failures the user can act on (bad config,
 * missing data, unreachable mirrors). Thrown anywhere; turned into a one-line message
 * and an exit code only in the CLI's main (src/cli/main.ts).
 */
export type ExitCode = 1 | 2 | 130 | 143;

export class UserError extends Error {
  /** 2: usage or config error; 1: runtime failure (data, network, files);
   *  130 / 143: interrupted by SIGINT / SIGTERM. */
  readonly exitCode: ExitCode;

  constructor(message: string, exitCode: ExitCode = 2) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}

/** A usage or config mistake: exit code 2. */
export function usageError(message: string): UserError {
  return new UserError(message, 2);
}

/** A runtime failure the user can act on (data, network, files): exit code 1. */
export function runtimeError(message: string): UserError {
  return new UserError(message, 1);
}

/** Internal invariant: a failure here is a bug, so the message gives both values. */
export function assert(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new Error(`internal error: ${message()}`);
}
