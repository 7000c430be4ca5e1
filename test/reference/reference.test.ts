/** The float64 reference checks itself: its gradients against central differences of its loss, its tie margin. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configSchema, type Config } from '../../src/config/schema';
import { createRng } from '../../src/data/random';
import { assertClose } from '../backends';
import { passes, type RefParamName, type RefParams } from './reference';

const [H, D, B] = [5, 6, 4];

function tinyReference(tied: boolean, seed: number): { p: RefParams; x: Float64Array } {
  const rng = createRng(seed);
  const draw = (n: number, scale: number) => Float64Array.from({ length: n }, () => scale * (2 * rng() - 1));
  return { p: { W: draw(H * D, 1), b: draw(H, 0.2), c: draw(D, 0.2), W_dec: tied ? null : draw(H * D, 1) }, x: Float64Array.from({ length: B * D }, () => rng()) };
}

function configOf(mode: Config['train']['mode'], model: object): Config {
  return configSchema.parse({ model: { hidden: H, k: 2, ...model }, train: { mode, batch_size: B } });
}

const variants: [string, boolean, object][] = [
  ['tied, linear', true, {}],
  ['untied', false, { tied: false }],
  ['relu encoder, sigmoid decoder', true, { encoder_activation: 'relu', decoder_activation: 'sigmoid' }],
  ['lifetime sparsity, rate 0.5', true, { lifetime_sparsity: true, lifetime_rate: 0.5 }],
];

for (const mode of ['mask', 'gather', 'gather-remask'] as const) {
  for (const [what, tied, model] of variants) {
    test(`reference: gradients = central differences of its loss (${mode}, ${what})`, () => {
      const config = configOf(mode, model);
      const { p, x } = tinyReference(tied, 11);
      const pass = passes(p, x, config);
      assert.ok(pass.margin > 1e-3, `margin ${pass.margin}`);
      const eps = 1e-6; // float64: rounding ~1e-16 / eps, truncation ~eps^2
      for (const name of ['W', 'b', 'c', 'W_dec'] as RefParamName[]) {
        const value = p[name];
        if (!value) continue;
        const numeric = Array.from(value, (_, k) => {
          const at = (delta: number) => passes({ ...p, [name]: value.map((v, i) => (i === k ? v + delta : v)) }, x, config).loss;
          return (at(eps) - at(-eps)) / (2 * eps);
        });
        assertClose(pass.grads[name]!, numeric, 1e-6, `${name}`, 1e-10);
      }
    });
  }
}

test('reference: a tie at the top-k boundary goes to the lower cell and shows as a zero margin', () => {
  const config = configOf('mask', { k: 1 });
  const { p, x } = tinyReference(true, 12);
  p.W.set(p.W.subarray(0, D), D); // cells 0 and 1 the same, and far above the others: z ties for every sample
  [p.b[0], p.b[1]] = [10, 10];
  const pass = passes(p, x, config);
  assert.equal(pass.margin, 0);
  for (let i = 0; i < B; i++) assert.deepEqual([pass.T[i * H]!, pass.T[i * H + 1]!], [1, 0], `sample ${i}`);
});
