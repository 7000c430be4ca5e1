/**
 * Download the MNIST IDX files from the mirrors of SPEC.md §1, verified by MD5.
 * Each file streams into `<name>.part-<pid>` beside its destination and is renamed into place
 * only when its MD5 matches. A failed, aborted or interrupted attempt deletes the part file,
 * so the folder never holds a partial or unverified file; when nothing could be downloaded,
 * the folders created for it are removed too. A mirror silent for `timeoutSeconds` (no
 * response headers, or a body that stops) is given up on, and the next one tried.
 * Progress and fallbacks go to callbacks: bars, signals and exits belong to the CLI.
 */
import { createHash } from 'node:crypto';
import { renameSync, rmdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import { runtimeError } from '../errors';
import { makeDirectory } from '../results/directories';
import { findIdxFiles, MNIST_FILES, type MnistFile } from './folder';

/** What a download reports as it goes. */
export interface DownloadProgress {
  /** Bytes of `file` received so far, of `totalBytes` when the mirror says. */
  received(file: string, receivedBytes: number, totalBytes: number | undefined): void;
  /** A mirror failed for `file`, and the next one is tried: why. */
  mirrorFailed?(file: string, mirror: string, reason: string): void;
}

export interface DownloadOptions {
  /** Base URLs, tried in order (config data.mirrors). */
  mirrors: readonly string[];
  /** Seconds a mirror may be silent before the next is tried (config data.download_timeout). */
  timeoutSeconds: number;
  /** Names and expected MD5s (default MNIST_FILES). */
  files?: readonly MnistFile[];
  onProgress?: DownloadProgress;
  fetchImpl?: typeof fetch;
  /** Aborting stops the download, deletes the part file and rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Download each file missing from `dir` (created if needed); returns the names downloaded. */
export async function downloadMnist(dir: string, options: DownloadOptions): Promise<string[]> {
  const created = makeDirectory(dir);
  const missing = findIdxFiles(dir, options.files ?? MNIST_FILES).missing;
  const downloaded: string[] = [];
  try {
    for (const file of missing) {
      await downloadFromAnyMirror(dir, file, options);
      downloaded.push(file.name);
    }
  } catch (error) {
    if (downloaded.length === 0 && created !== undefined) removeEmptyFolders(dir, created);
    throw error;
  }
  return downloaded;
}

/** Remove `dir` and its parents up to `top` (the first folder this download created), while they are empty. */
function removeEmptyFolders(dir: string, top: string): void {
  for (let folder = path.resolve(dir); ; folder = path.dirname(folder)) {
    try {
      rmdirSync(folder);
    } catch {
      return; // not empty (someone else's file), or already gone
    }
    if (folder === path.resolve(top)) return;
  }
}

async function downloadFromAnyMirror(dir: string, file: MnistFile, options: DownloadOptions): Promise<void> {
  const failures: string[] = [];
  for (const [i, mirror] of options.mirrors.entries()) {
    try {
      await downloadVerified(new URL(file.name, withTrailingSlash(mirror)).href, dir, file, options);
      return;
    } catch (error) {
      options.signal?.throwIfAborted();
      failures.push(`${mirror}: ${reasonOf(error)}`);
      if (i + 1 < options.mirrors.length) options.onProgress?.mirrorFailed?.(file.name, mirror, reasonOf(error));
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
  const silence = silenceTimer(options.timeoutSeconds);
  const signal = options.signal ? AbortSignal.any([options.signal, silence.signal]) : silence.signal;
  try {
    const response = await fetchImpl(url, { headers: { 'accept-encoding': 'identity' }, signal });
    if (!response.ok || response.body === null) {
      await response.body?.cancel();
      throw new Error(`HTTP ${response.status} ${response.statusText}`);
    }
    const total = Number(response.headers.get('content-length')) || undefined;
    const hash = createHash('md5');
    let received = 0;
    silence.waitFor(() => `no data for ${options.timeoutSeconds} s after ${received}${total ? ` of ${total}` : ''} bytes`);
    const hashAndCount = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        silence.heard();
        hash.update(chunk);
        received += chunk.length;
        options.onProgress?.received(name, received, total);
        done(null, chunk);
      },
    });
    const output = await open(target, 'w'); // created before streaming, so cleanup always finds it
    const body = Readable.fromWeb(response.body as ReadableStream<Uint8Array>);
    await pipeline(body, hashAndCount, output.createWriteStream());
    return hash.digest('hex');
  } catch (error) {
    if (silence.signal.aborted && !options.signal?.aborted) throw silence.signal.reason;
    throw error;
  } finally {
    silence.stop();
  }
}

/** Aborts when nothing was heard for `seconds`: first the response headers, then each chunk of the body. */
function silenceTimer(seconds: number) {
  const controller = new AbortController();
  let waitingFor = () => `no response within ${seconds} s`;
  const timer = setTimeout(() => controller.abort(new Error(`${waitingFor()} (data.download_timeout)`)), seconds * 1000);
  return {
    signal: controller.signal,
    waitFor(what: () => string) {
      waitingFor = what;
      timer.refresh();
    },
    heard: () => timer.refresh(),
    stop: () => clearTimeout(timer),
  };
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
