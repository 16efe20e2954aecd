/**
 * t-SNE's input affinities (van der Maaten & Hinton 2008): for each point, a Gaussian over its
 * `K` nearest neighbours whose bandwidth is found by binary search so that the conditional
 * distribution's perplexity is the one asked for, then symmetrised, p_ij = (p_j|i + p_i|j) / 2N.
 * With `K = N − 1` this is the exact P of the paper; the default `K = 3 × perplexity` is the
 * sparse P of Barnes-Hut-SNE (van der Maaten 2014) and openTSNE. The bandwidth search runs for
 * all points at once as tensor ops; the result is a sparse matrix in compressed rows (CSR).
 * {@link paddedRows} lays it out as equal-length rows for tensor ops.
 */
import { tf } from '../../tf';
import { checkInteger, checkNumber } from '../../core/checks';
import { throwIfStopped, yieldToEventLoop, type RunControl } from '../../core/run-control';
import { checkFeatureMatrix } from './features';
import { nearestNeighbors } from './neighbors';

/** Options of {@link tsneAffinities}. */
export interface AffinityOptions extends RunControl {
  /** Effective number of neighbours, 2^entropy of each conditional distribution (default 30). */
  perplexity?: number;
  /** Neighbours each conditional distribution covers (default min(N − 1, floor(3 × perplexity))); N − 1 gives the exact P. */
  neighbors?: number;
  /** Stop the search when every |entropy − log(perplexity)| is below this (nats, default 1e-5). */
  tolerance?: number;
}

/** The symmetric joint affinities P in compressed sparse rows; the values sum to 1. */
export interface Affinities {
  n: number;
  /** `[n + 1]` row i's entries are `[rowStart[i], rowStart[i + 1])` of `columns` and `values`. */
  rowStart: Int32Array;
  /** Column j of each entry, increasing within a row. */
  columns: Int32Array;
  /** p_ij of each entry. */
  values: Float32Array;
  /** The precision β_i = 1 / (2σ_i²) found for each point. */
  betas: Float32Array;
}

/**
 * Conditional affinities p_j|i `[N, K]` for squared distances `d2` `[N, K]` (each row's own
 * point excluded): a batched bisection on β per row, as tsne.py does it one row at a time.
 */
async function conditionalAffinities(d2: tf.Tensor2D, perplexity: number, tolerance: number, control: RunControl): Promise<{ p: tf.Tensor2D; beta: tf.Tensor1D }> {
  const n = d2.shape[0];
  const logU = Math.log(perplexity);
  // Shifting each row by its smallest distance leaves p_j|i unchanged and keeps exp() in range.
  const shifted = tf.tidy(() => tf.sub(d2, tf.min(d2, 1, true)));
  let beta = tf.ones<tf.Rank.R1>([n]);
  let lo = tf.fill<tf.Rank.R1>([n], 0);
  let hi = tf.fill<tf.Rank.R1>([n], Infinity);
  const rowsOf = (b: tf.Tensor1D) => {
    const e = tf.exp(tf.mul(tf.neg(shifted), tf.reshape(b, [n, 1])));
    const sum = tf.maximum(tf.sum(e, 1), 1e-30);
    return { e, sum, entropy: tf.add(tf.log(sum), tf.div(tf.mul(b, tf.sum(tf.mul(shifted, e), 1)), sum)) };
  };
  try {
    for (let round = 0; round < 8; round++) {
      for (let step = 0; step < 25; step++) {
        const next = tf.tidy(() => {
          const { entropy } = rowsOf(beta);
          const tooFlat = tf.greater(entropy, logU); // entropy too high: sharpen (raise β)
          const newLo = tf.where(tooFlat, beta, lo);
          const newHi = tf.where(tooFlat, hi, beta);
          const up = tf.where(tf.isInf(newHi), tf.mul(beta, 2), tf.div(tf.add(beta, newHi), 2));
          const down = tf.div(tf.add(beta, newLo), 2);
          return [tf.where(tooFlat, up, down), newLo, newHi] as tf.Tensor1D[];
        });
        tf.dispose([beta, lo, hi]);
        [beta, lo, hi] = next;
      }
      const worst = tf.tidy(() => tf.max(tf.abs(tf.sub(rowsOf(beta).entropy, logU))));
      const gap = (await worst.data())[0];
      worst.dispose();
      if (gap < tolerance) break;
      await yieldToEventLoop();
      throwIfStopped(control);
    }
    const p = tf.tidy(() => {
      const { e, sum } = rowsOf(beta);
      return tf.div<tf.Tensor2D>(e, tf.reshape(sum, [n, 1]));
    });
    return { p, beta };
  } catch (e) {
    beta.dispose();
    throw e;
  } finally {
    tf.dispose([shifted, lo, hi]);
  }
}

