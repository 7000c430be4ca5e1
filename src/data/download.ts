/**
 * Download the MNIST IDX files from the mirrors of SPEC.md §1, verified by MD5.
 * Each file streams into `<name>.part-<pid>` beside its destination and is renamed into place
 * only when its MD5 matches. A failed, aborted or interrupted attempt deletes the part file,
 * so the folder never holds a partial or unverified file. Progress goes to a callback:
 * bars, signals and exits belong to the CLI.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import { runtimeError } from '../errors';
import { findIdxFiles, MNIST_FILES, type MnistFile } from './folder';

export type DownloadProgress = (file: string, receivedBytes: number, totalBytes: number | undefined) => void;

export interface DownloadOptions {
  /** Base URLs, tried in order (config data.mirrors). */
  mirrors: readonly string[];
  /** Names and expected MD5s (default MNIST_FILES). */
  files?: readonly MnistFile[];
  onProgress?: DownloadProgress;
  fetchImpl?: typeof fetch;
  /** Aborting stops the download, deletes the part file and rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Download each file missing from `dir` (created if needed); returns the names downloaded. */
export async function downloadMnist(dir: string, options: DownloadOptions): Promise<string[]> {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw runtimeError(`cannot create the MNIST folder ${dir} (${(error as Error).message})`);
  }
  const missing = findIdxFiles(dir, options.files ?? MNIST_FILES).missing;
  for (const file of missing) await downloadFromAnyMirror(dir, file, options);
  return missing.map((file) => file.name);
}

async function downloadFromAnyMirror(dir: string, file: MnistFile, options: DownloadOptions): Promise<void> {
  const failures: string[] = [];
  for (const mirror of options.mirrors) {
    try {
      await downloadVerified(new URL(file.name, withTrailingSlash(mirror)).href, dir, file, options);
      return;
    } catch (error) {
      options.signal?.throwIfAborted();
      failures.push(`${mirror}: ${reasonOf(error)}`);
    }
  }
  throw runtimeError(`could not download ${file.name}: ${failures.join('; ')}`);
}

/** Fetch `url` into a part file and rename it to `dir/<name>` if its MD5 matches; never leaves the part file. */
async function downloadVerified(url: string, dir: string, file: MnistFile, options: DownloadOptions): Promise<void> {
  const destination = path.join(dir, file.name);
  const partFile = `${destination}.part-${process.pid}`;
  const removePartFile = (): void => rmSync(partFile, { force: true });
  process.once('exit', removePartFile); // the CLI may exit (e.g. on Ctrl-C) mid-download
  try {
    const md5 = await fetchToFile(url, partFile, file.name, options);
    if (md5 !== file.md5) throw new Error(`checksum mismatch (got ${md5}, expected ${file.md5})`);
    renameSync(partFile, destination);
  } finally {
    process.off('exit', removePartFile);
    removePartFile();
  }
}

/** Stream the response body of `url` into `target`, reporting progress; returns its MD5 (hex). */
async function fetchToFile(url: string, target: string, name: string, options: DownloadOptions): Promise<string> {
  const fetchImpl = options.fetchImpl ?? fetch;
  const response = await fetchImpl(url, { headers: { 'accept-encoding': 'identity' }, signal: options.signal ?? null });
  if (!response.ok || response.body === null) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status} ${response.statusText}`);
  }
  const total = Number(response.headers.get('content-length')) || undefined;
  const hash = createHash('md5');
  let received = 0;
  const hashAndCount = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      received += chunk.length;
      options.onProgress?.(name, received, total);
      done(null, chunk);
    },
  });
  const output = await open(target, 'w'); // created before streaming, so cleanup always finds it
  const body = Readable.fromWeb(response.body as ReadableStream<Uint8Array>);
  await pipeline(body, hashAndCount, output.createWriteStream());
  return hash.digest('hex');
}

function withTrailingSlash(mirror: string): string {
  return mirror.endsWith('/') ? mirror : `${mirror}/`;
}

/** The most specific one-line reason of a failed attempt (fetch hides it in `cause`). */
function reasonOf(error: unknown): string {
  const specific = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const message = specific instanceof Error ? specific.message : String(specific);
  return message.replace(/\s+/g, ' ');
}
