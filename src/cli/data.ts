/** `sparse-adam data download [CONFIG]`: fetch the MNIST IDX files that are missing. */
import { resolveConfig } from '../config/load';
import { downloadMnist } from '../data/download';
import { resolveDataDir } from '../data/load';
import { createDownloadProgress } from './downloadBar';
import { abortOnSignals } from './signals';

export async function dataDownloadCommand(file: string | undefined, options: { dataDir?: string; set: string[] }): Promise<void> {
  const config = resolveConfig({ file, sets: options.set });
  const dir = resolveDataDir(options.dataDir, process.env, config.data.dir);
  const progress = createDownloadProgress();
  const fetched = await abortOnSignals((signal) =>
    downloadMnist(dir, { mirrors: config.data.mirrors, timeoutSeconds: config.data.download_timeout, onProgress: progress.onProgress, signal }),
  ).finally(progress.stop);
  console.log(fetched.length ? `downloaded ${fetched.join(', ')} to ${dir}` : `${dir} already holds the four MNIST files`);
}
