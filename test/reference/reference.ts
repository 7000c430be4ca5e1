/**
 * An independent float64 reference of training, written from SPEC.md §2 to §4 and the
 * README's "Optimizers" and "Adam variants that count updates" (not from src/): plain JS
 * loops over Float64Arrays, the dense forward and backward passes of the k-sparse
 * autoencoder on one batch, the three modes, and the seven optimizers' update rules.
 *
 * Per batch of B samples x [B, D] (SPEC.md §2, §3):
 *   pre = x W^T + b;  z = act_enc(pre);  M = per-sample top k of z (ties to the lower cell);
 *   L = each cell's ceil(rate B) (at least 1) most active samples (ties to the lower
 *   sample), when lifetime sparsity is on; T = max(M, L); A = { j : some T[i, j] = 1 }
 *   h = z on T (`mask`, `gather-remask`) or z on A for every sample (`gather`)
 *   y = act_dec(h W_dec + c) (W_dec = W when tied);  loss = mean over B and D of (y - x)^2
 * Sample i's own loss (1/D) sum_d (y_id - x_id)^2 has the error signal
 * e_i = (2/D) (y_i - x_i) act_dec'(.) and, for row j, the gradients
 *   G^W_ij = a_ij x_i + h_ij e_i (tied; untied: a_ij x_i, and G^Wdec_ij = h_ij e_i),
 *   G^b_ij = a_ij, G^c_i = e_i,  with a_ij = act_enc'(pre_ij) (e_i . W_dec[j]) where cell j
 *   is in sample i's code (T in `mask`/`gather-remask`, A in `gather`), else 0;
 * the batch gradient is their mean over i. What each optimizer receives (SPEC.md §4):
 *   `mask`: every gradient dense (W's rows of cells outside A are exactly zero);
 *   gather modes: W, b (and W_dec) row-sparse on A, c dense;
 *   count-adam: W (and W_dec) row-sparse on A with the per-sample statistics over
 *   S_j = { i : T[i, j] = 1 } (n_j, sum_i G_ij, sum_i G_ij^2) in every mode, b likewise in
 *   the gather modes (dense in `mask`), c dense.
 * Optimizers, t the global step, alpha(t) = lr sqrt(1 - b2^t) / (1 - b1^t):
 *   adam, adam-tf-sparse: on every element (g = 0 outside the rows given)
 *     m <- b1 m + (1-b1) g;  v <- b2 v + (1-b2) g^2;  W <- W - alpha(t) m / (sqrt(v) + eps)
 *   lazy-adam: the same on the touched rows only (row-sparse: its rows; a dense matrix:
 *     its rows with a nonzero entry; a dense vector: every element)
 *   lazy-adam-rowstep: lazy-adam's rows, c_j <- c_j + 1, alpha(c_j) for alpha(t)
 *   count-adam: rows with n_j >= 1: m_j <- b1^n m_j + (1-b1^n) sum_j / n_j; v_j likewise
 *     with sumSquares_j / n_j; c_j <- c_j + n_j; W_j <- W_j - alpha(c_j) m_j / (sqrt(v_j) + eps);
 *     a dense gradient is one observation of every element (n = 1, sum g, sum of squares g^2)
 *   sgd: accum <- momentum accum + g;  W <- W - lr accum   (dense: every row; row-sparse: its rows)
 *   adagrad: a <- a + g^2 (a starts at initial_accumulator);  W <- W - lr g / sqrt(a)  (rows as sgd)
 * Batches are taken in order (train.shuffle false), the last incomplete one dropped.
 *
 * The reference also reports how close the batch came to a different mask: the smallest
 * margin between a winner and the first loser of each top-k (and lifetime) choice, and the
 * smallest |pre| of a relu cell in a code. Comparisons with float32 training mean
 * something only where that margin is far above float32 rounding.
 */
import type { Config } from '../../src/config/schema';

export interface RefParams {
  W: Float64Array; // [H, D]
  b: Float64Array; // [H]
  c: Float64Array; // [D]
  W_dec: Float64Array | null; // [H, D], untied only
}

