/**
 * The IDX file format of MNIST (optionally gzip'd): a big-endian header, then raw bytes.
 *   images: magic 2051, count, rows, cols, then count*rows*cols pixels (0..255)
 *   labels: magic 2049, count, then count labels
 * Every malformed file is a user-facing one-line error naming the file.
 */
import { gunzipSync } from 'node:zlib';
import { runtimeError } from '../errors';

export interface IdxImages {
  kind: 'images';
  count: number;
  rows: number;
  cols: number;
  pixels: Uint8Array; // [count, rows * cols]
}

export interface IdxLabels {
  kind: 'labels';
  count: number;
  labels: Uint8Array; // [count]
}

const IMAGES_MAGIC = 2051;
const LABELS_MAGIC = 2049;
const IMAGES_HEADER_BYTES = 16;
const LABELS_HEADER_BYTES = 8;

/** Parse an IDX images or labels file; `file` names it in error messages. */
export function parseIdx(bytes: Uint8Array, file: string): IdxImages | IdxLabels {
  const raw = isGzip(bytes) ? gunzip(bytes, file) : bytes;
  if (raw.length < LABELS_HEADER_BYTES) {
    throw runtimeError(`${file}: not an IDX file: only ${raw.length} bytes, shorter than any IDX header`);
  }
  const header = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const magic = header.getUint32(0);
  if (magic === IMAGES_MAGIC) return parseImages(raw, header, file);
  if (magic === LABELS_MAGIC) return parseLabels(raw, header, file);
  throw runtimeError(
    `${file}: not an MNIST IDX file: magic number ${magic} (expected ${IMAGES_MAGIC} for images or ${LABELS_MAGIC} for labels)`,
  );
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function gunzip(bytes: Uint8Array, file: string): Uint8Array {
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw runtimeError(`${file}: corrupt gzip stream (${(error as Error).message})`);
  }
}

function parseImages(raw: Uint8Array, header: DataView, file: string): IdxImages {
  if (raw.length < IMAGES_HEADER_BYTES) {
    throw runtimeError(`${file}: truncated: ${raw.length} bytes, shorter than the ${IMAGES_HEADER_BYTES}-byte images header`);
  }
  const count = header.getUint32(4);
  const rows = header.getUint32(8);
  const cols = header.getUint32(12);
  if (count === 0 || rows === 0 || cols === 0) {
    throw runtimeError(`${file}: header says ${count} images of ${rows}x${cols}: nothing to load`);
  }
  const what = `${count} images of ${rows}x${cols}`;
  checkBodyLength(raw.length - IMAGES_HEADER_BYTES, count * rows * cols, what, file);
  return { kind: 'images', count, rows, cols, pixels: raw.subarray(IMAGES_HEADER_BYTES) };
}

function parseLabels(raw: Uint8Array, header: DataView, file: string): IdxLabels {
  const count = header.getUint32(4);
  if (count === 0) throw runtimeError(`${file}: header says 0 labels: nothing to load`);
  checkBodyLength(raw.length - LABELS_HEADER_BYTES, count, `${count} labels`, file);
  return { kind: 'labels', count, labels: raw.subarray(LABELS_HEADER_BYTES) };
}

function checkBodyLength(actual: number, expected: number, what: string, file: string): void {
  if (actual === expected) return;
  const problem = actual < expected ? 'truncated' : 'extra bytes';
  throw runtimeError(`${file}: ${problem}: header says ${what} (${expected} bytes) but ${actual} bytes follow`);
}
