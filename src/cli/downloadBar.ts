/**
 * Download progress, on stderr (src/cli/streams.ts): a bar per file on a terminal, a line
 * per file otherwise, and a line when a mirror fails and the next one is tried.
 */
import { SingleBar } from 'cli-progress';
import type { DownloadProgress } from '../data/download';

export function createDownloadProgress(out: NodeJS.WriteStream = process.stderr): { onProgress: DownloadProgress; stop(): void } {
  let current: string | null = null;
  let bar: SingleBar | null = null;
  const stop = () => {
    bar?.stop();
    bar = null;
    current = null;
  };
  const onProgress: DownloadProgress = {
    received(file, received, total) {
      if (file !== current) {
        stop();
        current = file;
        if (!out.isTTY) out.write(`download ${file}${total ? ` (${total} bytes)` : ''}\n`);
        else {
          bar = new SingleBar({ format: `download ${file} [{bar}] {percentage}% {value}/{total} bytes`, stream: out });
          bar.start(total ?? 0, 0);
        }
      }
      bar?.update(received);
    },
    mirrorFailed(file, mirror, reason) {
      stop();
      out.write(`download ${file}: ${mirror}: ${reason}; trying the next mirror\n`);
    },
  };
  return { onProgress, stop };
}
