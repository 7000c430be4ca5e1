/** `sparse-adam data download`: fetch the MNIST IDX files that are missing. */
import { downloadMnist } from '../data/download';
import { resolveDataDir } from '../data/load';
import { createDownloadProgress } from './downloadBar';

export async function dataDownloadCommand(options: { dataDir?: string }): Promise<void> {
  const dir = resolveDataDir(options.dataDir, process.env, null);
  const progress = createDownloadProgress();
  const fetched = await downloadMnist(dir, { onProgress: progress.onProgress }).finally(progress.stop);
  console.log(fetched.length ? `downloaded ${fetched.join(', ')} to ${dir}` : `${dir} already holds the four MNIST files`);
}
