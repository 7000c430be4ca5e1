/**
 * What runs need besides their config: the tensor backend and the dataset. Loaded once
 * per process and reused across the runs of a sweep (a dataset per distinct data config).
 */
import { selectBackend, type BackendInfo } from '../backend/select';
import type { Config } from '../config/schema';
import type { LoadedDataset } from '../data/dataset';
import type { DownloadProgress } from '../data/download';
import { readEmbeddedPackage, type EmbeddedPackage } from '../data/embedded';
import { embeddedIdentity, identityOf, loadDataset, type DataIdentity } from '../data/load';
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

/** A process's data: datasets by data config, and the identities (fingerprint, sizes) run ids need. */
export interface DataLoader {
  load(config: Config, signal?: AbortSignal): Promise<LoadedDataset>;
  identify(config: Config, signal?: AbortSignal): Promise<DataIdentity>;
}

/** Datasets kept loaded at once: a sweep over data configs loads each as its runs come. */
const KEPT_DATASETS = 2;

/**
 * Loads (downloading when allowed) each distinct data config's dataset, keeping the last
 * KEPT_DATASETS; an embedded split's identity comes from the package, read once, without
 * building the split (a seed sweep would otherwise hold one 30 MB split per seed).
 */
export function createDataLoader(options: ContextOptions = {}): DataLoader {
  const datasets = new Map<string, Promise<LoadedDataset>>(); // in order of last use
  let embedded: EmbeddedPackage | null = null;
  const embeddedPackage = () => (embedded ??= readEmbeddedPackage());
  const load = (config: Config, signal?: AbortSignal) => {
    const key = datasetKey(config);
    let dataset = datasets.get(key);
    datasets.delete(key);
    if (!dataset) {
      dataset = loadDataset(config.data, {
        dataDir: config.data.dir ?? '',
        seed: config.seed,
        onDownloadProgress: options.onDownloadProgress,
        downloadOptions: signal ? { signal } : {},
        embeddedPackage,
      }).then((loaded) => {
        options.onDataset?.(loaded);
        return loaded;
      });
      dataset.catch(() => datasets.delete(key)); // a failed load is tried again next time
    }
    datasets.set(key, dataset);
    for (const old of [...datasets.keys()].slice(0, -KEPT_DATASETS)) datasets.delete(old);
    return dataset;
  };
  return {
    load,
    async identify(config, signal) {
      if (config.data.source === 'embedded') return embeddedIdentity(config.data, config.seed, embeddedPackage());
      return identityOf(await load(config, signal));
    },
  };
}

export function createContextLoader(options: ContextOptions = {}, datasetFor: DataLoader = createDataLoader(options)) {
  let backend: BackendInfo | null = null;
  return async function contextFor(config: Config, signal?: AbortSignal): Promise<RunContext> {
    if (backend === null || (config.backend !== 'auto' && config.backend !== backend.name)) {
      backend = await selectBackend(config.backend);
      options.onBackend?.(backend);
    }
    return { backend, dataset: await datasetFor.load(config, signal) };
  };
}
