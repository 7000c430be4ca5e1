/**
 * Replacing a finished run's folder with a new attempt of the same run, without ever
 * losing the old result first: the attempt is written into a sibling folder
 * `<dir>.rerun-<pid>`, and only once it has finished (completed or diverged) is it
 * swapped in; an attempt that fails or is interrupted is dropped and the old result kept: `<dir>` is renamed to
 * `<dir>.replaced-<pid>`, the attempt to `<dir>`, and the old folder removed. Each rename
 * is atomic; a crash between the two leaves both folders whole, and recoverSwap puts the
 * newer finished one in place the next time the folder is used.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isFinished, readRunRecord } from './runFolder';

const RERUN = '.rerun-';
const REPLACED = '.replaced-';

/** The folder this process's new attempt at `dir` is written into. */
export function attemptFolder(dir: string): string {
  return `${dir}${RERUN}${process.pid}`;
}

function siblings(dir: string, marker: string): string[] {
  const parent = path.dirname(dir);
  const prefix = `${path.basename(dir)}${marker}`;
  try {
    return fs.readdirSync(parent).filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length))).map((name) => path.join(parent, name));
  } catch {
    return [];
  }
}

/** Attempts at `dir` left by processes that died before swapping them in (the caller holds
 *  `dir`'s claim, so no live process is writing one): removed. */
export function removeAbandonedAttempts(dir: string): void {
  for (const attempt of siblings(dir, RERUN)) if (attempt !== attemptFolder(dir)) fs.rmSync(attempt, { recursive: true, force: true });
}

/** Put the finished attempt in place of `dir` (which holds the old result). */
export function swapIn(dir: string, attempt: string): void {
  const replaced = `${dir}${REPLACED}${process.pid}`;
  fs.renameSync(dir, replaced);
  fs.renameSync(attempt, dir);
  fs.rmSync(replaced, { recursive: true, force: true });
}

/** After a crash between swapIn's renames `dir` is missing: put back the newer finished
 *  folder (the attempt if it finished, else the replaced one). */
export function recoverSwap(dir: string): void {
  if (fs.existsSync(dir)) return;
  const [replaced] = siblings(dir, REPLACED);
  if (replaced === undefined) return;
  const finished = siblings(dir, RERUN).find((attempt) => {
    const status = readRunRecord(attempt)?.status;
    return status !== undefined && isFinished(status);
  });
  fs.renameSync(finished ?? replaced, dir);
  if (finished) fs.rmSync(replaced, { recursive: true, force: true });
}
