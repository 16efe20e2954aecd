/** One-hot rows that also work for depth 1 (tf.oneHot needs depth >= 2). */
import { tf } from '../tf';

/** `[indices.length, depth]` float32 with a 1 at each row's index. */
export function oneHotRows(indices: number[], depth: number): tf.Tensor2D {
  return tf.tidy(() =>
    tf.cast(tf.equal(tf.tensor2d(indices, [indices.length, 1], 'int32'), tf.range(0, depth, 1, 'int32').reshape([1, depth])), 'float32') as tf.Tensor2D,
  );
}
