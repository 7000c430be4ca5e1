/** `sparse-adam merge DIR... [--out DIR]`: one summary.csv from a sweep's shard folders. */
import { mergeSweeps } from '../sweep/merge';

export function mergeCommand(dirs: string[], options: { out?: string }): void {
  const out = options.out ?? dirs[0]!;
  const result = mergeSweeps(dirs, out);
  for (const { file, reason } of result.unreadable) process.stderr.write(`sparse-adam: warning: ${file}: ${reason}; that run is left out\n`);
  console.log(`merged ${result.runs} runs from ${dirs.length} folder(s) (${result.copied} copied) into ${result.summaryFile}`);
}
