/**
 * The t-SNE objective and its gradient (van der Maaten & Hinton 2008, eq. 5) for 2-D positions Y:
 * KL(P ‖ Q) with q_ij = (1 + ‖y_i − y_j‖²)⁻¹ / Z, and
 * ∂C/∂y_i = 4 Σ_j (α p_ij − q_ij) (1 + ‖y_i − y_j‖²)⁻¹ (y_i − y_j) (α: early exaggeration).
 * The attractive part runs over P's sparse rows, the repulsive part exactly over all pairs in
 * row chunks (never N x N at once), all as tensor ops: the GPU path. `barnes-hut.ts` gives the
 * CPU approximation of the repulsive part.
 */
import { tf } from '../../tf';
import { paddedRows, type Affinities } from './affinities';

/** P's padded sparse rows as tensors (see {@link affinityTensors}). */
export interface AffinityTensors {
  /** `[N, W]` int32 neighbour indices. */
  indices: tf.Tensor2D;
  /** `[N, W]` p_ij. */
  values: tf.Tensor2D;
  /** Σ p_ij log p_ij (the constant part of the KL divergence). */
  entropyTerm: number;
}

/** Σ p_ij log p_ij of P (the constant part of the KL divergence). */
export function affinityEntropyTerm(p: Affinities): number {
  let sum = 0;
  for (const v of p.values) if (v > 0) sum += v * Math.log(v);
  return sum;
}

/** Upload P as padded rows (the caller disposes the tensors). */
export function affinityTensors(p: Affinities): AffinityTensors {
  const rows = paddedRows(p);
  return {
    indices: tf.tensor2d(rows.indices, [p.n, rows.width], 'int32'),
    values: tf.tensor2d(rows.values, [p.n, rows.width]),
    entropyTerm: affinityEntropyTerm(p),
  };
}

/** Σ_j α p_ij w_ij (y_i − y_j) with w_ij = (1 + ‖y_i − y_j‖²)⁻¹ over P's entries `[N, 2]`, and Σ p_ij log w_ij. */
export function attractiveForces(y: tf.Tensor2D, p: AffinityTensors, exaggeration = 1): { forces: tf.Tensor2D; logTerm: tf.Scalar } {
  return tf.tidy(() => {
    const diff = tf.sub(tf.expandDims(y, 1), tf.gather(y, p.indices)); // [N, W, 2]
    const w = tf.reciprocal(tf.add(1, tf.sum(tf.square(diff), 2))); // [N, W]
    const pw = tf.mul(p.values, w);
    return {
      forces: tf.mul<tf.Tensor2D>(exaggeration, tf.sum(tf.mul(tf.expandDims(pw, 2), diff), 1)),
      logTerm: tf.sum<tf.Scalar>(tf.mul(p.values, tf.log(w))),
    };
  });
}

/**
 * Exact repulsion over all pairs, in row chunks of about `chunkValues / N` rows (each chunk's
 * temporaries freed before the next): `forces[i]` = Σ_j w_ij² (y_i − y_j) `[N, 2]` and
 * Z = Σ_{i≠j} w_ij.
 */
export function exactRepulsion(y: tf.Tensor2D, chunkValues = 2 ** 21): { forces: tf.Tensor2D; z: tf.Scalar } {
  const n = y.shape[0];
  const rows = Math.max(1, Math.floor(chunkValues / n));
  const [xs, ys] = tf.tidy(() => [tf.reshape(tf.slice(y, [0, 0], [n, 1]), [1, n]), tf.reshape(tf.slice(y, [0, 1], [n, 1]), [1, n])]);
  const parts: tf.Tensor[] = [];
  const zs: tf.Tensor[] = [];
  try {
    for (let start = 0; start < n; start += rows) {
      const r = Math.min(rows, n - start);
      const [part, z] = tf.tidy((): [tf.Tensor, tf.Tensor] => {
        const dx = tf.sub(tf.slice(y, [start, 0], [r, 1]), xs); // [r, N]
        const dy = tf.sub(tf.slice(y, [start, 1], [r, 1]), ys);
        const w = tf.reciprocal(tf.add(1, tf.add(tf.square(dx), tf.square(dy))));
        const w2 = tf.square(w);
        // The diagonal's w_ii = 1 is left out of Z; its force is 0.
        return [tf.stack([tf.sum(tf.mul(w2, dx), 1), tf.sum(tf.mul(w2, dy), 1)], 1), tf.sub(tf.sum(w), r)];
      });
      parts.push(part);
      zs.push(z);
    }
    return tf.tidy(() => ({ forces: (parts.length === 1 ? tf.clone(parts[0]) : tf.concat(parts, 0)) as tf.Tensor2D, z: tf.addN(zs) as tf.Scalar }));
  } finally {
    tf.dispose([xs, ys, ...parts, ...zs]);
  }
}

/**
 * The exact gradient `[N, 2]` of KL(P ‖ Q) at `y` with P scaled by `exaggeration`, and the KL
 * divergence itself (of the unexaggerated P). New tensors the caller disposes.
 */
export function tsneGradient(y: tf.Tensor2D, p: AffinityTensors, exaggeration = 1, chunkValues = 2 ** 21): { gradient: tf.Tensor2D; kl: tf.Scalar } {
  const attract = attractiveForces(y, p, exaggeration);
  const repel = exactRepulsion(y, chunkValues);
  try {
    return combineForces(attract, repel, p.entropyTerm);
  } finally {
    tf.dispose([attract.forces, attract.logTerm, repel.forces, repel.z]);
  }
}

/** 4 (attraction − repulsion / Z) and KL = Σ p log p − Σ p log w + log Z. */
export function combineForces(attract: { forces: tf.Tensor2D; logTerm: tf.Scalar }, repel: { forces: tf.Tensor2D; z: tf.Scalar }, entropyTerm: number): { gradient: tf.Tensor2D; kl: tf.Scalar } {
  return tf.tidy(() => ({
    gradient: tf.mul<tf.Tensor2D>(4, tf.sub(attract.forces, tf.div(repel.forces, repel.z))),
    kl: tf.add<tf.Scalar>(tf.sub(entropyTerm, attract.logTerm), tf.log(repel.z)),
  }));
}
