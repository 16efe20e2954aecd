/**
 * t-SNE (van der Maaten & Hinton 2008): 2-D positions whose Student-t similarities match the
 * perplexity-calibrated Gaussian affinities of the features (`affinities.ts`), found by gradient
 * descent with early exaggeration, momentum and per-coordinate gains (as tsne.py and
 * scikit-learn). Two gradients: `'exact'`, all pairs as chunked tensor ops (the GPU path,
 * `tsne-gradient.ts`), and `'barnes-hut'`, the repulsion approximated over a quadtree in typed
 * arrays (`barnes-hut.ts`, the CPU path for large N). Streams frames (`onIteration`, every `every`
 * iterations, with the KL divergence), reports progress and stops on `signal`.
 */
import { tf } from '../../tf';
import { checkInteger, checkNumber, checkOneOf, describeValue, isTensor } from '../../core/checks';
import { reportProgress, throwIfStopped, yieldToEventLoop } from '../../core/run-control';
import { affinitySettings, tsneAffinities, type Affinities, type AffinityOptions } from './affinities';
import { barnesHutGradient } from './barnes-hut';
import { checkFeatureMatrix } from './features';
import { pca } from './pca';
import { affinityEntropyTerm, affinityTensors, tsneGradient, type AffinityTensors } from './tsne-gradient';

/** How the gradient's repulsive part is computed. */
export type TsneMethod = 'exact' | 'barnes-hut';

/**
 * The allowed `method` values. `'auto'`: exact on a GPU backend, or up to 1000 points on wasm and
 * tfjs-node; Barnes-Hut otherwise, and always on the pure-JS cpu backend (there the exact method
 * takes 15-27x longer already at 250-1000 points: bench/README.md).
 */
export const TSNE_METHODS: ReadonlyArray<TsneMethod | 'auto'> = ['auto', 'exact', 'barnes-hut'];

/** One streamed frame of a t-SNE run. */
export interface TsneFrame {
  /** Iterations done. */
  iteration: number;
  /** Iterations in the run. */
  total: number;
  /** `[x0, y0, x1, y1, ...]` the current positions. */
  positions: Float32Array;
  /** KL(P ‖ Q) at these positions (unexaggerated P). */
  kl: number;
  /** The exaggeration in force. */
  exaggeration: number;
}

/** Options of {@link tsne}. */
export interface TsneOptions extends AffinityOptions {
  /** Gradient steps (default 1000). */
  iterations?: number;
  /** Step size, or `'auto'` (default): max(N / exaggeration / 4, 50), as scikit-learn. */
  learningRate?: number | 'auto';
  /** Factor on P during the first `exaggerationIterations` steps (default 12). */
  exaggeration?: number;
  /** Steps with early exaggeration and the first momentum (default 250, at most `iterations`). */
  exaggerationIterations?: number;
  /** Momentum during early exaggeration (default 0.5), and after it (`finalMomentum`, default 0.8). */
  momentum?: number;
  finalMomentum?: number;
  /** `'pca'` (default: the first two principal components scaled to std 1e-4), `'random'` (N(0, 1e-4²)), or positions `[N, 2]`. */
  init?: 'pca' | 'random' | tf.Tensor2D;
  /** Seed of the random start (default 1). */
  seed?: number;
  /** `'auto'` (default), `'exact'` or `'barnes-hut'`. */
  method?: TsneMethod | 'auto';
  /** Barnes-Hut accuracy: a cell narrower than theta × its distance acts as one point (default 0.5). */
  theta?: number;
  /** Iterations between frames and KL readings (default 10). */
  every?: number;
  /** Called with every frame (awaited: a slow consumer slows the run, never piles up). */
  onIteration?: (frame: TsneFrame) => void | Promise<void>;
  /** Affinities computed before (same features), e.g. to rerun with another seed. */
  affinities?: Affinities;
}

