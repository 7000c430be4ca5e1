import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { codeSquaredError, tiedLinearDecoder } from '../../src/model/codeError';
import type { Params } from '../../src/model/params';
import { TEST_BACKENDS, useBackend } from '../backends';

/** |h W + c - x|^2 by decoding: h dense, the product in tfjs, the sum in float64. */
function decodedError(params: Params, indices: number[], values: number[], image: Float32Array): number {
  const y = tf.tidy(() => {
    const h = tf.scatterND(tf.tensor2d(indices, [indices.length, 1], 'int32'), tf.tensor1d(values), [params.W.shape[0]]);
    return tf.add(tf.matMul(tf.reshape(h, [1, -1]), params.W), params.c).dataSync();
  });
  return Array.from(y).reduce((sum, yd, d) => sum + (yd - image[d]!) ** 2, 0);
}

for (const backend of TEST_BACKENDS) {
  for (const relu of [false, true]) {
    test(`codeSquaredError = the error of the decoded code (${relu ? 'relu' : 'linear'} encoder, ${backend})`, async () => {
      await useBackend(backend);
      const [hidden, pixels, active] = [60, 50, 7];
      const params: Params = {
        W: tf.randomNormal([hidden, pixels], 0, 0.3, 'float32', 1),
        b: tf.randomNormal([hidden], relu ? -1.5 : 0, 0.2, 'float32', 2), // relu: some of the top cells cut to 0
        c: tf.randomNormal([pixels], 0, 0.2, 'float32', 3),
        W_dec: null,
      };
      const decoder = tiedLinearDecoder(params, tf.transpose(params.W));
      for (let sample = 0; sample < 5; sample++) {
        const image = tf.randomUniform([pixels], 0, 1, 'float32', 10 + sample).dataSync() as Float32Array;
        const pre = tf.tidy(() => tf.add(tf.matMul(tf.tensor2d(image, [1, pixels]), params.W, false, true), params.b).dataSync());
        const cells = Array.from(pre.keys()).sort((a, b) => pre[b]! - pre[a]!).slice(0, active); // the code: its top cells
        const values = cells.map((j) => (relu ? Math.max(pre[j]!, 0) : pre[j]!));
        const code = { indices: Int32Array.from(cells), values: Float32Array.from(values), from: 0, size: active };
        const want = decodedError(params, cells, values, image);
        const got = codeSquaredError(decoder, code, image);
        assert.ok(Math.abs(got - want) <= 1e-5 * want, `sample ${sample}: ${got}, decoded ${want}`);
      }
    });
  }
}
