/** writeFileAtomic: a failed write leaves the old file as it was, no temp file, and an error naming the file. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { writeFileAtomic } from '../../src/results/atomic';
import { withTmpfs } from '../cli/users';
import { userError, withTempDir } from '../data/fixtures';

test('a full disk: the old file is kept whole, no temp file is left, the error names the file (ENOSPC)', async (t) => {
  const skipped = await withTmpfs('size=16k', async (dir) => {
    const file = path.join(dir, 'metrics.csv');
    writeFileAtomic(file, 'epoch\n1\n');
    assert.throws(() => writeFileAtomic(file, 'x'.repeat(64 * 1024)), userError(new RegExp(`^${file}: no space left on device \\(ENOSPC\\)$`)));
    assert.equal(fs.readFileSync(file, 'utf8'), 'epoch\n1\n');
    assert.deepEqual(fs.readdirSync(dir), ['metrics.csv']);
  });
  if (skipped) t.skip(skipped);
});

test('a folder where the file should go: the rename fails, the folder is untouched, no temp file is left', () =>
  withTempDir((dir) => {
    const file = path.join(dir, 'run.json');
    fs.mkdirSync(file);
    fs.writeFileSync(path.join(file, 'mine'), 'mine');
    assert.throws(() => writeFileAtomic(file, '{}'), userError(new RegExp(`^${file}: illegal operation on a directory \\(EISDIR\\)$`)));
    assert.deepEqual(fs.readdirSync(dir), ['run.json']);
    assert.deepEqual(fs.readdirSync(file), ['mine']);
  }));
