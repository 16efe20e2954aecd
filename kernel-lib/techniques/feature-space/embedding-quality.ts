/**
 * How faithfully a low-dimensional embedding keeps the neighbourhoods of the original features:
 * k-NN preservation (share of each point's k nearest neighbours kept) and trustworthiness (Venna
 * & Kaski 2001, as scikit-learn's `trustworthiness`: penalises embedding neighbours that were far
 * in the original space by their rank there). Ranks are counted with tensor ops in row chunks.
 */
import { tf } from '../../tf';
import { checkInteger } from '../../core/checks';
import { forEachChunk, type RunControl } from '../../core/run-control';
import { checkFeatureMatrix } from './features';
import { nearestNeighbors, pairwiseDistances } from './neighbors';

function checkPair(high: unknown, low: unknown, where: string, k: number): [tf.Tensor2D, tf.Tensor2D] {
  const a = checkFeatureMatrix(high, where, 2);
  const b = checkFeatureMatrix(low, where, 2);
  if (a.shape[0] !== b.shape[0]) throw new Error(`${where}: the features (${a.shape[0]} rows) and the embedding (${b.shape[0]} rows) must have the same rows`);
  checkInteger('k', k, 1, a.shape[0] - 2);
  return [a, b];
}

/** Mean share of each point's `k` nearest neighbours in `high` `[N, d]` that are among its `k` nearest in `low` `[N, e]`. */
export async function neighborPreservation(high: tf.Tensor2D, low: tf.Tensor2D, k = 10, control: RunControl = {}): Promise<number> {
  const [a, b] = checkPair(high, low, 'neighborPreservation', k);
  const all = Array.from({ length: a.shape[0] }, (_, i) => i);
  const [na, nb] = [await nearestNeighbors(a, all, { k, signal: control.signal }), await nearestNeighbors(b, all, { k, signal: control.signal })];
  let kept = 0;
  na.indices.forEach((ids, i) => {
    const near = new Set(nb.indices[i]);
    for (const j of ids) if (near.has(j)) kept++;
  });
  return kept / (k * a.shape[0]);
}

/**
 * Trustworthiness of embedding `low` for features `high` at `k` neighbours, in [0, 1] (1: every
 * embedding neighbour is also a neighbour in the features):
 * T = 1 − 2 / (N k (2N − 3k − 1)) Σ_i Σ_{j ∈ U_i} (r(i, j) − k), r the rank in the feature space.
 */
export async function trustworthiness(high: tf.Tensor2D, low: tf.Tensor2D, k = 10, control: RunControl = {}): Promise<number> {
  const [a, b] = checkPair(high, low, 'trustworthiness', k);
  const n = a.shape[0];
  const nb = await nearestNeighbors(b, Array.from({ length: n }, (_, i) => i), { k, signal: control.signal });
  const rows = Math.max(1, Math.floor((4 * 1024 * 1024) / (n * k)));
  let penalty = 0;
  await forEachChunk(n, rows, control, async (start, end) => {
    const excess = tf.tidy(() => {
      const r = end - start;
      const ids = tf.range(start, end, 1, 'int32');
      const self = tf.equal(tf.reshape(ids, [-1, 1]), tf.reshape(tf.range(0, n, 1, 'int32'), [1, n]));
      const d = tf.where(self, tf.fill([r, n], Infinity), pairwiseDistances(tf.gather(a, ids), a)); // [r, N]
      const flat = Int32Array.from(nb.indices.slice(start, end).flatMap((ids, row) => ids.map((j) => row * n + j)));
      const picked = tf.reshape(tf.gather(tf.reshape(d, [-1]), flat), [r, k]); // d(i, j) for i's embedding neighbours j
      const rank = tf.add(1, tf.sum(tf.cast(tf.less(tf.expandDims(d, 1), tf.expandDims(picked, 2)), 'float32'), 2)); // [r, k]
      return tf.sum(tf.relu(tf.sub(rank, k)));
    });
    penalty += (await excess.data())[0];
    excess.dispose();
  });
  return 1 - (2 / (n * k * (2 * n - 3 * k - 1))) * penalty;
}
