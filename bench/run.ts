/**
 * `npm run bench`: speed of the training step per mode x optimizer on each backend present,
 * evaluation time per epoch, peak RSS, the PyTorch peer when torch is installed, and the
 * throughput of a sweep on --jobs 2 against --jobs 1. Prints tables; saves results/bench.json.
 * Usage: npm run bench [-- --quick]  (quick: fewer steps, no cpu backend, no sweep)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { selectBackend, type BackendName } from '../src/backend/select';
import { configSchema, type Config } from '../src/config/schema';
import type { Dataset } from '../src/data/dataset';
import { loadEmbedded } from '../src/data/embedded';
import { loadIdxFolder } from '../src/data/folder';
import { evaluateModel } from '../src/eval/evaluate';
import { disposeParams, initParams } from '../src/model/params';
import { writeFileAtomic } from '../src/results/atomic';
import { peerAvailable, runPeer } from './peer';
import { timeSteps } from './steps';
import { sweepThroughput } from './sweep';

const REPO = path.resolve(__dirname, '../..');
const SHARED = path.resolve(REPO, '../shared');
const quick = process.argv.includes('--quick');

function loadData(): Dataset {
  const dir = path.join(SHARED, 'mnist');
  return fs.existsSync(dir) ? loadIdxFolder(dir) : loadEmbedded({ testCount: 2000, seed: 0 });
}

function configFor(mode: string, optimizer: string): Config {
  return configSchema.parse({ train: { mode }, optimizer: { name: optimizer } });
}

const COMBINATIONS = ['mask', 'gather', 'gather-remask'].flatMap((mode) => ['adam', 'lazy-adam'].map((optimizer) => ({ mode, optimizer })));

async function backendsPresent(): Promise<BackendName[]> {
  const names: BackendName[] = quick ? ['tensorflow', 'wasm'] : ['tensorflow', 'wasm', 'cpu'];
  const present: BackendName[] = [];
  for (const name of names) {
    try {
      await selectBackend(name);
      present.push(name);
    } catch {
      console.log(`backend ${name}: not available, skipped`);
    }
  }
  return present;
}

async function main(): Promise<void> {
  const dataset = loadData();
  const stepsPerEpoch = Math.floor(dataset.train.count / 100);
  console.log(`data ${dataset.description}; ${os.cpus().length} cores`);
  const rows: Record<string, string | number>[] = [];
  for (const backend of await backendsPresent()) {
    await selectBackend(backend);
    const [warmup, steps] = backend === 'cpu' ? [1, 3] : quick ? [3, 10] : [5, 40];
    for (const { mode, optimizer } of COMBINATIONS) {
      const ms = timeSteps(configFor(mode, optimizer), dataset.train, warmup, steps);
      rows.push({ backend, mode, optimizer, ms_per_step: ms, seconds_per_epoch: (ms * stepsPerEpoch) / 1000 });
      console.log(`${backend} ${mode} ${optimizer}: ${ms.toFixed(2)} ms per step`);
    }
    const config = configFor('mask', 'adam');
    const params = initParams(config.model, dataset.train.pixels, 0);
    const evaluation = evaluateModel(params, dataset, config);
    disposeParams(params);
    rows.push({ backend, mode: 'evaluation', optimizer: '-', ms_per_step: '-', seconds_per_epoch: evaluation.eval_seconds });
  }
  const peerScript = path.join(SHARED, 'bench', 'torch_ksae.py');
  const missing = peerAvailable(peerScript);
  const peerMs = missing === null ? runPeer(peerScript, path.join(SHARED, 'mnist'), 6000) : null;
  console.log(peerMs === null ? `peer: skipped (${missing})` : `peer (PyTorch, 1 thread): ${peerMs.toFixed(2)} ms per step`);
  const sweep = quick ? null : sweepThroughput(REPO);
  const report = {
    date: new Date().toISOString(),
    data: dataset.description,
    steps_per_epoch: stepsPerEpoch,
    rows: rows.map((row) => ({ ...row, peer_ratio: peerMs && typeof row.ms_per_step === 'number' ? row.ms_per_step / peerMs : null })),
    peer_ms_per_step: peerMs,
    sweep,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  };
  console.table(report.rows);
  if (sweep) console.log(`sweep throughput: --jobs 1 ${sweep.jobs1_seconds.toFixed(1)} s, --jobs 2 ${sweep.jobs2_seconds.toFixed(1)} s: ${sweep.speedup.toFixed(2)}x`);
  console.log(`peak RSS ${report.peak_rss_mb.toFixed(0)} MB`);
  fs.mkdirSync(path.join(REPO, 'results'), { recursive: true });
  writeFileAtomic(path.join(REPO, 'results', 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log('saved results/bench.json');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
