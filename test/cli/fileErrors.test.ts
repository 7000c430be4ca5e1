/**
 * File-system failures through the CLI: each is one line naming the path and what went
 * wrong (libuv's words and the code), exit 1, never "internal error"; what was already
 * written stays whole, and no temp file is left behind.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { readRunRecord } from '../../src/results/runFolder';
import { withTempDir } from '../data/fixtures';
import { writeConfig } from '../sweep/sweepCli';
import { assertOneLineError, escapeRegExp, readCsv, runCli, SHORT_RUN } from './cli';
import { openToAll, unprivilegedUser, withTmpfs } from './users';

test('--out under a regular file: ENOTDIR, naming the file in the way', () =>
  withTempDir(async (dir) => {
    const file = path.join(dir, 'notes.txt');
    fs.writeFileSync(file, 'mine');
    const result = await runCli(['run', writeConfig(dir, SHORT_RUN, 'c.yaml'), '--out', path.join(file, 'out')]);
    assertOneLineError(result, 1, new RegExp(`^sparse-adam: ${escapeRegExp(file)}/out: not a directory \\(ENOTDIR\\): ${escapeRegExp(file)} is a file, not a folder\\n$`));
    assert.equal(fs.readFileSync(file, 'utf8'), 'mine');
  }));

test('--out naming a regular file: said to be a file, not a folder', () =>
  withTempDir(async (dir) => {
    const file = path.join(dir, 'notes.txt');
    fs.writeFileSync(file, 'mine');
    const result = await runCli(['run', writeConfig(dir, SHORT_RUN, 'c.yaml'), '--out', file]);
    assertOneLineError(result, 1, new RegExp(`^sparse-adam: ${escapeRegExp(file)}: (not a directory \\(ENOTDIR\\)|file already exists \\(EEXIST\\)): it is a file, not a folder\\n$`));
    assert.equal(fs.readFileSync(file, 'utf8'), 'mine');
  }));

test('--out with a 300-character folder name: ENAMETOOLONG', () =>
  withTempDir(async (dir) => {
    const result = await runCli(['run', writeConfig(dir, SHORT_RUN, 'c.yaml'), '--out', path.join(dir, 'x'.repeat(300))]);
    assertOneLineError(result, 1, /^sparse-adam: \S+\/x{300}: name too long \(ENAMETOOLONG\)\n$/);
    assert.deepEqual(fs.readdirSync(dir), ['c.yaml']);
  }));

test('--out in a folder the user may not write: EACCES', (t) => {
  const { user, skip } = unprivilegedUser();
  if (skip) return t.skip(skip);
  return withTempDir(async (dir) => {
    openToAll(dir);
    const locked = path.join(dir, 'locked');
    fs.mkdirSync(locked, { mode: 0o555 });
    const result = await runCli(['run', writeConfig(dir, SHORT_RUN, 'c.yaml'), '--out', path.join(locked, 'out')], { user });
    assertOneLineError(result, 1, new RegExp(`^sparse-adam: ${escapeRegExp(locked)}/out: permission denied \\(EACCES\\)\\n$`));
    assert.deepEqual(fs.readdirSync(locked), []);
  });
});

test('--out on a read-only file system: EROFS (not the ENOENT of a recursive mkdir)', async (t) => {
  const skipped = await withTmpfs('ro,size=64k', async (mount) => {
    const result = await runCli(['run', 'configs/quickstart.yaml', '--out', path.join(mount, 'a', 'out')]);
    assertOneLineError(result, 1, new RegExp(`^sparse-adam: ${escapeRegExp(mount)}/a/out: read-only file system \\(EROFS\\)\\n$`));
  });
  if (skipped) t.skip(skipped);
});

test('a disk that fills up as weights.json is written: ENOSPC naming it; metrics.csv whole, run.json failed, no temp file', async (t) => {
  const skipped = await withTmpfs('size=64k', async (mount) => {
    const out = path.join(mount, 'out');
    const result = await runCli(['run', writeConfig(mount, SHORT_RUN, 'c.yaml'), '--out', out, '--backend', 'wasm']);
    assertOneLineError(result, 1, new RegExp(`^sparse-adam: ${escapeRegExp(out)}/weights.json: no space left on device \\(ENOSPC\\)\\n$`));
    assert.deepEqual(fs.readdirSync(out).sort(), ['config.yaml', 'metrics.csv', 'run.json']);
    assert.deepEqual(readCsv(fs.readFileSync(path.join(out, 'metrics.csv'), 'utf8')).map((row) => row.epoch), ['1', '2', '3']);
    const record = readRunRecord(out);
    assert.equal(record?.status, 'failed');
    assert.equal(record?.error, `${out}/weights.json: no space left on device (ENOSPC)`);
  });
  if (skipped) t.skip(skipped);
});
