/**
 * Claims: a file that says which process owns a folder's work, so that two processes on
 * one sweep folder (two Slurm tasks without --shard, a command started twice) never run
 * the same run at once, and a lock for the few milliseconds a shared file is rebuilt.
 *
 * A claim file holds its owner (host, pid, a random token, when it was taken). It is
 * written to a temporary file and hard-linked into place: link() fails if the claim
 * exists, so taking a claim is atomic, also on NFS, and a claim is never seen half-written.
 * The owner touches the file every HEARTBEAT_MS while it holds it. A claim is stale when
 * its owner is gone: on the same host, its pid is not alive; on another host (no pid to
 * ask), its heartbeat is older than STALE_AFTER_MS. A stale claim is taken over under a
 * takeover lock (a directory beside it: mkdir is atomic), after reading it again, so two
 * processes that find the same stale claim cannot both take it. A claim is linked whole, so
 * one that cannot be read is stale too.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runtimeError } from '../errors';

/** How often an owner touches its claims. */
const HEARTBEAT_MS = 30_000;
/** A claim from another host without a heartbeat for this long is stale (ten missed beats:
 *  an owner's event loop is never blocked that long, and clocks of a cluster's nodes agree
 *  to far better than that). */
const STALE_AFTER_MS = 5 * 60_000;
/** A takeover lock older than this was left by a process that died taking over. */
const TAKEOVER_STALE_MS = 30_000;

export interface Owner {
  host: string;
  pid: number;
  token: string;
  since: string; // ISO 8601
}

export interface Claim {
  readonly file: string;
  readonly owner: Owner;
  /** Remove the claim if it is still this process's. */
  release(): void;
}

export type ClaimResult = { claimed: Claim } | { heldBy: Owner | null };

/** The claims this process holds, touched every HEARTBEAT_MS. */
const held = new Map<string, Owner>();
let heartbeat: NodeJS.Timeout | null = null;

function beat(): void {
  const now = new Date();
  for (const file of held.keys()) {
    try {
      fs.utimesSync(file, now, now);
    } catch {
      // A claim removed under us (the folder deleted) is no longer ours to keep alive.
    }
  }
}

function hold(file: string, owner: Owner): void {
  held.set(file, owner);
  heartbeat ??= setInterval(beat, HEARTBEAT_MS).unref();
}

function letGo(file: string): void {
  held.delete(file);
  if (held.size === 0 && heartbeat) {
    clearInterval(heartbeat);
    heartbeat = null;
  }
}

function newOwner(): Owner {
  return { host: os.hostname(), pid: process.pid, token: randomBytes(8).toString('hex'), since: new Date().toISOString() };
}

/** The claim's owner as written, or null when it cannot be read as one. */
export function readOwner(file: string): Owner | null {
  try {
    const owner = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Owner>;
    const valid = typeof owner.host === 'string' && Number.isInteger(owner.pid) && typeof owner.token === 'string';
    return valid ? (owner as Owner) : null;
  } catch {
    return null;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return 0; // gone since: not stale, look again
  }
}

/** Whether the claim at `file` (owner as read) belongs to no live process. A claim is
 *  linked into place whole, so one that cannot be read (null) is no live owner's. */
export function isStale(file: string, owner: Owner | null): boolean {
  if (owner === null) return true;
  if (owner.host === os.hostname()) return !pidAlive(owner.pid);
  return ageMs(file) > STALE_AFTER_MS;
}

/** Link a new claim into place; false if one is there. */
function link(file: string, owner: Owner): boolean {
  const temp = `${file}.${owner.token}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(owner)}\n`);
  try {
    fs.linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** Remove the claim at `file` if it is still the stale one read as `stale`; under the takeover lock. */
function removeIfStill(file: string, stale: Owner | null): void {
  const lock = `${file}.takeover`;
  try {
    fs.mkdirSync(lock);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (ageMs(lock) > TAKEOVER_STALE_MS) fs.rmSync(lock, { recursive: true, force: true });
    return; // another process is taking it over: look again
  }
  try {
    const now = readOwner(file);
    if (now?.token === stale?.token && isStale(file, now)) fs.rmSync(file, { force: true });
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** Take the claim at `file`, or say who holds it (null: an owner that cannot be read). */
export function tryClaim(file: string): ClaimResult {
  const owner = newOwner();
  for (let attempt = 0; attempt < 3; attempt++) {
    if (link(file, owner)) {
      hold(file, owner);
      return { claimed: claimOf(file, owner) };
    }
    const current = readOwner(file);
    if (!isStale(file, current)) return { heldBy: current };
    removeIfStill(file, current);
  }
  return { heldBy: readOwner(file) };
}

function claimOf(file: string, owner: Owner): Claim {
  return {
    file,
    owner,
    release() {
      letGo(file);
      if (readOwner(file)?.token === owner.token) fs.rmSync(file, { force: true });
    },
  };
}

/** `pid 123 on host node7 since ...`, for messages. */
export function describeOwner(owner: Owner | null): string {
  return owner === null ? 'a process whose claim cannot be read' : `pid ${owner.pid} on ${owner.host} since ${owner.since}`;
}

/** Waits between attempts to take a lock. */
const LOCK_POLL_MS = 20;
/** Longest wait for a lock held by a live process: locks guard rebuilds of a few ms. */
const LOCK_WAIT_MS = 30_000;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Run `work` holding the lock file `file` (waiting for another holder to let go). */
export function withLock<T>(file: string, work: () => T): T {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const result = tryClaim(file);
    if ('claimed' in result) {
      try {
        return work();
      } finally {
        result.claimed.release();
      }
    }
    if (Date.now() > deadline) throw runtimeError(`${file}: locked by ${describeOwner(result.heldBy)} for over ${LOCK_WAIT_MS / 1000} s`);
    sleep(LOCK_POLL_MS);
  }
}

/** The claim file of a run folder. */
export function claimFileOf(dir: string): string {
  return path.join(dir, 'claim.json');
}
