import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { configSchema } from '../../src/config/schema';
import { downloadMnist } from '../../src/data/download';
import { loadIdxFolder } from '../../src/data/folder';
import { mnistFixture, refusedUrl, userError, withMd5sOf, withMirrorServer, withTempDir } from './fixtures';

const FIXTURE = mnistFixture(30, 20);
const FIXTURE_FILES = withMd5sOf(FIXTURE);
/** The configured default: these mirrors answer at once. */
const TIMEOUT = configSchema.parse({}).data.download_timeout;

function assertFixtureLanded(dir: string): void {
  assert.deepEqual(readdirSync(dir).sort(), [...FIXTURE.keys()].sort());
  for (const [name, bytes] of FIXTURE) assert.deepEqual(readFileSync(path.join(dir, name)), Buffer.from(bytes), name);
}

test('the default mirrors are the two of SPEC.md §1, CVDF first', () => {
  assert.deepEqual(configSchema.parse({}).data.mirrors, [
    'https://storage.googleapis.com/cvdf-datasets/mnist/',
    'https://ossci-datasets.s3.amazonaws.com/mnist/',
  ]);
});

test('a corrupt first mirror falls through to the second; files land verified and load', () =>
  withMirrorServer(FIXTURE, (base) =>
    withTempDir(async (dir) => {
      const progress = new Map<string, [number, number | undefined]>();
      const downloaded = await downloadMnist(dir, {
        mirrors: [`${base}/corrupt/`, `${base}/good`],
        files: FIXTURE_FILES,
        timeoutSeconds: TIMEOUT,
        onProgress: { received: (file, received, total) => progress.set(file, [received, total]) },
      });
      assert.deepEqual(downloaded, [...FIXTURE.keys()]);
      assertFixtureLanded(dir);
      for (const [name, bytes] of FIXTURE) assert.deepEqual(progress.get(name), [bytes.length, bytes.length]);
      assert.equal(loadIdxFolder(dir).train.count, 30);
    }),
  ));

test('when every mirror fails: one line with each reason, and the folder stays empty', () =>
  withMirrorServer(FIXTURE, (base) =>
    withTempDir(async (dir) => {
      const mirrors = [`${base}/corrupt/`, `${base}/missing/`, `${base}/cut/`];
      const expected = new RegExp(
        `^could not download train-images-idx3-ubyte\\.gz: ` +
          `${base}/corrupt/: checksum mismatch \\(got [0-9a-f]{32}, expected ${FIXTURE_FILES[0]!.md5}\\); ` +
          `${base}/missing/: HTTP 404 Not Found; ` +
          `${base}/cut/: \\S.*$`,
      );
      await assert.rejects(downloadMnist(dir, { mirrors, files: FIXTURE_FILES, timeoutSeconds: TIMEOUT }), userError(expected));
      assert.deepEqual(readdirSync(dir), []);
    }),
  ));

test('a refused connection falls through to the next mirror', () =>
  withMirrorServer(FIXTURE, (base) =>
    withTempDir(async (dir) => {
      await downloadMnist(dir, { mirrors: [await refusedUrl(), `${base}/good/`], files: FIXTURE_FILES, timeoutSeconds: TIMEOUT });
      assertFixtureLanded(dir);
    }),
  ));

test('a connection dropped mid-file falls through to the next mirror', () =>
  withMirrorServer(FIXTURE, (base) =>
    withTempDir(async (dir) => {
      await downloadMnist(dir, { mirrors: [`${base}/cut/`, `${base}/good/`], files: FIXTURE_FILES, timeoutSeconds: TIMEOUT });
      assertFixtureLanded(dir);
    }),
  ));

test('only refused mirrors: the error says ECONNREFUSED and nothing is left', () =>
  withTempDir(async (dir) => {
    const refused = await refusedUrl();
    await assert.rejects(
      downloadMnist(dir, { mirrors: [refused], files: FIXTURE_FILES, timeoutSeconds: TIMEOUT }),
      userError(new RegExp(`^could not download train-images-idx3-ubyte\\.gz: ${refused}: connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+$`)),
    );
    assert.deepEqual(readdirSync(dir), []);
  }));

