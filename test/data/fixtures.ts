/** Small IDX files and folders built in memory, for the data tests. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { UserError } from '../../src/errors';
import { MNIST_FILES, type MnistFile } from '../../src/data/folder';

export const IMAGES_MAGIC = 2051;
export const LABELS_MAGIC = 2049;

/** An IDX file: big-endian magic and dims, then the body. */
export function makeIdx(magic: number, dims: readonly number[], body: Uint8Array): Uint8Array {
  const header = Buffer.alloc(4 * (1 + dims.length));
  header.writeUInt32BE(magic, 0);
  dims.forEach((dim, i) => header.writeUInt32BE(dim, 4 * (i + 1)));
  return Buffer.concat([header, body]);
}

/** The pixel value at flat index i of a fixture images file. */
export function fixturePixel(i: number): number {
  return (i * 7 + 3) % 256;
}

export function imagesIdx(count: number, rows = 28, cols = 28): Uint8Array {
  const pixels = Uint8Array.from({ length: count * rows * cols }, (_, i) => fixturePixel(i));
  return makeIdx(IMAGES_MAGIC, [count, rows, cols], pixels);
}

/** Labels 0, 1, ..., 9, 0, 1, ... */
export function fixtureLabel(i: number): number {
  return i % 10;
}

export function labelsIdx(count: number): Uint8Array {
  return makeIdx(LABELS_MAGIC, [count], Uint8Array.from({ length: count }, (_, i) => fixtureLabel(i)));
}

export function gzip(bytes: Uint8Array): Uint8Array {
  return gzipSync(bytes);
}

export function md5(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

/** The four gzip'd files of an MNIST folder with `trainCount` and `testCount` images, by canonical name. */
export function mnistFixture(trainCount: number, testCount: number): Map<string, Uint8Array> {
  const [trainImages, trainLabels, testImages, testLabels] = MNIST_FILES.map((file) => file.name);
  return new Map([
    [trainImages!, gzip(imagesIdx(trainCount))],
    [trainLabels!, gzip(labelsIdx(trainCount))],
    [testImages!, gzip(imagesIdx(testCount))],
    [testLabels!, gzip(labelsIdx(testCount))],
  ]);
}

/** The four MNIST files with the MD5s of `files` instead of the canonical ones, for downloads of fixtures. */
export function withMd5sOf(files: ReadonlyMap<string, Uint8Array>): MnistFile[] {
  return MNIST_FILES.map((file) => ({ ...file, md5: md5(files.get(file.name)!) }));
}

export function writeFiles(dir: string, files: ReadonlyMap<string, Uint8Array>): void {
  for (const [name, bytes] of files) writeFileSync(path.join(dir, name), bytes);
}

/** Run `body` with a fresh temporary directory, removed afterwards. */
export async function withTempDir(body: (dir: string) => void | Promise<void>): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sparse-adam-data-'));
  try {
    await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A UserError with a one-line message matching `pattern` (for assert.throws / assert.rejects). */
export function userError(pattern: RegExp, exitCode: 1 | 2 = 1): (error: unknown) => true {
  return (error) => {
    assert.ok(error instanceof UserError, `expected a UserError, got ${String(error)}`);
    assert.match(error.message, pattern);
    assert.doesNotMatch(error.message, /\n/, 'message must be one line');
    assert.equal(error.exitCode, exitCode);
    return true;
  };
}

/** ../shared/mnist, looked for from this file upwards (so worktrees at any depth find it); null when absent. */
export function findSharedMnist(): string | null {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'mnist');
    if (existsSync(path.join(candidate, 't10k-labels-idx1-ubyte.gz'))) return candidate;
  }
  return null;
}

/**
 * A local mirror server. Paths are /<behaviour>/<file name>:
 * good: the file; corrupt: the file with one byte changed; missing: 404;
 * cut: half the file, then the connection drops; silent: the connection is accepted, and
 * nothing is ever sent; anything else (stall): half the file, then nothing.
 */
export async function withMirrorServer(
  files: ReadonlyMap<string, Uint8Array>,
  body: (baseUrl: string, requests: string[]) => Promise<void>,
): Promise<void> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request.url ?? '');
    const [, behaviour, name] = (request.url ?? '').split('/');
    if (behaviour === 'silent') return;
    const bytes = files.get(name ?? '');
    if (bytes === undefined || behaviour === 'missing') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-length': bytes.length });
    const half = bytes.subarray(0, bytes.length >> 1);
    if (behaviour === 'good') response.end(bytes);
    else if (behaviour === 'corrupt') response.end(Buffer.concat([bytes.subarray(0, -1), Buffer.from([bytes.at(-1)! ^ 1])]));
    else if (behaviour === 'cut') response.write(half, () => response.destroy());
    else response.write(half);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await body(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** A URL on which nothing listens (connection refused). */
export async function refusedUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/`;
}