export type RefParamName = keyof RefParams;

/** Per-sample statistics of a row-sparse gradient: per row n_j, and per element the sum and sum of squares. */
interface Statistics {
  counts: Float64Array; // [rows]
  sum: Float64Array; // [rows * width]
  sumSquares: Float64Array;
}

/** A gradient as an optimizer receives it: on every row (dense) or on the rows `rows` (row-sparse, zero elsewhere). */
interface Delivered {
  g: Float64Array; // the parameter's shape
  width: number; // elements per row
  rows: number[] | 'dense';
  stats?: Statistics;
}

function activate(pre: number, kind: Config['model']['encoder_activation']): number {
  return kind === 'relu' ? Math.max(0, pre) : pre;
}

/**
 * Indices 0..n-1 ordered by value descending, ties to the lower index; the first `count`
 * win. The margin is the gap between the last winner and the first loser; when both are
 * relu's exact zeros (preOf given) the tie is exact in any precision, and the margin is how
 * far the zero-valued candidates are from turning positive (their smallest |pre|).
 */
function winners(valueOf: (i: number) => number, n: number, count: number, preOf?: (i: number) => number): { won: number[]; margin: number } {
  const order = Array.from({ length: n }, (_, i) => i).sort((p, q) => valueOf(q) - valueOf(p) || p - q);
  const won = order.slice(0, count);
  if (count >= n) return { won, margin: Infinity };
  const [last, first] = [valueOf(order[count - 1]!), valueOf(order[count]!)];
  if (!(preOf && last === 0 && first === 0)) return { won, margin: last - first };
  return { won, margin: Math.min(...order.filter((i) => valueOf(i) === 0).map((i) => Math.abs(preOf(i)))) };
}

export interface Pass {
  loss: number;
  grads: Record<RefParamName, Float64Array | null>; // batch gradients
  perSample: { W: Float64Array[]; b: Float64Array[]; W_dec: Float64Array[] | null }; // [B] of [H * D] / [H]
  T: Uint8Array; // [B, H] training mask
  A: Uint8Array; // [H]
  margin: number;
}

