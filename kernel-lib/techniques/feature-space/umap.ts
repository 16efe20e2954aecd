/**
 * UMAP (McInnes, Healy & Melville 2018) through the umap-js library (PAIR, 1.4.0), behind the same
 * call shape as {@link tsne}: features `[N, d]` in, a `[N, 2]` embedding tensor out, frames via
 * `onIteration`, progress, Stop on `signal`, seeded. The k nearest neighbours come from
 * {@link nearestNeighbors} (chunked tensor ops on the backend, Stop between chunks) and are handed
 * to umap-js, which builds the fuzzy graph and runs the epochs (`initializeFit` / `step`) in JS.
 */
import { UMAP } from 'umap-js';
import { tf } from '../../tf';
import { checkInteger, checkNumber, checkOneOf } from '../../core/checks';
import { reportProgress, throwIfStopped, yieldToEventLoop, type RunControl } from '../../core/run-control';
import { mulberry32 } from '../../data/random';
import { checkFeatureMatrix } from './features';
import { nearestNeighbors, NEIGHBOR_METRICS, type NeighborMetric } from './neighbors';

/** One streamed frame of a UMAP run. */
export interface UmapFrame {
  /** Epochs done. */
  iteration: number;
  /** Epochs in the run. */
  total: number;
  /** `[x0, y0, x1, y1, ...]` the current positions. */
  positions: Float32Array;
}

/** Options of {@link umap}. */
export interface UmapOptions extends Omit<RunControl, 'batchSize'> {
  /** Neighbours of the fuzzy graph, self included as umap-learn (default 15, 2 to N - 1). */
  nNeighbors?: number;
  /** Smallest distance between embedded points (default 0.1, 0 to `spread`). */
  minDist?: number;
  /** Scale of the embedded points (default 1). */
  spread?: number;
  /** Optimisation epochs (default: umap-js's choice: 500 up to 2500 points, 400 to 5000, 300 to 7500, else 200). */
  nEpochs?: number;
  /** Distance of the neighbour search, `'l2'` (default) or `'cosine'`. */
  metric?: NeighborMetric;
  /** Seed of umap-js's random numbers (default 1): the same seed gives the same layout. */
  seed?: number;
  /** Epochs between frames (default 10). */
  every?: number;
  /** Called with every frame (awaited: a slow consumer slows the run, never piles up). */
  onIteration?: (frame: UmapFrame) => void | Promise<void>;
}

/** What {@link umap} returns; `dispose()` frees `embedding`. */
export interface UmapResult {
  /** `[N, 2]` final positions. */
  embedding: tf.Tensor2D;
  /** The same positions as `[x0, y0, x1, y1, ...]`. */
  positions: Float32Array;
  /** Epochs run. */
  epochs: number;
  dispose(): void;
}

function flatPositions(rows: number[][]): Float32Array {
  const out = new Float32Array(rows.length * 2);
  rows.forEach((r, i) => {
    out[2 * i] = r[0];
    out[2 * i + 1] = r[1];
  });
  return out;
}

/**
 * The checked settings of a UMAP run of `n` points (defaults filled in); throws naming the bad
 * option, its value and what is allowed. {@link umap} and `tsneScatter` (before its first run) call it.
 */
export function umapSettings(opts: UmapOptions, n: number) {
  const nNeighbors = checkInteger('nNeighbors', opts.nNeighbors ?? 15, 2, n - 1);
  const spread = checkNumber('spread', opts.spread ?? 1, Number.MIN_VALUE);
  const minDist = checkNumber('minDist', opts.minDist ?? 0.1, 0, spread);
  const nEpochs = opts.nEpochs === undefined ? undefined : checkInteger('nEpochs', opts.nEpochs, 1);
  const metric = checkOneOf('metric', opts.metric ?? 'l2', NEIGHBOR_METRICS);
  const seed = checkInteger('seed', opts.seed ?? 1, 0);
  const every = checkInteger('every', opts.every ?? 10, 1);
  return { nNeighbors, spread, minDist, nEpochs, metric, seed, every };
}

/**
 * Embed the rows of `features` `[N, d]` in 2-D with UMAP (umap-js). Frames stream to
 * `onIteration`; `signal` stops the run (the promise rejects with an AbortError, nothing left
 * allocated). The caller disposes the result.
 *
 * @example
 * const u = await lens.featureSpace.umap(feats, { nNeighbors: 15, minDist: 0.1, onIteration: (f) => draw(f.positions) });
 * u.embedding; u.dispose();
 */
export async function umap(features: tf.Tensor2D, opts: UmapOptions = {}): Promise<UmapResult> {
  const x = checkFeatureMatrix(features, 'umap', 3);
  const n = x.shape[0];
  const { nNeighbors, spread, minDist, nEpochs, metric, seed, every } = umapSettings(opts, n);
  const all = Array.from({ length: n }, (_, i) => i);
  const nn = await nearestNeighbors(x, all, { k: nNeighbors, metric, excludeSelf: false, signal: opts.signal });
  throwIfStopped(opts);
  const rows = await x.array();
  const model = new UMAP({ nNeighbors, minDist, spread, nEpochs, random: mulberry32(seed) });
  model.setPrecomputedKNN(nn.indices, nn.distances);
  const total = model.initializeFit(rows);
  for (let epoch = 0; epoch < total; epoch++) {
    model.step();
    const done = epoch + 1;
    if (done % every === 0 || done === total) {
      if (opts.onIteration) await opts.onIteration({ iteration: done, total, positions: flatPositions(model.getEmbedding()) });
      reportProgress(opts, done, total);
      await yieldToEventLoop();
      throwIfStopped(opts);
    }
  }
  const positions = flatPositions(model.getEmbedding());
  const embedding = tf.tensor2d(positions, [n, 2]);
  return { embedding, positions, epochs: total, dispose: () => embedding.dispose() };
}