test('files already present (gzip or raw) are not downloaded again', () =>
  withMirrorServer(FIXTURE, (base, requests) =>
    withTempDir(async (dir) => {
      writeFileSync(path.join(dir, 'train-images-idx3-ubyte'), 'mine');
      writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte.gz'), 'mine too');
      const downloaded = await downloadMnist(dir, { mirrors: [`${base}/good/`], files: FIXTURE_FILES, timeoutSeconds: TIMEOUT });
      assert.deepEqual(downloaded, ['train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz']);
      assert.deepEqual(requests, downloaded.map((name) => `/good/${name}`));
      assert.equal(readFileSync(path.join(dir, 'train-images-idx3-ubyte'), 'utf8'), 'mine');
    }),
  ));

test('aborting mid-file rejects with the abort reason and leaves nothing', () =>
  withMirrorServer(FIXTURE, (base) =>
    withTempDir(async (dir) => {
      const controller = new AbortController();
      const interrupted = new Error('interrupted');
      const download = downloadMnist(dir, {
        mirrors: [`${base}/stall/`, `${base}/good/`],
        files: FIXTURE_FILES,
        timeoutSeconds: TIMEOUT,
        signal: controller.signal,
        onProgress: { received: () => controller.abort(interrupted) },
      });
      await assert.rejects(download, (error) => error === interrupted);
      assert.deepEqual(readdirSync(dir), []);
    }),
  ));

test('a process exiting mid-download leaves no part file', () =>
  withMirrorServer(FIXTURE, (base) =>
    withTempDir(async (dir) => {
      const downloadModule = path.resolve(__dirname, '../../src/data/download.js');
      const child = `
        const { downloadMnist } = require(${JSON.stringify(downloadModule)});
        const files = ${JSON.stringify(FIXTURE_FILES)};
        const onProgress = { received: () => process.exit(require('node:fs').readdirSync(${JSON.stringify(dir)}).length === 1 ? 3 : 4) };
        downloadMnist(${JSON.stringify(dir)}, { mirrors: [${JSON.stringify(`${base}/stall/`)}], files, timeoutSeconds: 30, onProgress });`;
      await assert.rejects(promisify(execFile)(process.execPath, ['-e', child]), { code: 3 });
      assert.deepEqual(readdirSync(dir), []);
    }),
  ));

/** A short data.download_timeout, so a silent mirror is given up on at once (the default is 30 s). */
const SHORT_TIMEOUT = 0.3;

for (const { behaviour, what, reason } of [
  { behaviour: 'silent', what: 'accepts the connection and never answers', reason: `no response within ${SHORT_TIMEOUT} s` },
  { behaviour: 'stall', what: 'sends half the file and stalls', reason: `no data for ${SHORT_TIMEOUT} s after \\d+ of \\d+ bytes` },
]) {
  // Without the timeout, undici waits 300 s: the test's own timeout fails it long before.
  test(`a mirror that ${what} is given up on after data.download_timeout; the next mirror is tried, saying why`, { timeout: 30_000 }, () =>
    withMirrorServer(FIXTURE, (base) =>
      withTempDir(async (dir) => {
        const fallbacks: string[] = [];
        await downloadMnist(dir, {
          mirrors: [`${base}/${behaviour}/`, `${base}/good/`],
          files: FIXTURE_FILES,
          timeoutSeconds: SHORT_TIMEOUT,
          onProgress: { received: () => undefined, mirrorFailed: (file, mirror, why) => fallbacks.push(`${file} ${mirror}: ${why}`) },
        });
        assertFixtureLanded(dir);
        assert.equal(fallbacks.length, FIXTURE.size);
        const expected = new RegExp(`^train-images-idx3-ubyte\\.gz ${base}/${behaviour}/: ${reason} \\(data\\.download_timeout\\)$`);
        assert.match(fallbacks[0]!, expected);
      }),
    ));
}

test('an offline download into a new folder removes the folders it created; one it did not create stays', () =>
  withTempDir(async (dir) => {
    const refused = await refusedUrl();
    const fresh = path.join(dir, 'data', 'mnist');
    await assert.rejects(downloadMnist(fresh, { mirrors: [refused], files: FIXTURE_FILES, timeoutSeconds: TIMEOUT }), userError(/ECONNREFUSED/));
    assert.deepEqual(readdirSync(dir), []);
    mkdirSync(path.join(dir, 'data'));
    await assert.rejects(downloadMnist(fresh, { mirrors: [refused], files: FIXTURE_FILES, timeoutSeconds: TIMEOUT }), userError(/ECONNREFUSED/));
    assert.deepEqual(readdirSync(dir), ['data']);
    assert.deepEqual(readdirSync(path.join(dir, 'data')), []);
  }));
