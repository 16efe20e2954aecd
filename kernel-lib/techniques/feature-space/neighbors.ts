/**
 * Nearest neighbours in feature space (or pixel space): the k closest rows of a feature matrix to
 * each query, by Euclidean or cosine distance, on the active backend. Queries run in chunks so
 * only a `[chunk, N]` block of distances ever exists (never `N x N`), with progress and Stop.
 */
import { tf } from '../../tf';
import { checkInteger, checkOneOf, describeValue, isTensor } from '../../core/checks';
import { forEachChunk, type RunControl } from '../../core/run-control';
import { checkFeatureMatrix } from './features';

/** Distance between feature rows: `'l2'` (Euclidean) or `'cosine'` (1 - cosine similarity). */
export type NeighborMetric = 'l2' | 'cosine';

/** The allowed {@link NeighborMetric} values. */
export const NEIGHBOR_METRICS: readonly NeighborMetric[] = ['l2', 'cosine'];

/** Options of {@link nearestNeighbors}. */
export interface NeighborOptions extends RunControl {
  /** Neighbours per query (default 5). */
  k?: number;
  /** Default `'l2'`. */
  metric?: NeighborMetric;
  /** With index queries, leave each query out of its own neighbours (default true). */
  excludeSelf?: boolean;
  /** Distance values per chunk, rows x N (default 4M): sets how many queries run at once. */
  chunkValues?: number;
}

/** The neighbours of every query, nearest first. */
export interface Neighbors {
  /** `[Q][k]` row indices into the features. */
  indices: number[][];
  /** `[Q][k]` distances (Euclidean, or 1 - cosine similarity). */
  distances: number[][];
  metric: NeighborMetric;
}

/** Rows scaled to unit length (zero rows stay zero, as torch's cosine_similarity with eps). */
function unitRows(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.div(x, tf.maximum(tf.norm(x, 'euclidean', 1, true), 1e-8)));
}

/**
 * `[q, N]` distances from `queries` to the base rows, given transposed (`baseT` `[d, N]`: a plain
 * product is ~10x faster than one with transposeB on wasm); unit rows for cosine, and
 * `baseSquares` `[1, N]` their squared norms for l2.
 */
function distanceBlock(queries: tf.Tensor2D, baseT: tf.Tensor2D, baseSquares: tf.Tensor2D | undefined, metric: NeighborMetric): tf.Tensor2D {
  return tf.tidy(() => {
    if (metric === 'cosine') return tf.sub(1, tf.matMul(unitRows(queries), baseT));
    const qq = tf.sum(tf.square(queries), 1, true);
    const d2 = tf.add(tf.sub(qq, tf.mul(2, tf.matMul(queries, baseT))), baseSquares!);
    return tf.sqrt(tf.relu(d2));
  }) as tf.Tensor2D;
}

/** `[Q, N]` distances (Euclidean, or 1 − cosine similarity) between the rows of `a` and `b` (a new tensor). */
export function pairwiseDistances(a: tf.Tensor2D, b: tf.Tensor2D, metric: NeighborMetric = 'l2'): tf.Tensor2D {
  checkOneOf('metric', metric, NEIGHBOR_METRICS);
  return tf.tidy(() => (metric === 'cosine' ? distanceBlock(a, tf.transpose(unitRows(b)), undefined, metric) : distanceBlock(a, tf.transpose(b), tf.reshape<tf.Rank.R2>(tf.sum(tf.square(b), 1), [1, -1]), metric)));
}

/**
 * The `k` nearest rows of `features` `[N, d]` to each query: `queries` is a tensor `[Q, d]` of
 * new points, or an array of row indices into `features` (then each query is left out of its own
 * list unless `excludeSelf: false`). Distances are computed on the active backend in chunks of
 * queries; nothing is left allocated.
 *
 * @example const nn = await lens.nearestNeighbors(feats, [0, 1, 2], { k: 8, metric: 'cosine' }); nn.indices[0]
 */
