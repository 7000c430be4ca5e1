/**
 * What runs need besides their config: the tensor backend and the dataset. Loaded once
 * per process and reused across the runs of a sweep (a dataset per distinct data config).
 */
import { selectBackend, type BackendInfo } from '../backend/select';
import type { Config } from '../config/schema';
import type { LoadedDataset } from '../data/dataset';
import type { DownloadProgress } from '../data/download';
import { loadDataset } from '../data/load';
import type { RunContext } from './execute';

export interface ContextOptions {
  onBackend?(info: BackendInfo): void;
  onDataset?(dataset: LoadedDataset): void;
  onDownloadProgress?: DownloadProgress;
}

/** The embedded split depends on the seed; an IDX folder does not. */
function datasetKey(config: Config): string {
  const seed = config.data.source === 'embedded' ? config.seed : null;
  return JSON.stringify({ data: config.data, seed });
}

export type DataLoader = (config: Config, signal?: AbortSignal) => Promise<LoadedDataset>;

/** The dataset of a config, loaded (and downloaded when allowed) once per distinct data config. */
export function createDataLoader(options: ContextOptions = {}): DataLoader {
  const datasets = new Map<string, Promise<LoadedDataset>>();
  return (config, signal) => {
    const key = datasetKey(config);
    let dataset = datasets.get(key);
    if (!dataset) {
      dataset = loadDataset(config.data, {
        dataDir: config.data.dir ?? '',
        seed: config.seed,
        onDownloadProgress: options.onDownloadProgress,
        downloadOptions: signal ? { signal } : {},
      }).then((loaded) => {
        options.onDataset?.(loaded);
        return loaded;
      });
      dataset.catch(() => datasets.delete(key)); // a failed load is tried again next time
      datasets.set(key, dataset);
    }
    return dataset;
  };
}

export function createContextLoader(options: ContextOptions = {}, datasetFor: DataLoader = createDataLoader(options)) {
  let backend: BackendInfo | null = null;
  return async function contextFor(config: Config, signal?: AbortSignal): Promise<RunContext> {
    if (backend === null || (config.backend !== 'auto' && config.backend !== backend.name)) {
      backend = await selectBackend(config.backend);
      options.onBackend?.(backend);
    }
    return { backend, dataset: await datasetFor(config, signal) };
  };
}
