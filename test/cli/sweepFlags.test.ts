import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseJobs, refuseSweepFlags } from '../../src/cli/sweepFlags';
import { assertUsageError } from '../config/usage-error';

describe('parseJobs', () => {
  it('takes a whole number >= 1, and leaves the default when not given', () => {
    assert.deepEqual([parseJobs('1'), parseJobs('16'), parseJobs(undefined)], [1, 16, undefined]);
  });
  for (const text of ['0', '-1', '1.5', 'two', '', '1e3', '0x10', '99999999999999999999']) {
    it(`refuses --jobs ${JSON.stringify(text)}`, () => assertUsageError(() => parseJobs(text), `--jobs ${text}: expected a whole number >= 1`));
  }
});

describe('refuseSweepFlags', () => {
  it('refuses --jobs or --shard for a config without a sweep, naming the flag and the config', () => {
    assertUsageError(() => refuseSweepFlags({ jobs: '2' }, 'x.yaml'), '--jobs 2: only for a sweep, and x.yaml has no sweep section');
    assertUsageError(() => refuseSweepFlags({ shard: '1/2' }, 'x.yaml'), '--shard 1/2: only for a sweep, and x.yaml has no sweep section');
  });
  it('lets a run without them through', () => refuseSweepFlags({}, 'x.yaml'));
});
