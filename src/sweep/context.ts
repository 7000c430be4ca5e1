/**
 * What runs need besides their config: the tensor backend and the dataset. Loaded once
 * per process and reused across the runs of a sweep (a dataset per distinct data config).
 */
import { selectBackend, type BackendInfo } from '../backend/select';
import type { Config } from '../config/schema';
import type { Dataset } from '../data/dataset';
import type { DownloadProgress } from '../data/download';
import { loadDataset } from '../data/load';
import type { RunContext } from './execute';

export interface ContextOptions {
  onBackend?(info: BackendInfo): void;
  onDataset?(dataset: Dataset): void;
  onDownloadProgress?: DownloadProgress;
}

/** The embedded split depends on the seed; an IDX folder does not. */
function datasetKey(config: Config): string {
  const seed = config.data.source === 'embedded' ? config.seed : null;
  return JSON.stringify({ data: config.data, seed });
}

export function createContextLoader(options: ContextOptions = {}) {
  let backend: BackendInfo | null = null;
  const datasets = new Map<string, Dataset>();
  return async function contextFor(config: Config, signal?: AbortSignal): Promise<RunContext> {
    if (backend === null || (config.backend !== 'auto' && config.backend !== backend.name)) {
      backend = await selectBackend(config.backend);
      options.onBackend?.(backend);
    }
    const key = datasetKey(config);
    let dataset = datasets.get(key);
    if (!dataset) {
      dataset = await loadDataset(config.data, {
        dataDir: config.data.dir ?? '',
        seed: config.seed,
        onDownloadProgress: options.onDownloadProgress,
        downloadOptions: signal ? { signal } : {},
      });
      datasets.set(key, dataset);
      options.onDataset?.(dataset);
    }
    return { backend, dataset };
  };
}
