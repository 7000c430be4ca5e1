/** Helpers for tests that watch processes: polling, a process's children, whether one is gone. */
import * as fs from 'node:fs';

/** Poll until `ready()` holds; fails after `seconds`. */
export async function waitUntil(ready: () => boolean, seconds: number, what: string): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    if (ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Fields of /proc/PID/stat after the command name: state, ppid, ...; null when PID is gone. */
function procStat(pid: number): string[] | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Whether /proc can tell parents and children apart here (Linux). */
export const HAS_PROC = fs.existsSync('/proc/self/stat');

/** The pids whose parent is `pid` (from /proc). */
export function childPids(pid: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((child) => procStat(child)?.[1] === String(pid));
}

/** A process that has exited (a zombie no one reaped yet counts as exited). */
export function isGone(pid: number): boolean {
  const state = procStat(pid)?.[0];
  return state === undefined || state === 'Z' || state === 'X';
}
