/**
 * `npm run bench`: the speed of the training step per mode x optimizer on each backend
 * present, against the PyTorch peer (../shared/bench/torch_ksae.py, 1 thread) measured in
 * the same session; the kernel profile of the default step; one epoch's training and
 * evaluation time; RSS across the epochs of a small run; the throughput of a sweep on
 * --jobs 2 against --jobs 1, with runs of the default length and of 2 epochs (sweep.ts).
 * Prints tables; saves results/bench.json.
 * Usage: npm run bench [-- --quick | --sweep]  (quick: fewer steps and epochs, no cpu
 *   backend, no sweep; sweep: only the sweep throughput, saved to results/bench-sweep.json)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { selectBackend, type BackendName } from '../src/backend/select';
import { configSchema, type Config } from '../src/config/schema';
import type { Dataset } from '../src/data/dataset';
import { loadEmbedded } from '../src/data/embedded';
import { loadIdxFolder } from '../src/data/folder';
import { writeFileAtomic } from '../src/results/atomic';
import { epochCost, rssAcrossEpochs } from './epochs';
import { peerAvailable, runPeer } from './peer';
import { printReport, printSweeps, type BenchReport, type StepRow } from './print';
import { profileSteps, timeSteps } from './steps';
import { sweepThroughput } from './sweep';

const REPO = path.resolve(__dirname, '../..');
const SHARED = path.resolve(REPO, '../shared');
const quick = process.argv.includes('--quick');
const sweepOnly = process.argv.includes('--sweep');

const MNIST = path.join(SHARED, 'mnist');
const mnistDir = fs.existsSync(MNIST) ? MNIST : null;

function loadData(): Dataset {
  return mnistDir ? loadIdxFolder(mnistDir) : loadEmbedded({ testCount: 2000, seed: 0 });
}

function configFor(mode: string, optimizer: string): Config {
  return configSchema.parse({ train: { mode }, optimizer: { name: optimizer } });
}

const COMBINATIONS = ['mask', 'gather', 'gather-remask'].flatMap((mode) => ['adam', 'lazy-adam', 'count-adam'].map((optimizer) => ({ mode, optimizer })));

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

async function stepRows(dataset: Dataset, backends: BackendName[]): Promise<StepRow[]> {
  const rows: StepRow[] = [];
  for (const backend of backends) {
    await selectBackend(backend);
    const [warmup, steps] = backend === 'cpu' ? [1, 3] : quick ? [3, 10] : [5, 40];
    for (const { mode, optimizer } of COMBINATIONS) {
      const ms = await timeSteps(configFor(mode, optimizer), dataset.train, warmup, steps);
      rows.push({ backend, mode, optimizer, ms_per_step: ms });
      console.log(`${backend} ${mode} ${optimizer}: ${ms.toFixed(2)} ms per step`);
    }
  }
  return rows;
}

function save(file: string, report: object): void {
  fs.mkdirSync(path.join(REPO, 'results'), { recursive: true });
  writeFileAtomic(path.join(REPO, 'results', file), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`saved results/${file}`);
}

async function main(): Promise<void> {
  if (sweepOnly) {
    const sweep = sweepThroughput(REPO, mnistDir, 3);
    printSweeps(sweep);
    return save('bench-sweep.json', { date: new Date().toISOString(), cores: os.cpus().length, sweep });
  }
  const dataset = loadData();
  console.log(`data ${dataset.description}; ${os.cpus().length} cores`);
  const backends = await backendsPresent();
  const steps = await stepRows(dataset, backends);
  const peerScript = path.join(SHARED, 'bench', 'torch_ksae.py');
  const missing = peerAvailable(peerScript);
  const peerMs = missing === null ? runPeer(peerScript, MNIST, 6000) : null;
  if (missing !== null) console.log(`peer: skipped (${missing})`);
  const fastest = backends[0]!;
  await selectBackend(fastest);
  const defaultConfig = configFor('mask', 'adam');
  const report: BenchReport = {
    date: new Date().toISOString(),
    data: dataset.description,
    cores: os.cpus().length,
    steps,
    peer_ms_per_step: peerMs,
    profile: { backend: fastest, mode: 'mask', optimizer: 'adam', ...(await profileSteps(defaultConfig, dataset.train, quick ? 5 : 20)) },
    epoch: { backend: fastest, mode: 'mask', optimizer: 'adam', ...(await epochCost(dataset, defaultConfig)) },
    rss: { backend: fastest, ...(await rssAcrossEpochs(dataset, defaultConfig, quick ? 5 : 20, 2000)) },
    sweep: quick ? null : sweepThroughput(REPO, mnistDir, 3),
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  };
  printReport(report);
  save('bench.json', report);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
