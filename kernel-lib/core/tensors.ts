/** Small tensor helpers shared by every layer: one-hot rows, reading a computed tensor as numbers. */
import { tf } from '../tf';

/** `[indices.length, depth]` float32 with a 1 at each row's index (tf.oneHot needs depth >= 2; this does not). */
export function oneHotRows(indices: number[], depth: number): tf.Tensor2D {
  return tf.tidy(() =>
    tf.cast(tf.equal(tf.tensor2d(indices, [indices.length, 1], 'int32'), tf.range(0, depth, 1, 'int32').reshape([1, depth])), 'float32') as tf.Tensor2D,
  );
}

/**
 * The values of the new tensor `compute` returns, as numbers; every tensor it makes (and that
 * result) is disposed. The read is asynchronous (a GPU backend cannot read synchronously in Node).
 */
export async function valuesOf(compute: () => tf.Tensor): Promise<number[]> {
  const t = tf.tidy(compute);
  try {
    return Array.from(await t.data(), Number);
  } finally {
    t.dispose();
  }
}
