/** The bench's tables: what `npm run bench` prints from its report. */
import type { EpochCost, RssAcrossEpochs } from './epochs';
import type { KernelTime } from './steps';
import type { SweepThroughput, SweepThroughputs } from './sweep';

export interface StepRow {
  backend: string;
  mode: string;
  optimizer: string;
  ms_per_step: number;
}

export interface BenchReport {
  date: string;
  data: string;
  cores: number;
  steps: StepRow[];
  peer_ms_per_step: number | null;
  profile: { backend: string; mode: string; optimizer: string; wall_ms: number; kernels: KernelTime[] };
  epoch: { backend: string; mode: string; optimizer: string } & EpochCost;
  rss: { backend: string } & RssAcrossEpochs;
  sweep: SweepThroughputs | null;
  peak_rss_mb: number;
}

const fixed = (x: number, digits = 2) => Number(x.toFixed(digits));

/** One row per mode x optimizer, ms per step per backend, and each backend's ratio to the peer. */
function stepTable(report: BenchReport): Record<string, string | number>[] {
  const backends = [...new Set(report.steps.map((r) => r.backend))];
  const keys = [...new Set(report.steps.map((r) => `${r.mode} ${r.optimizer}`))];
  return keys.map((key) => {
    const row: Record<string, string | number> = { 'mode optimizer': key };
    for (const backend of backends) {
      const ms = report.steps.find((r) => r.backend === backend && `${r.mode} ${r.optimizer}` === key)!.ms_per_step;
      row[`${backend} ms`] = fixed(ms);
      if (report.peer_ms_per_step) row[`${backend} / peer`] = fixed(ms / report.peer_ms_per_step);
    }
    return row;
  });
}

function printSweep({ data, rounds, median_speedup }: SweepThroughput): void {
  const each = rounds.map((r) => `${r.jobs1_seconds.toFixed(1)} s / ${r.jobs2_seconds.toFixed(1)} s = ${r.speedup.toFixed(2)}x`);
  console.log(`sweep throughput (${data}), --jobs 1 / --jobs 2 in ${rounds.length} interleaved rounds: ${each.join('; ')}; median ${median_speedup.toFixed(2)}x`);
}

export function printSweeps(sweeps: SweepThroughputs): void {
  for (const sweep of [sweeps.default_length, sweeps.short]) printSweep(sweep);
}

export function printReport(report: BenchReport): void {
  console.log('\nms per training step (median; H 1000, k 25, B 100, from fresh weights):');
  console.table(stepTable(report));
  const peer = report.peer_ms_per_step;
  console.log(peer === null ? 'peer: not measured' : `peer (PyTorch, 1 thread, same session): ${peer.toFixed(2)} ms per step`);
  const { profile } = report;
  const kernelMs = profile.kernels.reduce((sum, k) => sum + k.ms_per_step, 0);
  console.log(`\nwhere the time goes (${profile.backend} ${profile.mode} ${profile.optimizer}, profiled: ${profile.wall_ms.toFixed(1)} ms per step, kernels ${kernelMs.toFixed(1)}):`);
  console.table(profile.kernels.slice(0, 12).map((k) => ({ kernel: k.kernel.slice(0, 70), ms: fixed(k.ms_per_step), calls: fixed(k.calls_per_step, 1) })));
  const { epoch } = report;
  console.log(
    `one epoch (${epoch.backend} ${epoch.mode} ${epoch.optimizer}): training ${epoch.train_seconds.toFixed(1)} s, ` +
      `evaluation ${epoch.eval_seconds.toFixed(1)} s (${(100 * epoch.eval_fraction).toFixed(0)}% of training)`,
  );
  const { rss } = report;
  console.log(
    `RSS after each of ${rss.rss_mb.length} epochs (${rss.backend}, ${rss.train_images} images): ` +
      `${rss.rss_mb.map((mb) => mb.toFixed(0)).join(' ')} MB; growth from epoch ${rss.settled_epoch} to ${rss.rss_mb.length}: ${rss.growth_mb.toFixed(1)} MB`,
  );
  if (report.sweep) printSweeps(report.sweep);
  console.log(`peak RSS ${report.peak_rss_mb.toFixed(0)} MB`);
}