/** Symmetrise conditional rows (`cond[i*k + t]` = p_{nbr[i*k+t] | i}) into padded joint rows. */
function symmetrize(n: number, k: number, nbr: Int32Array, cond: Float32Array): { rowStart: Int32Array; columns: Int32Array; values: Float32Array } {
  // Rows of P and of Pᵀ as column -> value maps (sorted merge via per-row sort of keys).
  const counts = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    counts[i] += k;
    for (let t = 0; t < k; t++) counts[nbr[i * k + t]]++;
  }
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + counts[i];
  const cols = new Int32Array(offsets[n]);
  const vals = new Float64Array(offsets[n]);
  const fill = offsets.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = nbr[i * k + t];
      const v = cond[i * k + t] / (2 * n);
      cols[fill[i]] = j;
      vals[fill[i]++] = v;
      cols[fill[j]] = i;
      vals[fill[j]++] = v;
    }
  }
  // Merge duplicate columns within each row.
  const merged: Array<{ cols: number[]; vals: number[] }> = [];
  for (let i = 0; i < n; i++) {
    const order = Array.from({ length: offsets[i + 1] - offsets[i] }, (_, t) => offsets[i] + t).sort((a, b) => cols[a] - cols[b]);
    const rc: number[] = [];
    const rv: number[] = [];
    for (const e of order) {
      if (rc.length > 0 && rc[rc.length - 1] === cols[e]) rv[rv.length - 1] += vals[e];
      else {
        rc.push(cols[e]);
        rv.push(vals[e]);
      }
    }
    merged.push({ cols: rc, vals: rv });
  }
  const rowStart = new Int32Array(n + 1);
  merged.forEach(({ cols: rc }, i) => (rowStart[i + 1] = rowStart[i] + rc.length));
  const columns = new Int32Array(rowStart[n]);
  const values = new Float32Array(rowStart[n]);
  merged.forEach(({ cols: rc, vals: rv }, i) => {
    columns.set(rc, rowStart[i]);
    values.set(rv, rowStart[i]);
  });
  return { rowStart, columns, values };
}

/** P as equal-length rows `[n * width]` for tensor ops: padding points at the row itself with value 0. */
export function paddedRows(p: Affinities): { width: number; indices: Int32Array; values: Float32Array } {
  let width = 1;
  for (let i = 0; i < p.n; i++) width = Math.max(width, p.rowStart[i + 1] - p.rowStart[i]);
  const indices = new Int32Array(p.n * width);
  const values = new Float32Array(p.n * width);
  for (let i = 0; i < p.n; i++) {
    indices.fill(i, i * width, (i + 1) * width);
    indices.set(p.columns.subarray(p.rowStart[i], p.rowStart[i + 1]), i * width);
    values.set(p.values.subarray(p.rowStart[i], p.rowStart[i + 1]), i * width);
  }
  return { width, indices, values };
}

/**
 * The joint affinities P of `features` `[N, d]` for t-SNE: squared Euclidean distances to each
 * point's K nearest neighbours, a per-point Gaussian calibrated to `perplexity` by bisection, and
 * the symmetrised, normalised joint matrix as padded sparse rows.
 *
 * @example const P = await lens.featureSpace.tsneAffinities(feats, { perplexity: 30 });
 */
export async function tsneAffinities(features: tf.Tensor2D, opts: AffinityOptions = {}): Promise<Affinities> {
  const x = checkFeatureMatrix(features, 'tsneAffinities', 2);
  const n = x.shape[0];
  const perplexity = checkNumber('perplexity', opts.perplexity ?? 30, 1, Math.max(1, n - 1));
  const k = checkInteger('neighbors', opts.neighbors ?? Math.min(n - 1, Math.floor(3 * perplexity)), 1, n - 1);
  const tolerance = checkNumber('tolerance', opts.tolerance ?? 1e-5, 0);
  const nn = await nearestNeighbors(x, Array.from({ length: n }, (_, i) => i), { k, metric: 'l2', signal: opts.signal });
  const nbr = Int32Array.from(nn.indices.flat());
  const d2 = tf.tidy(() => tf.square<tf.Tensor2D>(tf.tensor2d(nn.distances.flat(), [n, k])));
  let cond: { p: tf.Tensor2D; beta: tf.Tensor1D };
  try {
    cond = await conditionalAffinities(d2, perplexity, tolerance, opts);
  } finally {
    d2.dispose();
  }
  try {
    const [p, betas] = await Promise.all([cond.p.data() as Promise<Float32Array>, cond.beta.data() as Promise<Float32Array>]);
    return { n, ...symmetrize(n, k, nbr, p), betas: Float32Array.from(betas) };
  } finally {
    tf.dispose([cond.p, cond.beta]);
  }
}
