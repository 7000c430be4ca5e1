import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { configSchema, type DataConfig } from '../../src/config/schema';
import { loadDataset, resolveDataDir } from '../../src/data/load';
import { mnistFixture, refusedUrl, userError, withMd5sOf, withMirrorServer, withTempDir, writeFiles } from './fixtures';

const dataDirCases: { name: string; cli: string | undefined; env: string | undefined; config: string | null; expected: string }[] = [
  { name: '--data-dir wins over all', cli: 'cli', env: 'env', config: 'config', expected: 'cli' },
  { name: 'then the environment', cli: undefined, env: 'env', config: 'config', expected: 'env' },
  { name: 'then the config', cli: undefined, env: undefined, config: 'config', expected: 'config' },
  { name: 'an empty environment variable counts as unset', cli: undefined, env: '', config: 'config', expected: 'config' },
  { name: 'then data/mnist', cli: undefined, env: undefined, config: null, expected: 'data/mnist' },
];

for (const { name, cli, env, config, expected } of dataDirCases) {
  test(`resolveDataDir: ${name}`, () => {
    const environment = env === undefined ? {} : { SPARSE_ADAM_DATA_DIR: env };
    assert.equal(resolveDataDir(cli, environment, config), expected);
  });
}

function dataConfig(data: Partial<DataConfig>): DataConfig {
  return configSchema.parse({ data }).data;
}

test('the embedded source applies the limits after its seeded split and says so', async () => {
  const dataset = await loadDataset(dataConfig({ source: 'embedded', train_limit: 500, test_limit: 100 }), {
    dataDir: '/nonexistent',
    seed: 3,
  });
  assert.deepEqual([dataset.train.count, dataset.test.count], [500, 100]);
  assert.equal(dataset.train.images.length, 500 * 784);
  assert.equal(
    dataset.description,
    'embedded mnist package (the first 10000 images of MNIST train): seeded split 8000 train / 2000 test (seed 3); ' +
      'limited to the first 500 train / 100 test',
  );
});

test('an IDX folder loads whole when no limit cuts it', () =>
  withTempDir(async (dir) => {
    writeFiles(dir, mnistFixture(30, 20));
    const dataset = await loadDataset(dataConfig({ source: 'idx', train_limit: 30 }), { dataDir: dir, seed: 0 });
    assert.deepEqual([dataset.train.count, dataset.test.count], [30, 20]);
    assert.equal(dataset.description, `IDX folder ${dir}: 30 train / 20 test images`);
  }));

test('an IDX folder takes the first test_limit test images', () =>
  withTempDir(async (dir) => {
    writeFiles(dir, mnistFixture(30, 20));
    const dataset = await loadDataset(dataConfig({ source: 'idx', test_limit: 7 }), { dataDir: dir, seed: 0 });
    assert.deepEqual([...dataset.test.labels], [0, 1, 2, 3, 4, 5, 6]);
    assert.equal(dataset.description, `IDX folder ${dir}: 30 train / 20 test images; limited to the first 30 train / 7 test`);
  }));

test('a missing IDX folder without download says what is missing and what to do', () =>
  withTempDir(async (dir) => {
    await assert.rejects(
      loadDataset(dataConfig({ source: 'idx', download: false }), { dataDir: dir, seed: 0 }),
      userError(
        new RegExp(
          `^no MNIST in ${dir}: missing train-images-idx3-ubyte\\(\\.gz\\), train-labels-idx1-ubyte\\(\\.gz\\), ` +
            `t10k-images-idx3-ubyte\\(\\.gz\\), t10k-labels-idx1-ubyte\\(\\.gz\\); ` +
            `run 'sparse-adam data download' or pass --data-dir$`,
        ),
      ),
    );
    assert.deepEqual(readdirSync(dir), []);
  }));

test('a missing IDX folder with download on is downloaded, then loaded', () => {
  const fixture = mnistFixture(30, 20);
  return withMirrorServer(fixture, (base) =>
    withTempDir(async (parent) => {
      const dir = path.join(parent, 'data', 'mnist');
      const progressed = new Set<string>();
      const dataset = await loadDataset(dataConfig({ source: 'idx', mirrors: [`${base}/good/`] }), {
        dataDir: dir,
        seed: 0,
        onDownloadProgress: { received: (file) => progressed.add(file) },
        downloadOptions: { files: withMd5sOf(fixture) },
      });
      assert.deepEqual([dataset.train.count, dataset.test.count], [30, 20]);
      assert.deepEqual([...progressed].sort(), [...fixture.keys()].sort());
    }),
  );
});

test('a failed download surfaces the download error and leaves the folder empty', () =>
  withTempDir(async (dir) => {
    const refused = await refusedUrl();
    await assert.rejects(
      loadDataset(dataConfig({ source: 'idx', mirrors: [refused] }), { dataDir: dir, seed: 0 }),
      userError(/^could not download train-images-idx3-ubyte\.gz: .*ECONNREFUSED/),
    );
    assert.deepEqual(readdirSync(dir), []);
  }));
