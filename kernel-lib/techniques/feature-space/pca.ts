/**
 * Principal component analysis of a feature matrix on the active backend: the covariance is
 * accumulated over row chunks (progress, Stop), its top eigenvectors found by subspace iteration
 * with Rayleigh-Ritz (covariance products as tensor ops, the small projected problem in float64),
 * or directly (Jacobi rotations in float64) when there are at most 256 features. Components are signed so that each one's
 * largest-magnitude entry is positive.
 */
import { tf } from '../../tf';
import { checkInteger, checkNumber } from '../../core/checks';
import { forEachChunk, throwIfStopped, yieldToEventLoop, type RunControl } from '../../core/run-control';
import { mulberry32 } from '../../data/random';
import { checkFeatureMatrix } from './features';
import { symmetricEigen } from './symmetric-eigen';

/** Up to this many features the covariance is decomposed directly. */
const DIRECT_MAX = 256;
/** Subspace iterations per Rayleigh-Ritz step and convergence check (the costly float64 part). */
const RITZ_EVERY = 4;

/** Options of {@link pca}. */
export interface PcaOptions extends RunControl {
  /** Subtract the mean first (default true). */
  center?: boolean;
  /** Subspace iterations at most (default 500). */
  maxIterations?: number;
  /** Stop when every residual ‖C v − λ v‖ is below `tolerance` × λ₁ (default 1e-6). */
  tolerance?: number;
  /** Seed of the starting subspace (default 1). */
  seed?: number;
}

/** What {@link pca} returns; `dispose()` frees its tensors. */
export interface PcaResult {
  /** `[N, k]` the rows in component coordinates. */
  projected: tf.Tensor2D;
  /** `[k, d]` unit principal directions, largest variance first. */
  components: tf.Tensor2D;
  /** `[d]` the mean subtracted (zeros with `center: false`). */
  mean: tf.Tensor1D;
  /** Variance along each component (eigenvalues of the covariance, divisor N − 1). */
  explainedVariance: number[];
  /** Each component's share of the total variance. */
  explainedVarianceRatio: number[];
  /** Subspace iterations run (0 when solved directly). */
  iterations: number;
  /** New rows `[M, d]` in component coordinates (a new tensor). */
  transform(x: tf.Tensor2D): tf.Tensor2D;
  dispose(): void;
}

/** Orthonormalise the `m` columns of row-major `d x m` `q` in place (modified Gram-Schmidt, `passes` times: twice for stability). */
function orthonormalize(q: Float64Array, d: number, m: number, passes = 2): void {
  for (let pass = 0; pass < passes; pass++) {
    for (let j = 0; j < m; j++) {
      for (let i = 0; i < j; i++) {
        let dot = 0;
        for (let r = 0; r < d; r++) dot += q[r * m + i] * q[r * m + j];
        for (let r = 0; r < d; r++) q[r * m + j] -= dot * q[r * m + i];
      }
      let norm = 0;
      for (let r = 0; r < d; r++) norm += q[r * m + j] ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let r = 0; r < d; r++) q[r * m + j] /= norm;
    }
  }
}

/** `a (d x m) · b (m x p)`, row-major float64. */
function multiply(a: Float64Array, b: Float64Array, d: number, m: number, p: number): Float64Array {
  const out = new Float64Array(d * p);
  for (let r = 0; r < d; r++) for (let i = 0; i < m; i++) {
    const x = a[r * m + i];
    if (x !== 0) for (let c = 0; c < p; c++) out[r * p + c] += x * b[i * p + c];
  }
  return out;
}

/** `aᵀ (m x d) · b (d x m)` for row-major `d x m` a and b. */
function innerProducts(a: Float64Array, b: Float64Array, d: number, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let r = 0; r < d; r++) for (let i = 0; i < m; i++) {
    const x = a[r * m + i];
    for (let j = 0; j < m; j++) out[i * m + j] += x * b[r * m + j];
  }
  return out;
}

/** The covariance `[d, d]` (divisor N − 1, at least 1) and the mean `[d]`, over row chunks. */
async function covariance(x: tf.Tensor2D, center: boolean, control: RunControl): Promise<{ cov: tf.Tensor2D; mean: tf.Tensor1D }> {
  const [n, d] = x.shape;
  const mean = center ? tf.tidy(() => tf.mean<tf.Tensor1D>(x, 0)) : tf.zeros<tf.Rank.R1>([d]);
  let cov = tf.zeros<tf.Rank.R2>([d, d]);
  const rows = Math.max(1, Math.floor((4 * 1024 * 1024) / d));
  try {
    await forEachChunk(n, rows, { signal: control.signal }, (start, end) => {
      const next = tf.tidy(() => {
        const xc = tf.sub(tf.slice(x, [start, 0], [end - start, d]), mean);
        // An explicit transpose: matMul's transposeA is ~15x slower on wasm.
        return tf.add<tf.Tensor2D>(cov, tf.matMul(tf.transpose(xc), xc));
      });
      cov.dispose();
      cov = next;
    });
    const scaled = tf.tidy(() => tf.div<tf.Tensor2D>(cov, Math.max(1, n - 1)));
    cov.dispose();
    return { cov: scaled, mean };
  } catch (e) {
    tf.dispose([cov, mean]);
    throw e;
  }
}

/**
 * The top `k` principal components of `features` `[N, d]` and the rows projected on them.
 * Matches an SVD of the centred data (up to each component's sign). The caller disposes the result.
 *
 * @example const p = await lens.featureSpace.pca(feats, 2); p.explainedVarianceRatio; p.dispose();
 */