/** One batch's forward and backward passes (SPEC.md §2, §3): x [B, D]. */
export function passes(p: RefParams, x: Float64Array, config: Config): Pass {
  const D = p.c.length;
  const B = x.length / D;
  const model = config.model;
  const H = p.b.length;
  const Wdec = p.W_dec ?? p.W;
  const pre = new Float64Array(B * H);
  const z = new Float64Array(B * H);
  for (let i = 0; i < B; i++) {
    for (let j = 0; j < H; j++) {
      let s = p.b[j]!;
      for (let d = 0; d < D; d++) s += x[i * D + d]! * p.W[j * D + d]!;
      pre[i * H + j] = s;
      z[i * H + j] = activate(s, model.encoder_activation);
    }
  }
  // The training mask T: per-sample top k, OR'ed with the lifetime mask.
  const relu = model.encoder_activation === 'relu';
  const T = new Uint8Array(B * H);
  let margin = Infinity;
  for (let i = 0; i < B; i++) {
    const top = winners((j) => z[i * H + j]!, H, model.k, relu ? (j) => pre[i * H + j]! : undefined);
    top.won.forEach((j) => (T[i * H + j] = 1));
    margin = Math.min(margin, top.margin);
  }
  if (model.lifetime_sparsity) {
    const count = Math.min(B, Math.max(1, Math.ceil(model.lifetime_rate * B)));
    for (let j = 0; j < H; j++) {
      const life = winners((i) => z[i * H + j]!, B, count, relu ? (i) => pre[i * H + j]! : undefined);
      life.won.forEach((i) => (T[i * H + j] = 1));
      margin = Math.min(margin, life.margin);
    }
  }
  const A = new Uint8Array(H);
  for (let i = 0; i < B; i++) for (let j = 0; j < H; j++) if (T[i * H + j]) A[j] = 1;
  // Which cells each sample's code holds, and the code itself.
  const inCode = (i: number, j: number) => (config.train.mode === 'gather' ? A[j]! : T[i * H + j]!) === 1;
  const h = new Float64Array(B * H);
  for (let i = 0; i < B; i++) {
    for (let j = 0; j < H; j++) {
      if (!inCode(i, j)) continue;
      h[i * H + j] = z[i * H + j]!;
      if (relu) margin = Math.min(margin, Math.abs(pre[i * H + j]!)); // relu's kink
    }
  }
  const y = new Float64Array(B * D);
  let loss = 0;
  for (let i = 0; i < B; i++) {
    for (let d = 0; d < D; d++) {
      let s = p.c[d]!;
      for (let j = 0; j < H; j++) s += h[i * H + j]! * Wdec[j * D + d]!;
      const out = model.decoder_activation === 'sigmoid' ? 1 / (1 + Math.exp(-s)) : s;
      y[i * D + d] = out;
      loss += (out - x[i * D + d]!) ** 2;
    }
  }
  loss /= B * D;
  // Per-sample signals: e_i (decoder pre-activation) and a_ij (encoder pre-activation).
  const e = new Float64Array(B * D);
  for (let k = 0; k < B * D; k++) {
    const slope = model.decoder_activation === 'sigmoid' ? y[k]! * (1 - y[k]!) : 1;
    e[k] = (2 / D) * (y[k]! - x[k]!) * slope;
  }
  const a = new Float64Array(B * H);
  for (let i = 0; i < B; i++) {
    for (let j = 0; j < H; j++) {
      if (!inCode(i, j)) continue;
      const slope = model.encoder_activation === 'relu' ? (pre[i * H + j]! > 0 ? 1 : 0) : 1;
      let s = 0;
      for (let d = 0; d < D; d++) s += e[i * D + d]! * Wdec[j * D + d]!;
      a[i * H + j] = slope * s;
    }
  }
  const tied = p.W_dec === null;
  const perSample = { W: [] as Float64Array[], b: [] as Float64Array[], W_dec: tied ? null : ([] as Float64Array[]) };
  for (let i = 0; i < B; i++) {
    const gW = new Float64Array(H * D);
    const gDec = tied ? null : new Float64Array(H * D);
    const gb = new Float64Array(H);
    for (let j = 0; j < H; j++) {
      const [aij, hij] = [a[i * H + j]!, h[i * H + j]!];
      gb[j] = aij;
      for (let d = 0; d < D; d++) {
        const encoder = aij * x[i * D + d]!;
        const decoder = hij * e[i * D + d]!;
        if (gDec) {
          gW[j * D + d] = encoder;
          gDec[j * D + d] = decoder;
        } else gW[j * D + d] = encoder + decoder;
      }
    }
    perSample.W.push(gW);
    perSample.b.push(gb);
    if (gDec) perSample.W_dec!.push(gDec);
  }
  const mean = (list: Float64Array[]) => {
    const out = new Float64Array(list[0]!.length);
    for (const g of list) for (let k = 0; k < out.length; k++) out[k]! += g[k]! / B;
    return out;
  };
  const gc = new Float64Array(D);
  for (let i = 0; i < B; i++) for (let d = 0; d < D; d++) gc[d]! += e[i * D + d]! / B;
  const grads = { W: mean(perSample.W), b: mean(perSample.b), c: gc, W_dec: perSample.W_dec && mean(perSample.W_dec) };
  return { loss, grads, perSample, T, A, margin };
}

/** Sums over S_j = { i : T[i, j] = 1 } of each sample's gradient of row j and of its square. */
export function statisticsOver(perSample: Float64Array[], T: Uint8Array, H: number, width: number): Statistics {
  const stats = { counts: new Float64Array(H), sum: new Float64Array(H * width), sumSquares: new Float64Array(H * width) };
  perSample.forEach((g, i) => {
    for (let j = 0; j < H; j++) {
      if (!T[i * H + j]) continue;
      stats.counts[j]! += 1;
      for (let k = j * width; k < (j + 1) * width; k++) {
        stats.sum[k]! += g[k]!;
        stats.sumSquares[k]! += g[k]! ** 2;
      }
    }
  });
  return stats;
}

