/** Test helper: a call must fail with a one-line usage error (exit code 2) of a given text. */
import assert from 'node:assert/strict';
import { UserError } from '../../src/errors';

/** `expected` is the whole message, or a pattern it must match. */
export function assertUsageError(call: () => unknown, expected: string | RegExp): void {
  assert.throws(call, (error: unknown) => {
    assert.ok(error instanceof UserError, `not a UserError: ${String(error)}`);
    assert.equal(error.exitCode, 2);
    assert.ok(!error.message.includes('\n'), `message spans lines: ${JSON.stringify(error.message)}`);
    if (typeof expected === 'string') assert.equal(error.message, expected);
    else assert.match(error.message, expected);
    return true;
  });
}
