/**
 * Write a file so that readers see the old content or the new, never half of either:
 * the content goes to a temp file beside it, which is renamed over it. A failed write
 * (a full disk, a read-only folder) leaves the old file and no temp file, and is reported
 * as a runtime error naming `file`, not the temp file (src/errors.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileError } from '../errors';

export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(temp, content);
    fs.renameSync(temp, file);
  } catch (error) {
    removeIfThere(temp);
    throw fileError(error, file);
  }
}

/** Best effort: where the write failed, so may the removal (a read-only folder); the first error is the one to report. */
function removeIfThere(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // nothing was created there, or nothing can be removed there
  }
}
