/** Write a file so that readers see the old content or the new, never half of either. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(temp, content);
    fs.renameSync(temp, file);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}