/** What {@link tsne} returns; `dispose()` frees `embedding`. */
export interface TsneResult {
  /** `[N, 2]` final positions. */
  embedding: tf.Tensor2D;
  /** The same positions as `[x0, y0, x1, y1, ...]`. */
  positions: Float32Array;
  /** Final KL(P ‖ Q). */
  kl: number;
  /** KL divergence at every frame. */
  klHistory: Array<{ iteration: number; kl: number }>;
  method: TsneMethod;
  learningRate: number;
  /** The input affinities (pass them back as `affinities` to skip the calibration). */
  affinities: Affinities;
  dispose(): void;
}

function startPositions(init: TsneOptions['init'], x: tf.Tensor2D, seed: number): Promise<tf.Tensor2D> | tf.Tensor2D {
  const n = x.shape[0];
  if (isTensor(init)) {
    if (init.rank !== 2 || init.shape[0] !== n || init.shape[1] !== 2) throw new Error(`init must be 'pca', 'random' or a tensor [${n}, 2]; got ${describeValue(init)}`);
    return tf.cast<tf.Tensor2D>(init, 'float32');
  }
  checkOneOf('init', init, ['pca', 'random'] as const);
  if (init === 'random' || x.shape[1] < 2) return tf.randomNormal<tf.Rank.R2>([n, 2], 0, 1e-4, 'float32', seed);
  return pca(x, 2).then((p) => {
    try {
      return tf.tidy(() => {
        const first = tf.slice(p.projected, [0, 0], [n, 1]);
        const std = tf.sqrt(tf.mean(tf.square(tf.sub(first, tf.mean(first)))));
        return tf.div<tf.Tensor2D>(tf.mul(p.projected, 1e-4), tf.maximum(std, 1e-12));
      });
    } finally {
      p.dispose();
    }
  });
}

/** What `'auto'` means on the active backend for `n` points (see {@link TSNE_METHODS}). */
function chooseMethod(method: TsneMethod | 'auto', n: number): TsneMethod {
  if (method !== 'auto') return method;
  const backend = tf.getBackend();
  if (['webgl', 'webgpu'].includes(backend)) return 'exact';
  return n <= 1000 && backend !== 'cpu' ? 'exact' : 'barnes-hut';
}

/** The gradient and KL at `y`: exact as tensor ops on `tensors`, or Barnes-Hut over typed arrays on `p` (new tensors). */
async function gradientAt(y: tf.Tensor2D, p: Affinities, tensors: AffinityTensors | undefined, entropyTerm: number, exaggeration: number, theta: number): Promise<{ gradient: tf.Tensor2D; kl: tf.Scalar }> {
  if (tensors) return tsneGradient(y, tensors, exaggeration);
  const { gradient, kl } = barnesHutGradient(await y.data(), p, exaggeration, theta, entropyTerm);
  return { gradient: tf.tensor2d(Float32Array.from(gradient), [p.n, 2]), kl: tf.scalar(kl) };
}

/**
 * The checked settings of a t-SNE run of `n` points (defaults filled in, the affinities' options
 * included); throws naming the bad option, its value and what is allowed. {@link tsne} and
 * `tsneScatter` (before its first run) call it.
 */
export function tsneSettings(opts: TsneOptions, n: number) {
  const iterations = checkInteger('iterations', opts.iterations ?? 1000, 1);
  const exaggeration = checkNumber('exaggeration', opts.exaggeration ?? 12, 1);
  const exaggerationIterations = Math.min(iterations, checkInteger('exaggerationIterations', opts.exaggerationIterations ?? 250, 0));
  const momentum = checkNumber('momentum', opts.momentum ?? 0.5, 0, 1);
  const finalMomentum = checkNumber('finalMomentum', opts.finalMomentum ?? 0.8, 0, 1);
  const lr = opts.learningRate === undefined || opts.learningRate === 'auto' ? Math.max(n / exaggeration / 4, 50) : checkNumber('learningRate', opts.learningRate, Number.MIN_VALUE);
  const method = chooseMethod(checkOneOf('method', opts.method ?? 'auto', TSNE_METHODS), n);
  const theta = checkNumber('theta', opts.theta ?? 0.5, 0, 10);
  const every = checkInteger('every', opts.every ?? 10, 1);
  const seed = checkInteger('seed', opts.seed ?? 1, 0);
  if (!opts.affinities) affinitySettings(opts, n);
  return { iterations, exaggeration, exaggerationIterations, momentum, finalMomentum, lr, method, theta, every, seed };
}

