/**
 * An MNIST folder: the four standard IDX files, each gzip'd (`.gz`) or raw.
 * Only the IDX structure of a folder is checked, never its checksums: a user's folder may
 * legitimately hold other images (the shared test folder has a 24,000-image train set).
 * Checksums are verified for downloads only (download.ts).
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { assert, describeSystemError, isSystemError, runtimeError } from '../errors';
import type { Dataset, Split } from './dataset';
import { parseIdx, type IdxImages, type IdxLabels } from './idx';

export interface MnistFile {
  /** The canonical (gzip'd) file name. */
  name: string;
  /** MD5 of the canonical file (SPEC.md §1). */
  md5: string;
  split: 'train' | 'test';
  kind: 'images' | 'labels';
}

export const MNIST_FILES: readonly MnistFile[] = [
  { name: 'train-images-idx3-ubyte.gz', md5: 'f68b3c2dcbeaaa9fbdd348bbdeb94873', split: 'train', kind: 'images' },
  { name: 'train-labels-idx1-ubyte.gz', md5: 'd53e105ee54ea40749a09fcbcd1e9432', split: 'train', kind: 'labels' },
  { name: 't10k-images-idx3-ubyte.gz', md5: '9fb629c4189551a2d022fa330f9573f3', split: 'test', kind: 'images' },
  { name: 't10k-labels-idx1-ubyte.gz', md5: 'ec29112dd5afa0611ce80d1b7f02629c', split: 'test', kind: 'labels' },
];

const MNIST_PIXELS = 28 * 28;

export interface FoundIdxFiles {
  /** Canonical name -> path of the file present (the `.gz` one when both are). */
  paths: Map<string, string>;
  missing: MnistFile[];
}

/**
 * Whether `dir` is there (false: it does not exist). A folder that cannot be read, or a
 * file where the folder should be, is an error saying so: never taken for a folder
 * without the files (which would start a download).
 */
function isIdxFolder(dir: string): boolean {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
    if (isDirectory) accessSync(dir, constants.R_OK | constants.X_OK);
  } catch (error) {
    if (isSystemError(error) && error.code === 'ENOENT') return false;
    throw runtimeError(`IDX folder ${dir} is unreadable: ${isSystemError(error) ? describeSystemError(error) : String(error)}`);
  }
  if (!isDirectory) throw runtimeError(`IDX folder ${dir} is a file, not a folder`);
  return true;
}

/** Which of `files` (the four MNIST files) exist in `dir`, gzip'd or raw; a missing dir has none. */
export function findIdxFiles(dir: string, files: readonly MnistFile[] = MNIST_FILES): FoundIdxFiles {
  const paths = new Map<string, string>();
  const missing: MnistFile[] = [];
  if (!isIdxFolder(dir)) return { paths, missing: [...files] };
  for (const file of files) {
    const candidates = [file.name, rawName(file)].map((name) => path.join(dir, name));
    const present = candidates.find((candidate) => existsSync(candidate));
    if (present === undefined) missing.push(file);
    else paths.set(file.name, present);
  }
  return { paths, missing };
}

/** How a missing file is named to the user: either form is accepted. */
export function describeMissing(missing: readonly MnistFile[]): string {
  return missing.map((file) => `${rawName(file)}(.gz)`).join(', ');
}

/** Read and check the four IDX files of `dir`; pixels become pixels/255. */
export function loadIdxFolder(dir: string): Dataset {
  if (!isIdxFolder(dir)) throw runtimeError(`IDX folder ${dir} does not exist`);
  const { paths, missing } = findIdxFiles(dir);
  if (missing.length > 0) throw runtimeError(`IDX folder ${dir}: missing ${describeMissing(missing)}`);
  const train = loadSplit(pathOf(paths, 'train', 'images'), pathOf(paths, 'train', 'labels'));
  const test = loadSplit(pathOf(paths, 'test', 'images'), pathOf(paths, 'test', 'labels'));
  return { train, test, description: `IDX folder ${dir}: ${train.count} train / ${test.count} test images` };
}

function rawName(file: MnistFile): string {
  return file.name.replace(/\.gz$/, '');
}

function pathOf(paths: Map<string, string>, split: MnistFile['split'], kind: MnistFile['kind']): string {
  const file = MNIST_FILES.find((candidate) => candidate.split === split && candidate.kind === kind);
  const found = file && paths.get(file.name);
  assert(found !== undefined, () => `no path for the ${split} ${kind} file among ${[...paths.keys()].join(', ')}`);
  return found;
}

function loadSplit(imagesPath: string, labelsPath: string): Split {
  const images = readIdx(imagesPath, 'images');
  const labels = readIdx(labelsPath, 'labels');
  if (images.rows * images.cols !== MNIST_PIXELS) {
    throw runtimeError(`${imagesPath}: images are ${images.rows}x${images.cols}, expected 28x28 (${MNIST_PIXELS} pixels)`);
  }
  if (images.count !== labels.count) {
    throw runtimeError(`${imagesPath} has ${images.count} images but ${labelsPath} has ${labels.count} labels`);
  }
  const badLabel = labels.labels.findIndex((label) => label > 9);
  if (badLabel >= 0) {
    throw runtimeError(`${labelsPath}: label ${badLabel} is ${labels.labels[badLabel]}, expected a digit 0..9`);
  }
  return { images: scalePixels(images.pixels), labels: labels.labels, count: images.count, pixels: MNIST_PIXELS };
}

type IdxOfKind<K extends MnistFile['kind']> = Extract<IdxImages | IdxLabels, { kind: K }>;

function readIdx<K extends MnistFile['kind']>(file: string, kind: K): IdxOfKind<K> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw runtimeError(`${file}: cannot read (${(error as Error).message})`);
  }
  const content = parseIdx(bytes, file);
  if (content.kind !== kind) throw runtimeError(`${file}: holds ${content.kind}, expected ${kind}`);
  return content as IdxOfKind<K>;
}

function scalePixels(pixels: Uint8Array): Float32Array {
  const scaled = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) scaled[i] = pixels[i]! / 255;
  return scaled;
}
