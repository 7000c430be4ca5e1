/**
 * What permission and file-system tests need from the machine: a user that permissions
 * stop (tests run as root in CI, and root passes every permission check), and a mount
 * (a tiny tmpfs for a full disk, a read-only one). Each answers null, with the reason,
 * where the machine cannot give it, so the test skips saying why.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BIN } from './cli';

/** The unprivileged user root's tests run the CLI as (`nobody` on Debian). */
const NOBODY = { uid: 65534, gid: 65534 };

/** Spawn options for a user that file permissions stop: ourselves when not root, else nobody (if it can run the CLI). */
export function unprivilegedUser(): { user?: { uid: number; gid: number }; skip?: string } {
  if (process.getuid?.() !== 0) return {};
  const probe = spawnSync(process.execPath, [BIN, '--version'], { ...NOBODY, stdio: 'ignore' });
  if (probe.status !== 0) return { skip: `running as root, and uid ${NOBODY.uid} cannot run ${BIN} (is the repository readable by all?)` };
  return { user: NOBODY };
}

/** A folder others can enter and read (mkdtemp makes them 0700), as the unprivileged user needs. */
export function openToAll(dir: string): string {
  fs.chmodSync(dir, 0o755);
  return dir;
}

/** Run `body` with a fresh tmpfs mounted (`options` as for mount -o: size=64k, ro), or say why it cannot be mounted. */
export async function withTmpfs(options: string, body: (dir: string) => Promise<void>): Promise<string | null> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparse-adam-tmpfs-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' });
  try {
    if (mounted.status !== 0) return `cannot mount a tmpfs here (${(mounted.stderr || String(mounted.error)).trim()}); needs root`;
    try {
      await body(dir);
    } finally {
      spawnSync('umount', [dir]);
    }
    return null;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
