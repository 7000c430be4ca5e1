/**
 * The split sizes of the data a config names, read from this machine only: the embedded
 * package, or an IDX folder whose four files are present. Never downloads; a folder
 * without them is reported, so that `validate` can say what it could not check.
 */
import type { SplitSizes } from '../config/feasible';
import type { DataConfig } from '../config/schema';
import { describeMissing, findIdxFiles, MNIST_FILES } from './folder';
import { loadDataset, resolveDataDir } from './load';

export type LocalSizes = { sizes: SplitSizes } | { unavailable: string };

/** The sizes after data.train_limit / data.test_limit, or why the data is not here (`dir: why`). */
export async function localSplitSizes(data: DataConfig, seed: number): Promise<LocalSizes> {
  const dataDir = resolveDataDir(undefined, process.env, data.dir);
  if (data.source === 'idx') {
    const { missing } = findIdxFiles(dataDir);
    if (missing.length === MNIST_FILES.length) return { unavailable: `${dataDir}: no MNIST files here` };
    if (missing.length > 0) return { unavailable: `${dataDir}: missing ${describeMissing(missing)}` };
  }
  const dataset = await loadDataset({ ...data, download: false }, { dataDir, seed });
  return { sizes: { train: dataset.train.count, test: dataset.test.count } };
}
