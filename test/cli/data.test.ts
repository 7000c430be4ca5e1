/**
 * The data folder through the CLI: a mirror that never answers is given up on after
 * data.download_timeout; a folder that cannot be read, or a file in its place, is reported
 * as such (exit 1, naming it), never taken for missing data to download.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { mnistFixture, refusedUrl, withMirrorServer, withTempDir } from '../data/fixtures';
import { writeConfig } from '../sweep/sweepCli';
import { assertOneLineError, escapeRegExp, runCli } from './cli';
import { openToAll, unprivilegedUser } from './users';

/** A config reading the IDX folder `dir`, downloading from `mirrors` when files are missing. */
function idxConfig(dir: string, mirrors: readonly string[], extra = ''): string {
  return `data: { source: idx, dir: ${dir}, mirrors: [${mirrors.map((m) => `'${m}'`).join(', ')}]${extra} }\n`;
}

// Without the timeout, undici waits 300 s for the headers: the test's own timeout fails it first.
test('a mirror that accepts and never answers: given up on after data.download_timeout, said on stderr, the next mirror tried', { timeout: 60_000 }, () =>
  withMirrorServer(mnistFixture(10, 10), (base) =>
    withTempDir(async (dir) => {
      const [silent, refused] = [`${base}/silent/`, await refusedUrl()];
      const data = path.join(dir, 'mnist');
      const config = writeConfig(dir, idxConfig(data, [silent, refused], ', download_timeout: 0.5'), 'c.yaml');
      const result = await runCli(['run', config, '--out', path.join(dir, 'out')]);
      const fallback = `download train-images-idx3-ubyte.gz: ${silent}: no response within 0.5 s (data.download_timeout); trying the next mirror`;
      assert.ok(result.stderr.split('\n').includes(fallback), result.stderr);
      assertOneLineError(result, 1, new RegExp(`^sparse-adam: could not download train-images-idx3-ubyte\\.gz: ${escapeRegExp(silent)}: no response within 0\\.5 s \\(data\\.download_timeout\\); ${escapeRegExp(refused)}: .*ECONNREFUSED`));
      assert.deepEqual(fs.readdirSync(dir), ['c.yaml']);
    }),
  ));

test('a data folder the user may not read: "unreadable", exit 1, and no download is tried', (t) => {
  const { user, skip } = unprivilegedUser();
  if (skip) return t.skip(skip);
  return withMirrorServer(mnistFixture(10, 10), (base, requests) =>
    withTempDir(async (dir) => {
      openToAll(dir);
      const data = path.join(dir, 'mnist');
      fs.mkdirSync(data, { mode: 0o000 });
      const result = await runCli(['run', writeConfig(dir, idxConfig(data, [`${base}/good/`]), 'c.yaml'), '--out', path.join(dir, 'out')], { user });
      assertOneLineError(result, 1, new RegExp(`^sparse-adam: IDX folder ${escapeRegExp(data)} is unreadable: permission denied \\(EACCES\\)\\n$`));
      assert.deepEqual(requests, [], 'no mirror asked');
      assert.deepEqual(fs.readdirSync(dir).sort(), ['c.yaml', 'mnist']);
    }),
  );
});

test('a file where the data folder should be: said so, exit 1, and no download is tried', () =>
  withMirrorServer(mnistFixture(10, 10), (base, requests) =>
    withTempDir(async (dir) => {
      const data = path.join(dir, 'mnist');
      fs.writeFileSync(data, 'not a folder');
      const result = await runCli(['run', writeConfig(dir, idxConfig(data, [`${base}/good/`]), 'c.yaml'), '--out', path.join(dir, 'out')]);
      assertOneLineError(result, 1, new RegExp(`^sparse-adam: IDX folder ${escapeRegExp(data)} is a file, not a folder\\n$`));
      assert.deepEqual(requests, [], 'no mirror asked');
      assert.equal(fs.readFileSync(data, 'utf8'), 'not a folder');
    }),
  ));
