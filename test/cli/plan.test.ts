import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/load';
import { expandSweep } from '../../src/sweep/expand';
import type { Config } from '../../src/config/schema';
import { createDataLoader } from '../../src/sweep/context';
import { runId, sweepId } from '../../src/sweep/ids';
import { runInputs } from '../../src/sweep/jobs';
import { runCli } from './cli';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparse-adam-plan-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const SWEEP = path.join(dir, 'lr-sweep.yaml');
fs.writeFileSync(
  SWEEP,
  'name: lr-sweep\nsweep:\n  optimizer.lr: { from: 1.0e-4, to: 1.0e-1, count: 7 }\n  optimizer.name: [adam, adam-tf-sparse, lazy-adam]\n',
);
const LRS = ['1e-4', '3.162e-4', '0.001', '0.003162', '0.01', '0.03162', '0.1'];

/** No SLURM array task, whatever machine the tests run on; `slurm` adds one. */
function plan(args: string[], slurm: NodeJS.ProcessEnv = {}) {
  const noTask = { SLURM_ARRAY_TASK_ID: '', SLURM_ARRAY_TASK_COUNT: '', SLURM_ARRAY_TASK_MIN: '' };
  return runCli(['plan', ...args], { env: { ...noTask, ...slurm } });
}

/** The header line and the table's rows, each split into its cells. */
function parsePlan(stdout: string): { header: string; columns: string[]; rows: string[][] } {
  const [header = '', columns = '', ...rows] = stdout.trimEnd().split('\n');
  return { header, columns: columns.split(/ +/), rows: rows.map((row) => row.split(/ +/)) };
}

/** The id a run of `config` gets: the embedded data's fingerprint depends on its seed. */
const data = createDataLoader();
async function idOf(config: Config): Promise<string> {
  return runId(config, await runInputs(config, data, 'test'));
}

describe('plan: the runs of a sweep', () => {
  const base = resolveConfig({ file: SWEEP });
  const points = expandSweep(base, SWEEP);

  it('lists every run: id, the swept values, the folder', async () => {
    const result = await plan([SWEEP]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const { header, columns, rows } = parsePlan(result.stdout);
    assert.equal(header, `sweep ${sweepId(base)}: 21 runs (optimizer.lr x optimizer.name)`);
    assert.deepEqual(columns, ['id', 'optimizer.lr', 'optimizer.name', 'folder']);
    assert.deepEqual(rows.map((row) => row[0]), await Promise.all(points.map((point) => idOf(point.config))));
    assert.deepEqual(rows.map((row) => row[1]), LRS.flatMap((lr) => [lr, lr, lr]));
    assert.deepEqual(rows.slice(0, 3).map((row) => row[2]), ['adam', 'adam-tf-sparse', 'lazy-adam']);
    assert.ok(rows.every(([id, , , folder]) => folder === `runs/${id}`));
  });

  it('lists the share of --shard 1/2: every other run from the first', async () => {
    const result = await plan([SWEEP, '--shard', '1/2']);
    assert.equal(result.code, 0, result.stderr);
    const { header, rows } = parsePlan(result.stdout);
    assert.equal(header, `sweep ${sweepId(base)}: 21 runs (optimizer.lr x optimizer.name), shard 1/2: 11 runs`);
    const expected = await Promise.all(points.filter((point) => point.index % 2 === 0).map((point) => idOf(point.config)));
    assert.deepEqual(rows.map((row) => row[0]), expected);
  });

  it('takes the shard of a SLURM array task, and --shard over it', async () => {
    const slurm = { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '2' };
    assert.match((await plan([SWEEP], slurm)).stdout, /^sweep \w+: 21 runs \(optimizer.lr x optimizer.name\), shard 2\/2: 10 runs\n/);
    assert.match((await plan([SWEEP, '--shard', '1/3'], slurm)).stdout, /^sweep \w+: 21 runs \(optimizer.lr x optimizer.name\), shard 1\/3: 7 runs\n/);
  });

  it('takes the sweep from --set', async () => {
    const result = await plan(['--set', 'sweep={seed: 3}']);
    assert.equal(result.code, 0, result.stderr);
    const { header, columns, rows } = parsePlan(result.stdout);
    assert.match(header, /^sweep [0-9a-f]{10}: 3 runs \(seed\)$/);
    assert.deepEqual(columns, ['id', 'seed', 'folder']);
    assert.deepEqual(rows.map((row) => row[1]), ['0', '1', '2']);
  });

  it('leaves the ids out, saying why, when the data is not here (and downloads nothing)', async () => {
    const missing = path.join(dir, 'no-mnist');
    const result = await plan([SWEEP, '--data-dir', missing]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^sparse-adam: run ids need the data's fingerprint, and no MNIST in .*no-mnist: missing .*\n$/);
    const { rows } = parsePlan(result.stdout);
    assert.equal(rows.length, 21);
    assert.ok(rows.every(([id, , , folder]) => id === '-' && folder === '-'));
    assert.equal(fs.existsSync(missing), false);
  });

  it('lists the one run of a config without a sweep', async () => {
    const result = await plan([]);
    assert.equal(result.code, 0, result.stderr);
    const id = await idOf(resolveConfig({}));
    assert.equal(result.stdout, `sweep ${sweepId(resolveConfig({}))}: 1 run\nid          folder\n${id}  runs/${id}\n`);
  });
});

describe('plan: refusals, one line and exit code 2', () => {
  const BAD = path.join(dir, 'bad-lr.yaml');
  fs.writeFileSync(BAD, 'sweep:\n  optimizer.lr: [0.1, -1]\n');
  const cases: [args: string[], message: string][] = [
    [[SWEEP, '--shard', '3/2'], '--shard 3/2: expected I/N with 1 <= I <= N'],
    [[BAD], `${BAD}: sweep.optimizer.lr: -1: expected a positive number`],
    [['--set', 'sweep={model.k: 3}'], '--set sweep={model.k: 3}: sweep.model.k: a count (3) is only for seed; give a list of values'],
  ];
  for (const [args, message] of cases) {
    it(`refuses ${args.join(' ')}`, async () => {
      const result = await plan(args);
      assert.deepEqual([result.code, result.stdout, result.stderr], [2, '', `sparse-adam: ${message}\n`]);
    });
  }

  it('refuses a SLURM task id outside the array', async () => {
    const result = await plan([SWEEP], { SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_COUNT: '2' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^sparse-adam: SLURM_ARRAY_TASK_ID=5, SLURM_ARRAY_TASK_MIN=\(unset\), SLURM_ARRAY_TASK_COUNT=2: .*\n$/);
  });
});