export async function pca(features: tf.Tensor2D, k: number, opts: PcaOptions = {}): Promise<PcaResult> {
  const x = checkFeatureMatrix(features, 'pca');
  const [, d] = x.shape;
  checkInteger('k', k, 1, d);
  const maxIterations = checkInteger('maxIterations', opts.maxIterations ?? 500, 1);
  const tolerance = checkNumber('tolerance', opts.tolerance ?? 1e-6, 0);
  const seed = checkInteger('seed', opts.seed ?? 1, 0);
  const { cov, mean } = await covariance(x, opts.center ?? true, opts);
  let components: tf.Tensor2D | undefined;
  try {
    const trace = (await valuesAndDispose(tf.tidy(() => tf.sum(tf.mul(cov, tf.eye(d))))))[0];
    let vectors: Float64Array; // d x k row-major
    let values: Float64Array;
    let iterations = 0;
    if (d <= DIRECT_MAX) {
      const eig = symmetricEigen(await cov.data(), d);
      values = eig.values.slice(0, k);
      vectors = new Float64Array(d * k);
      for (let r = 0; r < d; r++) for (let c = 0; c < k; c++) vectors[r * k + c] = eig.vectors[r * d + c];
    } else {
      const m = Math.min(d, k + 10);
      const random = mulberry32(seed);
      let q: Float64Array = Float64Array.from({ length: d * m }, () => random() - 0.5);
      orthonormalize(q, d, m);
      let ritz: { values: Float64Array; vectors: Float64Array } = { values: new Float64Array(m), vectors: q };
      for (;;) {
        iterations++;
        const y = Float64Array.from(await valuesAndDispose(tf.tidy(() => tf.matMul(cov, tf.tensor2d(Float32Array.from(q), [d, m]))))); // C Q
        opts.onProgress?.({ done: iterations, total: maxIterations, fraction: iterations / maxIterations });
        if (iterations % RITZ_EVERY !== 0 && iterations < maxIterations) {
          // Plain orthogonal iteration in between: span(C Q) is the subspace Rayleigh-Ritz would give.
          q = y;
          // One pass is enough here; the subspace before a Rayleigh-Ritz step gets two.
          orthonormalize(q, d, m, (iterations + 1) % RITZ_EVERY === 0 ? 2 : 1);
          if (iterations % 16 === 0) await yieldToEventLoop();
          throwIfStopped(opts);
          continue;
        }
        const eig = symmetricEigen(innerProducts(q, y, d, m), m); // Qᵀ C Q = W Θ Wᵀ
        const u = multiply(q, eig.vectors, d, m, m); // Ritz vectors
        const cu = multiply(y, eig.vectors, d, m, m); // C u
        let worst = 0;
        for (let c = 0; c < k; c++) {
          let r2 = 0;
          for (let r = 0; r < d; r++) r2 += (cu[r * m + c] - eig.values[c] * u[r * m + c]) ** 2;
          worst = Math.max(worst, Math.sqrt(r2));
        }
        ritz = { values: eig.values, vectors: u };
        if (worst <= tolerance * Math.max(eig.values[0], 1e-30) || iterations >= maxIterations) break;
        q = cu;
        orthonormalize(q, d, m);
        if (iterations % 16 === 0) await yieldToEventLoop();
        throwIfStopped(opts);
      }
      values = ritz.values.slice(0, k);
      vectors = new Float64Array(d * k);
      for (let r = 0; r < d; r++) for (let c = 0; c < k; c++) vectors[r * k + c] = ritz.vectors[r * m + c];
    }
    // Sign: the largest-magnitude entry of each component is positive.
    for (let c = 0; c < k; c++) {
      let best = 0;
      for (let r = 0; r < d; r++) if (Math.abs(vectors[r * k + c]) > Math.abs(vectors[best * k + c])) best = r;
      if (vectors[best * k + c] < 0) for (let r = 0; r < d; r++) vectors[r * k + c] = -vectors[r * k + c];
    }
    components = tf.tidy(() => tf.transpose<tf.Tensor2D>(tf.tensor2d(Float32Array.from(vectors), [d, k])));
    const comps = components;
    const transform = (rows: tf.Tensor2D): tf.Tensor2D => {
      checkFeatureMatrix(rows, 'pca.transform');
      if (rows.shape[1] !== d) throw new Error(`pca.transform: rows must have ${d} columns (as the fitted features); got shape [${rows.shape.join(', ')}]`);
      return tf.tidy(() => tf.matMul<tf.Tensor2D>(tf.sub(rows, mean), tf.transpose(comps)));
    };
    const projected = transform(x);
    const variance = Array.from(values, (v) => Math.max(0, v));
    return {
      projected,
      components: comps,
      mean,
      explainedVariance: variance,
      explainedVarianceRatio: variance.map((v) => (trace > 0 ? v / trace : 0)),
      iterations,
      transform,
      dispose: () => tf.dispose([projected, comps, mean]),
    };
  } catch (e) {
    tf.dispose([mean, components]);
    throw e;
  } finally {
    cov.dispose();
  }
}

/** The values of `t` as float64, `t` disposed. */
async function valuesAndDispose(t: tf.Tensor): Promise<Float64Array> {
  try {
    return Float64Array.from(await t.data());
  } finally {
    t.dispose();
  }
}
