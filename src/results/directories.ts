/**
 * `mkdir -p` that reports why it failed. Node's recursive mkdir says ENOENT when the real
 * cause is a read-only file system or a full disk (nodejs/node#47098, #42808); created one
 * level at a time, the real error shows (EROFS, ENOSPC, EACCES), and is reported as a
 * runtime error naming the folder (src/errors.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileError, isSystemError } from '../errors';

/** Create `dir` and its missing parents; returns the first folder created (undefined: it was there). */
export function makeDirectory(dir: string): string | undefined {
  try {
    return fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    if (!isSystemError(error) || error.code !== 'ENOENT') throw fileError(error, dir);
    return makeLevelByLevel(dir);
  }
}

function makeLevelByLevel(dir: string): string | undefined {
  const missing: string[] = [];
  for (let level = path.resolve(dir); !fs.existsSync(level) && level !== path.dirname(level); level = path.dirname(level)) {
    missing.unshift(level);
  }
  try {
    for (const level of missing) fs.mkdirSync(level);
  } catch (error) {
    throw fileError(error, dir);
  }
  return missing[0];
}
