import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { configSchema, type DataConfig } from '../../src/config/schema';
import { readEmbeddedPackage } from '../../src/data/embedded';
import { fingerprintDataset } from '../../src/data/fingerprint';
import { embeddedIdentity, loadDataset } from '../../src/data/load';
import { createDataLoader } from '../../src/sweep/context';
import { mnistFixture, withTempDir, writeFiles } from './fixtures';

function dataConfig(data: Partial<DataConfig>): DataConfig {
  return configSchema.parse({ data }).data;
}

const config = (data: Partial<DataConfig>, seed = 0) => configSchema.parse({ data, seed });

test('an IDX folder: the same images gzip\'d or raw, anywhere, give one fingerprint; other images or limits another', () =>
  withTempDir(async (dir) => {
    const files = mnistFixture(120, 30);
    const [gz, raw, other] = ['gz', 'raw', 'other'].map((name) => path.join(dir, name)) as [string, string, string];
    for (const folder of [gz, raw, other]) fs.mkdirSync(folder);
    writeFiles(gz, files);
    writeFiles(raw, new Map([...files].map(([name, bytes]) => [name.replace(/\.gz$/, ''), gunzipSync(bytes)])));
    writeFiles(other, mnistFixture(121, 30));
    const fingerprint = async (folder: string, data: Partial<DataConfig> = {}) =>
      (await loadDataset(dataConfig({ source: 'idx', download: false, ...data }), { dataDir: folder, seed: 0 })).fingerprint;
    const reference = await fingerprint(gz);
    assert.match(reference, /^sha256:[0-9a-f]{64}$/);
    assert.equal(await fingerprint(raw), reference);
    assert.equal(await fingerprint(gz, { train_limit: 500 }), reference, 'a limit above the size leaves the data as it is');
    assert.notEqual(await fingerprint(other), reference);
    assert.equal(await fingerprint(other, { train_limit: 120 }), reference, 'the first 120 of the other folder are the same images');
    assert.notEqual(await fingerprint(gz, { test_limit: 29 }), reference);
  }));

test('fingerprintDataset sees one changed pixel and one changed label', () => {
  const split = () => ({ images: new Float32Array(784 * 2), labels: new Uint8Array([3, 4]), count: 2, pixels: 784 });
  const base = { train: split(), test: split() };
  const pixel = { train: split(), test: split() };
  pixel.test.images[783] = 1 / 255;
  const label = { train: split(), test: split() };
  label.train.labels[1] = 5;
  const prints = [base, pixel, label].map(fingerprintDataset);
  assert.equal(new Set(prints).size, 3);
});

test('the embedded split: its identity, without building it, is the loaded split\'s fingerprint; seeds and limits change it', async () => {
  const pkg = readEmbeddedPackage();
  const cases: [Partial<DataConfig>, number][] = [[{}, 0], [{}, 1], [{ train_limit: 500 }, 0], [{ test_limit: 100, embedded_test: 3000 }, 2]];
  const prints = new Set<string>();
  for (const [data, seed] of cases) {
    const cfg = dataConfig({ source: 'embedded', ...data });
    const identity = embeddedIdentity(cfg, seed, pkg);
    const loaded = await loadDataset(cfg, { dataDir: '', seed, embeddedPackage: () => pkg });
    assert.equal(identity.fingerprint, loaded.fingerprint, JSON.stringify(data));
    assert.deepEqual(identity.sizes, { train: loaded.train.count, test: loaded.test.count });
    prints.add(identity.fingerprint);
  }
  assert.equal(prints.size, cases.length);
});

test('a data loader identifies a thousand seeds of the embedded data without loading a split', async () => {
  const loaded: string[] = [];
  const data = createDataLoader({ onDataset: (d) => loaded.push(d.description) });
  const prints = new Set<string>();
  for (let seed = 0; seed < 1000; seed++) prints.add((await data.identify(config({ source: 'embedded' }, seed))).fingerprint);
  assert.equal(prints.size, 1000);
  assert.deepEqual(loaded, [], 'identities only: no split was built');
});
