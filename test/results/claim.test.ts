import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { isStale, readOwner, tryClaim, withLock } from '../../src/results/claim';
import { withTempDir } from '../data/fixtures';

/** The pid of a process that has exited (so no live process has it, for a while). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function writeClaim(file: string, owner: object, ageMinutes = 0): void {
  fs.writeFileSync(file, JSON.stringify(owner));
  const then = new Date(Date.now() - ageMinutes * 60_000);
  fs.utimesSync(file, then, then);
}

test('a claim is taken once: a second attempt is told who holds it; released, it can be taken again', () =>
  withTempDir((dir) => {
    const file = path.join(dir, 'claim.json');
    const first = tryClaim(file);
    assert.ok('claimed' in first);
    const owner = readOwner(file);
    assert.equal(owner?.pid, process.pid);
    assert.equal(owner?.host, os.hostname());
    const second = tryClaim(file);
    assert.deepEqual(second, { heldBy: owner });
    first.claimed.release();
    assert.equal(fs.existsSync(file), false);
    const third = tryClaim(file);
    assert.ok('claimed' in third);
    third.claimed.release();
    assert.deepEqual(fs.readdirSync(dir), [], 'no temporary files left');
  }));

test('a claim of a dead process on this host is stale and taken over', () =>
  withTempDir((dir) => {
    const file = path.join(dir, 'claim.json');
    writeClaim(file, { host: os.hostname(), pid: deadPid(), token: 'dead', since: '2026-01-01T00:00:00.000Z' });
    assert.equal(isStale(file, readOwner(file)), true);
    const result = tryClaim(file);
    assert.ok('claimed' in result);
    assert.equal(readOwner(file)?.token, result.claimed.owner.token);
    result.claimed.release();
  }));

test('a claim from another host is live while its heartbeat is recent, stale after five minutes without one', () =>
  withTempDir((dir) => {
    const file = path.join(dir, 'claim.json');
    const elsewhere = { host: `${os.hostname()}-elsewhere`, pid: 1, token: 'remote', since: '2026-01-01T00:00:00.000Z' };
    writeClaim(file, elsewhere, 4);
    assert.deepEqual(tryClaim(file), { heldBy: elsewhere });
    writeClaim(file, elsewhere, 6);
    const taken = tryClaim(file);
    assert.ok('claimed' in taken);
    taken.claimed.release();
  }));

test('an unreadable claim is no live owner: taken over', () =>
  withTempDir((dir) => {
    const file = path.join(dir, 'claim.json');
    fs.writeFileSync(file, '{"host": ');
    const result = tryClaim(file);
    assert.ok('claimed' in result);
    result.claimed.release();
  }));

test('release leaves alone a claim that another process took after ours went stale', () =>
  withTempDir((dir) => {
    const file = path.join(dir, 'claim.json');
    const ours = tryClaim(file);
    assert.ok('claimed' in ours);
    const theirs = { host: os.hostname(), pid: process.ppid, token: 'theirs', since: '2026-01-01T00:00:00.000Z' };
    writeClaim(file, theirs);
    ours.claimed.release();
    assert.equal(readOwner(file)?.token, 'theirs');
  }));

test('withLock runs the work holding the lock, after another holder lets go', () =>
  withTempDir(async (dir) => {
    const file = path.join(dir, 'summary.csv.lock');
    assert.equal(withLock(file, () => (fs.existsSync(file) ? 'held' : 'not held')), 'held');
    assert.equal(fs.existsSync(file), false);
    // Another process takes the lock, and lets go 300 ms later, leaving a mark just before.
    const released = path.join(dir, 'released');
    const holder = `
      const { tryClaim } = require(${JSON.stringify(path.resolve(__dirname, '../../src/results/claim.js'))});
      const claim = tryClaim(${JSON.stringify(file)});
      process.stdout.write('claimed' in claim ? 'held\\n' : 'not held\\n');
      setTimeout(() => { require('fs').writeFileSync(${JSON.stringify(released)}, ''); claim.claimed.release(); }, 300);`;
    const child = spawn(process.execPath, ['-e', holder], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => child.on('close', resolve));
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    assert.equal(line.toString(), 'held\n');
    assert.equal(withLock(file, () => fs.existsSync(released)), true, 'the work ran after the other holder let go');
    await exited;
  }));
