/**
 * The one entry point from a config's `data` section to a Dataset: picks the source,
 * downloads a missing IDX folder when allowed, applies the train/test limits and
 * fingerprints what is left (the fingerprint stands for the data in run ids;
 * src/data/fingerprint.ts). The embedded source's identity (fingerprint and split sizes)
 * is known without building its split.
 */
import type { SplitSizes } from '../config/feasible';
import type { Config } from '../config/schema';
import { runtimeError } from '../errors';
import { firstN, type Dataset, type LoadedDataset } from './dataset';
import { downloadMnist, type DownloadOptions, type DownloadProgress } from './download';
import { embeddedSplitOrder, loadEmbedded, readEmbeddedPackage, type EmbeddedPackage } from './embedded';
import { fingerprintDataset, fingerprintEmbedded } from './fingerprint';
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
  /** The embedded package, when the caller keeps it read (else it is read here). */
  embeddedPackage?: () => EmbeddedPackage;
}

/** The splits a run uses, limits applied, with their fingerprint. */
export async function loadDataset(cfg: Config['data'], opts: LoadOptions): Promise<LoadedDataset> {
  if (cfg.source === 'embedded') {
    const pkg = opts.embeddedPackage?.() ?? readEmbeddedPackage();
    const dataset = applyLimits(loadEmbedded({ testCount: cfg.embedded_test, seed: opts.seed }, pkg), cfg.train_limit, cfg.test_limit);
    return { ...dataset, fingerprint: embeddedIdentity(cfg, opts.seed, pkg).fingerprint };
  }
  const dataset = applyLimits(await loadIdx(opts.dataDir, cfg, opts), cfg.train_limit, cfg.test_limit);
  return { ...dataset, fingerprint: fingerprintDataset(dataset) };
}

/** What a run's id and the size checks need of its data. */
export interface DataIdentity {
  fingerprint: string;
  sizes: SplitSizes;
  pixels: number; // per image
}

/** The embedded split's identity from the package and the seed, without building the split. */
export function embeddedIdentity(cfg: Config['data'], seed: number, pkg: EmbeddedPackage): DataIdentity {
  const order = embeddedSplitOrder(pkg, { testCount: cfg.embedded_test, seed });
  const train = order.train.subarray(0, cfg.train_limit ?? order.train.length);
  const test = order.test.subarray(0, cfg.test_limit ?? order.test.length);
  return { fingerprint: fingerprintEmbedded(pkg.digest, train, test), sizes: { train: train.length, test: test.length }, pixels: pkg.images.length / pkg.count };
}

/** A loaded dataset's identity. */
export function identityOf(dataset: LoadedDataset): DataIdentity {
  return { fingerprint: dataset.fingerprint, sizes: { train: dataset.train.count, test: dataset.test.count }, pixels: dataset.train.pixels };
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
