/**
 * GrabCut's colour models (Rother, Kolmogorov & Blake 2004) as batched tensor ops: one Gaussian
 * mixture of K full-covariance components for the background and one for the foreground, held
 * together as 2K components (0..K-1 background, K..2K-1 foreground). They start from k-means
 * (k-means++ seeding, 10 Lloyd steps, both sides at once) and are refitted by hard EM (each pixel
 * to its side's most likely component, then counts, means and covariances), as OpenCV's grabCut
 * does. Only the 2K 3x3 covariances are inverted outside tensors.
 */
import { tf } from '../../tf';

/** Two Gaussian mixtures (background components first, then foreground), `2K` components in all. */
export interface ColorGmms {
  /** Components per side. */
  k: number;
  /** `[2K]` log mixture weight within its side (a large negative number for an empty component). */
  logWeights: tf.Tensor1D;
  /** `[2K, 3]` component means. */
  means: tf.Tensor2D;
  /** `[2K, 3, 3]` inverse covariances. */
  inverseCovariances: tf.Tensor3D;
  /** `[2K]` log determinants of the covariances. */
  logDets: tf.Tensor1D;
}

/** Stands for log 0 (finite, so that sums and maxima stay NaN-free). */
const LOG_ZERO = -1e30;
/** Added to the diagonal of a singular covariance (OpenCV's grabCut adds the same). */
const WHITE_NOISE = 0.01;
const LLOYD_STEPS = 10;

/** Dispose the tensors of a {@link ColorGmms}. */
export function disposeGmms(g: ColorGmms): void {
  tf.dispose([g.logWeights, g.means, g.inverseCovariances, g.logDets]);
}

/** `[N, 2K]`: 1 where component j belongs to pixel i's side (`sides` `[N]` 0 background / 1 foreground). */
function ownSide(sides: tf.Tensor1D, k: number): tf.Tensor2D {
  return tf.tidy(() => {
    const background = Array.from({ length: 2 * k }, (_, j) => (j < k ? 1 : 0));
    const table = tf.tensor2d([background, background.map((v) => 1 - v)]); // a row per side
    return tf.matMul(tf.oneHot(sides, 2, 1, 0, 'float32'), table); // the fastest row pick on wasm (not a broadcast compare or a gather)
  });
}

/**
 * Sum over a last axis of size `k` as a matrix product with ones: the same float32 sum, but one
 * matMul instead of a reduction over tiny rows (tfjs-webgpu runs a workgroup per row there).
 */
export function sumLastAxis(t: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const k = t.shape[t.rank - 1];
    return tf.reshape(tf.matMul(tf.reshape(t, [-1, k]), tf.ones([k, 1])), t.shape.slice(0, -1));
  });
}

/** Squared distances `[N, M]` between pixels `[N, 3]` and centres `[M, 3]`. */
function squaredDistances(x: tf.Tensor2D, centres: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const d = tf.sub(tf.expandDims(x, 1), tf.expandDims(centres, 0));
    return sumLastAxis(tf.square(d)) as tf.Tensor2D;
  });
}

/**
 * k-means++ seeding for both sides at once: `[2K, 3]` centres, each drawn from its side's pixels
 * with probability proportional to the squared distance to the nearest centre drawn so far.
 */
function seedCentres(x: tf.Tensor2D, sides: tf.Tensor1D, k: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    const n = x.shape[0];
    const member = tf.stack([tf.cast(tf.equal(sides, 0), 'float32'), tf.cast(tf.equal(sides, 1), 'float32')]) as tf.Tensor2D; // [2, N]
    let nearest: tf.Tensor2D = tf.fill([2, n], 1);
    const picked: tf.Tensor2D[] = [];
    for (let j = 0; j < k; j++) {
      const raw = tf.mul(member, nearest);
      const total = tf.sum(raw, 1, true);
      // All remaining weight zero (a side of identical colours): draw uniformly from the side.
      const w = tf.where(tf.greater(total, 0).tile([1, n]), raw, member);
      const cumulative = tf.cumsum(w, 1);
      const r = tf.mul(tf.randomUniform([2, 1], 0, 1, 'float32', seed + j), tf.sum(w, 1, true));
      const index = tf.cast(tf.minimum(tf.sum(tf.cast(tf.less(cumulative, r), 'float32'), 1), n - 1), 'int32'); // [2]
      const centres = tf.gather<tf.Tensor2D>(x, index); // [2, 3]
      picked.push(centres);
      const d = tf.transpose<tf.Tensor2D>(squaredDistances(x, centres)); // [2, N]
      nearest = j === 0 ? d : tf.minimum(nearest, d);
    }
    // [K, 2, 3] -> background centres then foreground centres.
    return tf.reshape(tf.transpose(tf.stack(picked), [1, 0, 2]), [2 * k, 3]);
  });
}