export async function nearestNeighbors(features: tf.Tensor2D, queries: tf.Tensor2D | number[], opts: NeighborOptions = {}): Promise<Neighbors> {
  const base = checkFeatureMatrix(features, 'nearestNeighbors');
  const [n, d] = base.shape;
  const metric = checkOneOf('metric', opts.metric ?? 'l2', NEIGHBOR_METRICS);
  const byIndex = Array.isArray(queries);
  if (byIndex) queries.forEach((q, i) => checkInteger(`queries[${i}]`, q, 0, n - 1));
  else if (!isTensor(queries) || queries.rank !== 2 || queries.shape[1] !== d) {
    throw new Error(`nearestNeighbors: queries must be row indices or a tensor [Q, ${d}] (as many columns as features); got ${describeValue(queries)}`);
  }
  const excludeSelf = byIndex && (opts.excludeSelf ?? true);
  const k = checkInteger('k', opts.k ?? 5, 1, excludeSelf ? n - 1 : n);
  const chunkValues = checkInteger('chunkValues', opts.chunkValues ?? 4 * 1024 * 1024, 1);
  const q = byIndex ? queries.length : queries.shape[0];
  const rows = Math.max(1, Math.floor(chunkValues / n));
  const prepared = tf.tidy(() => tf.transpose(metric === 'cosine' ? unitRows(base) : base));
  const squares = metric === 'l2' ? tf.tidy(() => tf.reshape<tf.Rank.R2>(tf.sum(tf.square(base), 1), [1, n])) : undefined;
  const out: Neighbors = { indices: [], distances: [], metric };
  try {
    await forEachChunk(q, rows, opts, async (start, end) => {
      // Leaving the query out: one neighbour more, then drop the query from its own list in
      // JavaScript (masking the block with Equal and Where took 80% of the time on wasm).
      const kept = excludeSelf ? k + 1 : k;
      const top = tf.tidy(() => {
        const block = byIndex ? tf.gather(base, tf.tensor1d(queries.slice(start, end), 'int32')) : tf.slice(queries, [start, 0], [end - start, d]);
        const { values, indices } = tf.topk(tf.neg(distanceBlock(block, prepared, squares, metric)), kept, true);
        return [tf.neg(values), indices];
      });
      try {
        const [dv, iv] = await Promise.all([top[0].data(), top[1].data()]);
        for (let r = 0; r < end - start; r++) {
          let ids = Array.from(iv.subarray(r * kept, (r + 1) * kept));
          let dists = Array.from(dv.subarray(r * kept, (r + 1) * kept));
          if (excludeSelf) {
            // The query itself, or (when ties put it beyond the list) the farthest entry.
            const self = ids.indexOf(queries[start + r]);
            const drop = self >= 0 ? self : k;
            ids = ids.filter((_, j) => j !== drop);
            dists = dists.filter((_, j) => j !== drop);
          }
          out.indices.push(ids);
          out.distances.push(dists);
        }
      } finally {
        tf.dispose(top);
      }
    });
  } finally {
    tf.dispose([prepared, squares]);
  }
  return out;
}

/**
 * Share of each point's `k` nearest neighbours (by index into the same rows) that carry its
 * label: leave-one-out kNN classification accuracy by majority vote (ties to the nearest), a
 * quality figure for a feature space or an embedding.
 */
export async function knnAccuracy(features: tf.Tensor2D, labels: ArrayLike<number>, opts: NeighborOptions = {}): Promise<number> {
  const base = checkFeatureMatrix(features, 'knnAccuracy', 2);
  if (labels.length !== base.shape[0]) throw new Error(`knnAccuracy: labels must have one entry per row (${base.shape[0]}); got ${labels.length}`);
  const nn = await nearestNeighbors(base, Array.from({ length: base.shape[0] }, (_, i) => i), { ...opts, excludeSelf: true });
  let right = 0;
  nn.indices.forEach((ids, i) => {
    const votes = new Map<number, number>();
    for (const j of ids) votes.set(labels[j], (votes.get(labels[j]) ?? 0) + 1);
    let best = labels[ids[0]];
    for (const [label, count] of votes) if (count > (votes.get(best) ?? 0)) best = label;
    if (best === labels[i]) right++;
  });
  return right / base.shape[0];
}
