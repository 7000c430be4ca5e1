/** Download progress: a bar per file on a terminal, a line per file otherwise. */
import { SingleBar } from 'cli-progress';
import type { DownloadProgress } from '../data/download';

export function createDownloadProgress(out: NodeJS.WriteStream = process.stderr): { onProgress: DownloadProgress; stop(): void } {
  let current: string | null = null;
  let bar: SingleBar | null = null;
  const stop = () => {
    bar?.stop();
    bar = null;
  };
  const onProgress: DownloadProgress = (file, received, total) => {
    if (file !== current) {
      stop();
      current = file;
      out.write(out.isTTY ? '' : `download ${file}${total ? ` (${total} bytes)` : ''}\n`);
      if (out.isTTY) {
        bar = new SingleBar({ format: `download ${file} [{bar}] {percentage}% {value}/{total} bytes`, stream: out });
        bar.start(total ?? 0, 0);
      }
    }
    bar?.update(received);
  };
  return { onProgress, stop };
}