/**
 * Embed the rows of `features` `[N, d]` in 2-D with t-SNE. Frames stream to `onIteration`;
 * `signal` stops the run (the promise rejects with an AbortError, nothing left allocated).
 * The caller disposes the result.
 *
 * @example
 * const t = await lens.tsne(feats, { perplexity: 30, iterations: 500, onIteration: (f) => draw(f.positions) });
 * t.kl; t.dispose();
 */
export async function tsne(features: tf.Tensor2D, opts: TsneOptions = {}): Promise<TsneResult> {
  const x = checkFeatureMatrix(features, 'tsne', 3);
  const n = x.shape[0];
  const { iterations, exaggeration, exaggerationIterations, momentum, finalMomentum, lr, method, theta, every, seed } = tsneSettings(opts, n);
  if (opts.affinities && opts.affinities.n !== n) throw new Error(`affinities were computed for ${opts.affinities.n} points; the features have ${n} rows`);
  const init = opts.init ?? 'pca';
  if (!isTensor(init)) checkOneOf('init', init, ['pca', 'random'] as const);
  const affinities = opts.affinities ?? (await tsneAffinities(x, opts));
  throwIfStopped(opts);
  let y = await startPositions(init, x, seed);
  const tensors = method === 'exact' ? affinityTensors(affinities) : undefined;
  const entropyTerm = affinityEntropyTerm(affinities);
  let update = tf.zerosLike(y);
  let gains = tf.onesLike(y);
  const klHistory: Array<{ iteration: number; kl: number }> = [];
  let kl = NaN;
  try {
    for (let it = 0; it < iterations; it++) {
      const early = it < exaggerationIterations;
      const alpha = early ? exaggeration : 1;
      const mom = early ? momentum : finalMomentum;
      if (it === exaggerationIterations && it > 0) {
        // A fresh optimiser for the second stage, as scikit-learn (its second _gradient_descent call).
        tf.dispose([update, gains]);
        update = tf.zerosLike(y);
        gains = tf.onesLike(y);
      }
      const step = await gradientAt(y, affinities, tensors, entropyTerm, alpha, theta);
      const next = tf.tidy(() => {
        const g = step.gradient;
        // Gains grow where the step goes downhill (update and gradient of opposite signs), else shrink.
        const downhill = tf.less(tf.mul(update, g), 0);
        const newGains = tf.maximum(tf.where(downhill, tf.add(gains, 0.2), tf.mul(gains, 0.8)), 0.01);
        const newUpdate = tf.sub(tf.mul(mom, update), tf.mul(lr, tf.mul(newGains, g)));
        const moved = tf.add(y, newUpdate);
        return [tf.sub(moved, tf.mean(moved, 0, true)), newUpdate, newGains] as tf.Tensor2D[];
      });
      tf.dispose([y, update, gains]);
      [y, update, gains] = next;
      const last = it === iterations - 1;
      if ((it + 1) % every === 0 || last) {
        kl = (await step.kl.data())[0];
        klHistory.push({ iteration: it + 1, kl });
        if (opts.onIteration) await opts.onIteration({ iteration: it + 1, total: iterations, positions: (await y.data()) as Float32Array, kl, exaggeration: alpha });
        reportProgress(opts, it + 1, iterations);
      }
      tf.dispose([step.gradient, step.kl]);
      await yieldToEventLoop();
      throwIfStopped(opts);
    }
    const positions = Float32Array.from(await y.data());
    const embedding = y;
    return { embedding, positions, kl, klHistory, method, learningRate: lr, affinities, dispose: () => embedding.dispose() };
  } catch (e) {
    y.dispose();
    throw e;
  } finally {
    tf.dispose([update, gains, tensors?.indices, tensors?.values]);
  }
}