/** What the optimizer receives for each parameter in this mode (SPEC.md §3, §4). */
function delivered(pass: Pass, config: Config, H: number, D: number): Partial<Record<RefParamName, Delivered>> {
  const mode = config.train.mode;
  const counting = config.optimizer.name === 'count-adam';
  const onA = Array.from(pass.A.keys()).filter((j) => pass.A[j]);
  const rowsOf = (name: 'W' | 'b' | 'W_dec', width: number): Delivered => {
    const g = pass.grads[name]!;
    const samples = pass.perSample[name]!;
    const sparse = mode !== 'mask' || (counting && name !== 'b');
    if (!sparse) return { g, width, rows: 'dense' };
    return { g, width, rows: onA, ...(counting ? { stats: statisticsOver(samples, pass.T, H, width) } : {}) };
  };
  const out: Partial<Record<RefParamName, Delivered>> = { W: rowsOf('W', D), b: rowsOf('b', 1), c: { g: pass.grads.c!, width: 1, rows: 'dense' } };
  if (pass.grads.W_dec) out.W_dec = rowsOf('W_dec', D);
  return out;
}

/** One parameter's optimizer state. */
interface State {
  m: Float64Array;
  v: Float64Array;
  accum: Float64Array;
  count: Float64Array; // per row
}

function newState(size: number, rows: number, config: Config): State {
  const accumStart = config.optimizer.name === 'adagrad' ? config.optimizer.initial_accumulator : 0;
  return { m: new Float64Array(size), v: new Float64Array(size), accum: new Float64Array(size).fill(accumStart), count: new Float64Array(rows) };
}

/** The rows an update touches: every row (dense), or the given ones. */
function allRows(rows: number): number[] {
  return Array.from({ length: rows }, (_, j) => j);
}

/** lazy-adam's touched rows: row-sparse rows; for a dense matrix the rows with a nonzero entry; a dense vector: all. */
function lazyRows(grad: Delivered, rows: number): number[] {
  if (grad.rows !== 'dense') return grad.rows;
  if (grad.width === 1) return allRows(rows);
  return allRows(rows).filter((j) => grad.g.subarray(j * grad.width, (j + 1) * grad.width).some((x) => x !== 0));
}

/** alpha(c) = lr sqrt(1 - b2^c) / (1 - b1^c): Adam's bias-corrected step size after c observations. */
function stepSize(config: Config, c: number): number {
  const { lr, beta1, beta2 } = config.optimizer;
  return (lr * Math.sqrt(1 - beta2 ** c)) / (1 - beta1 ** c);
}

