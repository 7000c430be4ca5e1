/**
 * The one error type for user mistakes and failures the user can act on (bad config,
 * missing data, unreachable mirrors, a full disk). Thrown anywhere; turned into a one-line
 * message and an exit code only in the CLI's main (src/cli/main.ts).
 *
 * File-system failures are Node system errors (code, errno, syscall, often path); they
 * become runtime errors here, in one place (`asUserError`): `<path>: <what went wrong,
 * in the C library's words> (<code>)`, e.g. `results/x/metrics.csv: no space left on
 * device (ENOSPC)`. A throw site that knows the path better than the error (a write has
 * none; a temp file is not what the user asked for) names it with `fileError`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getSystemErrorMap } from 'node:util';

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

/** A Node system error: what fs, net and child_process throw (`code` as ENOSPC, `syscall` as write). */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException & { code: string; syscall: string } {
  const e = error as NodeJS.ErrnoException | null;
  return e instanceof Error && typeof e.code === 'string' && /^E[A-Z0-9]+$/.test(e.code) && typeof e.syscall === 'string';
}

/** `no space left on device (ENOSPC)`: libuv's words for the code, then the code, then what is in the way. */
export function describeSystemError(error: NodeJS.ErrnoException & { code: string }): string {
  const words = error.errno === undefined ? undefined : getSystemErrorMap().get(error.errno)?.[1];
  const culprit = inTheWay(error);
  return `${words ?? 'failed'} (${error.code})${culprit ? `: ${culprit}` : ''}`;
}

/** A file where a folder is needed: ENOTDIR's culprit is the path or one of its ancestors;
 *  EEXIST from mkdir means the path itself is not a folder. */
function inTheWay(error: NodeJS.ErrnoException): string | null {
  if (error.path === undefined) return null;
  if (error.code === 'EEXIST' && error.syscall === 'mkdir') return statOrNull(error.path)?.isDirectory() === false ? 'it is a file, not a folder' : null;
  if (error.code !== 'ENOTDIR') return null;
  for (let dir = error.path; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const stats = statOrNull(dir);
    if (stats === null) continue;
    if (stats.isDirectory()) return null;
    return dir === error.path ? 'it is a file, not a folder' : `${dir} is a file, not a folder`;
  }
  return null;
}

function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
}

/** A system error about `file` (default: the error's own path) as a runtime error; anything else unchanged. */
export function fileError(error: unknown, file?: string): unknown {
  if (!isSystemError(error)) return error;
  return runtimeError(`${file ?? error.path ?? error.syscall}: ${describeSystemError(error)}`);
}

/** The user-facing form of an error, when it has one: a UserError, or a system error (fileError). */
export function asUserError(error: unknown): UserError | null {
  const converted = fileError(error);
  return converted instanceof UserError ? converted : null;
}
