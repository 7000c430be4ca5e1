/**
 * The one entry point from a config's `data` section to a Dataset: picks the source,
 * downloads a missing IDX folder when allowed, applies the train/test limits and
 * fingerprints what is left (the fingerprint stands for the data in run ids).
 */
import type { Config } from '../config/schema';
import { runtimeError } from '../errors';
import { firstN, type Dataset, type LoadedDataset } from './dataset';
import { downloadMnist, type DownloadOptions, type DownloadProgress } from './download';
import { loadEmbedded } from './embedded';
import { fingerprintDataset } from './fingerprint';
import { describeMissing, findIdxFiles, loadIdxFolder } from './folder';

export const DEFAULT_DATA_DIR = 'data/mnist';
export const DATA_DIR_ENV = 'SPARSE_ADAM_DATA_DIR';

/** The IDX folder: --data-dir, then $SPARSE_ADAM_DATA_DIR, then config `data.dir`, then data/mnist (empty counts as unset). */
export function resolveDataDir(cliDir: string | undefined, env: NodeJS.ProcessEnv, configDir: string | null): string {
  return cliDir || env[DATA_DIR_ENV] || configDir || DEFAULT_DATA_DIR;
}

export interface LoadOptions {
  /** The IDX folder, from resolveDataDir (unused by the embedded source). */
  dataDir: string;
  seed: number;
  onDownloadProgress?: DownloadProgress;
  /** Checksums, fetch and abort signal for a download (mirrors and timeout come from the config). */
  downloadOptions?: Omit<DownloadOptions, 'onProgress' | 'mirrors' | 'timeoutSeconds'>;
}

/** The splits a run uses, limits applied, with their fingerprint. */
export async function loadDataset(cfg: Config['data'], opts: LoadOptions): Promise<LoadedDataset> {
  const full =
    cfg.source === 'embedded'
      ? loadEmbedded({ testCount: cfg.embedded_test, seed: opts.seed })
      : await loadIdx(opts.dataDir, cfg, opts);
  const dataset = applyLimits(full, cfg.train_limit, cfg.test_limit);
  return { ...dataset, fingerprint: fingerprintDataset(dataset) };
}

async function loadIdx(dir: string, cfg: Config['data'], opts: LoadOptions): Promise<Dataset> {
  const { missing } = findIdxFiles(dir);
  if (missing.length > 0 && !cfg.download) {
    throw runtimeError(
      `no MNIST in ${dir}: missing ${describeMissing(missing)}; run 'sparse-adam data download' or pass --data-dir`,
    );
  }
  if (missing.length > 0) {
    await downloadMnist(dir, { ...opts.downloadOptions, mirrors: cfg.mirrors, timeoutSeconds: cfg.download_timeout, onProgress: opts.onDownloadProgress });
  }
  return loadIdxFolder(dir);
}

function applyLimits(dataset: Dataset, trainLimit: number | null, testLimit: number | null): Dataset {
  const train = firstN(dataset.train, trainLimit);
  const test = firstN(dataset.test, testLimit);
  if (train === dataset.train && test === dataset.test) return dataset;
  const description = `${dataset.description}; limited to the first ${train.count} train / ${test.count} test`;
  return { train, test, description };
}