/** The optimizer's update of one parameter w in place (SPEC.md §4, README "Optimizers"). */
function update(w: Float64Array, s: State, grad: Delivered, t: number, config: Config): void {
  const o = config.optimizer;
  const { g, width } = grad;
  const rows = w.length / width;
  const touched = grad.rows === 'dense' ? allRows(rows) : grad.rows;
  /** Adam's three lines on element k: new-observation weights w1, w2, observed mean and mean square, step size. */
  const adam = (k: number, w1: number, w2: number, mean: number, meanSquare: number, alpha: number) => {
    s.m[k] = (1 - w1) * s.m[k]! + w1 * mean;
    s.v[k] = (1 - w2) * s.v[k]! + w2 * meanSquare;
    w[k]! -= (alpha * s.m[k]!) / (Math.sqrt(s.v[k]!) + o.epsilon);
  };
  /** f on every element of the listed rows, with the row's step size alpha(c) (c = alphaCount(row)). */
  const forRows = (list: number[], alphaCount: (j: number) => number, f: (k: number, j: number, alpha: number) => void) => {
    for (const j of list) {
      const alpha = stepSize(config, alphaCount(j));
      for (let k = j * width; k < (j + 1) * width; k++) f(k, j, alpha);
    }
  };
  const globalT = () => t;
  const rowCount = (j: number) => s.count[j]!;
  const [c1, c2] = [1 - o.beta1, 1 - o.beta2];
  switch (o.name) {
    case 'adam':
    case 'adam-tf-sparse': // TF's sparse path: m <- b1 m everywhere, then += (1-b1) g on U: the same numbers
      return forRows(allRows(rows), globalT, (k, _, alpha) => adam(k, c1, c2, g[k]!, g[k]! ** 2, alpha));
    case 'lazy-adam':
      return forRows(lazyRows(grad, rows), globalT, (k, _, alpha) => adam(k, c1, c2, g[k]!, g[k]! ** 2, alpha));
    case 'lazy-adam-rowstep': {
      const list = lazyRows(grad, rows);
      for (const j of list) s.count[j]! += 1;
      return forRows(list, rowCount, (k, _, alpha) => adam(k, c1, c2, g[k]!, g[k]! ** 2, alpha));
    }
    case 'count-adam': {
      const stats = grad.stats ?? { counts: new Float64Array(rows).fill(1), sum: g, sumSquares: g.map((x) => x * x) };
      const list = touched.filter((j) => stats.counts[j]! > 0);
      for (const j of list) s.count[j]! += stats.counts[j]!;
      return forRows(list, rowCount, (k, j, alpha) => {
        const n = stats.counts[j]!;
        adam(k, 1 - o.beta1 ** n, 1 - o.beta2 ** n, stats.sum[k]! / n, stats.sumSquares[k]! / n, alpha);
      });
    }
    case 'sgd':
      return forRows(touched, globalT, (k) => {
        s.accum[k] = o.momentum * s.accum[k]! + g[k]!;
        w[k]! -= o.lr * s.accum[k]!;
      });
    case 'adagrad':
      return forRows(touched, globalT, (k) => {
        s.accum[k]! += g[k]! ** 2;
        w[k]! -= (o.lr * g[k]!) / Math.sqrt(s.accum[k]!);
      });
  }
}

export interface ReferenceRun {
  params: RefParams;
  losses: number[]; // per step, before its update
  /** The smallest margin of any mask choice or relu kink over all steps (see the header). */
  margin: number;
  steps: number;
}

/** Float64 copies of float32 parameters (or any numbers). */
export function toFloat64(p: { W: ArrayLike<number>; b: ArrayLike<number>; c: ArrayLike<number>; W_dec: ArrayLike<number> | null }): RefParams {
  return { W: Float64Array.from(p.W), b: Float64Array.from(p.b), c: Float64Array.from(p.c), W_dec: p.W_dec && Float64Array.from(p.W_dec) };
}

/**
 * Train `initial` on `images` ([count, D], in order, config.train.batch_size per step, the
 * last incomplete batch dropped) for config.train.epochs, as SPEC.md says.
 */
export function trainReference(initial: RefParams, images: Float32Array, D: number, config: Config): ReferenceRun {
  const p = toFloat64(initial);
  const H = p.b.length;
  const B = config.train.batch_size;
  const perEpoch = Math.floor(images.length / D / B);
  const names = (['W', 'b', 'c', 'W_dec'] as const).filter((n) => p[n] !== null);
  const states = Object.fromEntries(names.map((n) => [n, newState(p[n]!.length, n === 'c' ? D : H, config)])) as Record<RefParamName, State>;
  const losses: number[] = [];
  let margin = Infinity;
  let t = 0;
  for (let epoch = 0; epoch < config.train.epochs; epoch++) {
    for (let step = 0; step < perEpoch; step++) {
      const x = Float64Array.from(images.slice(step * B * D, (step + 1) * B * D));
      const pass = passes(p, x, config);
      losses.push(pass.loss);
      margin = Math.min(margin, pass.margin);
      t += 1;
      const grads = delivered(pass, config, H, D);
      for (const n of names) update(p[n]!, states[n], grads[n]!, t, config);
    }
  }
  return { params: p, losses, margin, steps: t };
}