/** Per-component sums of `values` `[N, D]` under hard labels `[N]` in [0, M): `[M, D]` (one matMul with the one-hot labels). */
function segmentSums(labels: tf.Tensor1D, m: number, values: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.matMul(tf.oneHot(labels, m, 1, 0, 'float32'), values, true, false));
}

/** Component counts `[M]` and means `[M, 3]` (where a component is empty: `fallback`'s row). */
function countsAndMeans(x: tf.Tensor2D, labels: tf.Tensor1D, m: number, fallback: tf.Tensor2D): [tf.Tensor1D, tf.Tensor2D] {
  return tf.tidy(() => {
    const sums = segmentSums(labels, m, tf.concat([tf.ones([x.shape[0], 1]), x], 1));
    const counts = tf.squeeze<tf.Tensor1D>(tf.slice(sums, [0, 0], [m, 1]), [1]);
    const c = tf.expandDims(counts, 1);
    const means = tf.where(tf.greater(c, 0).tile([1, 3]), tf.div(tf.slice(sums, [0, 1], [m, 3]), tf.maximum(c, 1)), fallback) as tf.Tensor2D;
    return [counts, means];
  });
}

/**
 * k-means labels `[N]` in [0, 2K) of pixels `x` `[N, 3]`, each clustered among its own side's K
 * centres (`sides` `[N]`: 0 background, 1 foreground); `seed` makes the k-means++ draws repeatable.
 */
export function kMeansLabels(x: tf.Tensor2D, sides: tf.Tensor1D, k: number, seed: number): tf.Tensor1D {
  return tf.tidy(() => {
    const penalty = tf.mul(tf.sub(1, ownSide(sides, k)), 1e30);
    let centres = seedCentres(x, sides, k, seed);
    let labels = tf.argMin<tf.Tensor1D>(tf.add(squaredDistances(x, centres), penalty), 1);
    for (let step = 0; step < LLOYD_STEPS; step++) {
      centres = countsAndMeans(x, labels, 2 * k, centres)[1];
      labels = tf.argMin<tf.Tensor1D>(tf.add(squaredDistances(x, centres), penalty), 1);
    }
    return tf.cast<tf.Tensor1D>(labels, 'int32');
  });
}

/** Inverse and log determinant of a symmetric 3x3 matrix (row-major), with white noise added when singular. */
function invert3(c: number[]): { inverse: number[]; logDet: number } {
  const det = (m: number[]) => m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
  let m = c;
  let d = det(m);
  if (d <= Number.EPSILON) {
    m = m.map((v, i) => (i % 4 === 0 ? v + WHITE_NOISE : v));
    d = det(m);
  }
  const inverse = [
    m[4] * m[8] - m[5] * m[7], m[2] * m[7] - m[1] * m[8], m[1] * m[5] - m[2] * m[4],
    m[5] * m[6] - m[3] * m[8], m[0] * m[8] - m[2] * m[6], m[2] * m[3] - m[0] * m[5],
    m[3] * m[7] - m[4] * m[6], m[1] * m[6] - m[0] * m[7], m[0] * m[4] - m[1] * m[3],
  ].map((v) => v / d);
  return { inverse, logDet: Math.log(d) };
}

