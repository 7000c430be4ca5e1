/** Run the built CLI (bin/sparse-adam) as a user would, capturing its output. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '../../..');
export const BIN = path.join(REPO, 'bin', 'sparse-adam');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Three short epochs on the embedded subset (a few seconds); weights.json (50 x 784 floats, base64) is about 210 kB, the other files a few kB. */
export const SHORT_RUN = `
name: short
data: { train_limit: 1000, test_limit: 300 }
model: { hidden: 50, k: 10 }
train: { epochs: 3, batch_size: 50 }
eval: { classifier_epochs: 3, classifier_l2: [0.001] }
`;

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this user (see test/cli/users.ts). */
  user?: { uid: number; gid: number };
  /** Kills a CLI that hangs (ms), so that the test fails instead of waiting forever. */
  timeout?: number;
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? REPO,
      env: { ...process.env, SPARSE_ADAM_DATA_DIR: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...options.user,
      timeout: options.timeout,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Parse a CSV with a header row and plain (unquoted) cells into objects. */
export function readCsv(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split('\n');
  const columns = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i]!, cell])));
}

/** Lines the CLI prints on stderr while it works (src/cli/streams.ts): progress, not errors. */
const PROGRESS_LINE = /^(epoch \d+\/\d+ (step|evaluating)|download )/;

/** The CLI failed the way a user's mistake or a runtime failure should: `code`, one error line on stderr
 *  (after any progress lines) matching `line`, no stack. */
export function assertOneLineError(result: CliResult, code: number, line: RegExp): void {
  assert.equal(result.code, code, result.stderr);
  const lines = result.stderr.trimEnd().split('\n');
  assert.deepEqual(lines.slice(0, -1).filter((l) => !PROGRESS_LINE.test(l)), [], `one error line: ${result.stderr}`);
  assert.match(`${lines.at(-1)}\n`, line);
  assert.doesNotMatch(result.stderr, /internal error|\bat \S+ \(/, 'no internal error, no stack trace');
}

/** `text` matched literally inside a RegExp. */
export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