/**
 * Fit both mixtures to pixels `x` `[N, 3]` from hard component labels `[N]` in [0, 2K): each
 * component's weight within its side, mean and covariance (0.01 added to the diagonal of a
 * singular one). Empty components get weight 0.
 */
export async function fitGmms(x: tf.Tensor2D, labels: tf.Tensor1D, k: number): Promise<ColorGmms> {
  const m = 2 * k;
  const [counts, means, covariances] = tf.tidy(() => {
    const [c, mu] = countsAndMeans(x, labels, m, tf.zeros([m, 3]));
    const d = tf.sub(x, tf.gather(mu, labels)); // centred first: float32 keeps small variances
    const outer = tf.reshape<tf.Rank.R2>(tf.mul(tf.expandDims(d, 2), tf.expandDims(d, 1)), [-1, 9]);
    const cov = tf.div(segmentSums(labels, m, outer), tf.expandDims(tf.maximum(c, 1), 1));
    return [c, mu, cov];
  });
  try {
    const [n, cov] = [await counts.data(), await covariances.data()];
    const inverses: number[] = [];
    const logDets: number[] = [];
    const logWeights: number[] = [];
    for (let j = 0; j < m; j++) {
      const side = j < k ? 0 : k;
      let total = 0;
      for (let i = 0; i < k; i++) total += n[side + i];
      const { inverse, logDet } = invert3(Array.from(cov.subarray(9 * j, 9 * j + 9)));
      inverses.push(...inverse);
      logDets.push(logDet);
      logWeights.push(n[j] > 0 ? Math.log(n[j] / total) : LOG_ZERO);
    }
    return {
      k,
      logWeights: tf.tensor1d(logWeights),
      means: tf.keep(means),
      inverseCovariances: tf.tensor3d(inverses, [m, 3, 3]),
      logDets: tf.tensor1d(logDets),
    };
  } catch (e) {
    means.dispose();
    throw e;
  } finally {
    tf.dispose([counts, covariances]);
  }
}

/**
 * `[N, 2K]` log density of every pixel under every component, without the mixture weight and the
 * constant -3/2 log 2π (as OpenCV's GMM): -½ (x-μ)ᵀΣ⁻¹(x-μ) - ½ log|Σ|.
 */
export function componentLogDensities(g: ColorGmms, x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const d = tf.sub(tf.expandDims(x, 0), tf.expandDims(g.means, 1)); // [2K, N, 3]
    const mahalanobis = sumLastAxis(tf.mul(tf.matMul(d, g.inverseCovariances), d)); // [2K, N]
    return tf.transpose(tf.mul(-0.5, tf.add(mahalanobis, tf.expandDims(g.logDets, 1)))) as tf.Tensor2D;
  });
}

/** Hard EM's assignment: each pixel's most likely non-empty component of its own side, `[N]` in [0, 2K). */
export function assignComponents(g: ColorGmms, logDensities: tf.Tensor2D, sides: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const empty = tf.mul(tf.cast(tf.lessEqual(g.logWeights, LOG_ZERO / 2), 'float32'), LOG_ZERO);
    const outside = tf.mul(tf.sub(1, ownSide(sides, g.k)), LOG_ZERO);
    return tf.cast(tf.argMax(tf.add(tf.add(logDensities, empty), outside), 1), 'int32') as tf.Tensor1D;
  });
}

/** `[N, 2]`: each pixel's negative log likelihood under the background mixture, then the foreground one. */
export function negativeLogLikelihoods(g: ColorGmms, logDensities: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    // log Σ exp over each side's K columns, the maximum taken column by column (no tiny-row reductions).
    const weighted = tf.reshape(tf.add(logDensities, g.logWeights), [-1, g.k]); // [2N, K]
    let top = tf.slice(weighted, [0, 0], [-1, 1]);
    for (let j = 1; j < g.k; j++) top = tf.maximum(top, tf.slice(weighted, [0, j], [-1, 1]));
    const total = sumLastAxis(tf.exp(tf.sub(weighted, top)));
    return tf.reshape<tf.Rank.R2>(tf.neg(tf.add(tf.log(total), tf.squeeze(top, [1]))), [-1, 2]);
  });
}
