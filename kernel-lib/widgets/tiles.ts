/**
 * What a tile of a stack `[n, h, w, c]` shows (RGB, the channel mean or one channel) and the
 * norms tiles are sorted by. Stretching and RGBA bytes are the render layer's
 * (`toDisplayRange`, `rgbaBytes`).
 */
import { tf } from '../tf';

/** L2 norm of each tile of a stack `[n, ...]`, as numbers. */
export function tileNorms(stack: tf.Tensor): number[] {
  const norms = tf.tidy(() => tf.sqrt(tf.sum(tf.square(tf.reshape(stack, [stack.shape[0], -1])), 1)));
  try {
    return Array.from(norms.dataSync());
  } finally {
    norms.dispose();
  }
}

/**
 * Pick what a tile shows from a stack `[n, h, w, c]`: all 3 channels as RGB (`'rgb'`, needs
 * c = 3), their mean (`'mean'`), or one channel (a number).
 * @throws naming the bad channel and the allowed values.
 */
export function selectChannels(stack: tf.Tensor4D, channel: number | 'mean' | 'rgb'): tf.Tensor4D {
  const c = stack.shape[3];
  if (channel === 'rgb') {
    if (c !== 3) throw new Error(`channel 'rgb' needs 3 channels; these tiles have ${c}. Use 'mean' or a channel index 0..${c - 1}`);
    return tf.clone(stack);
  }
  if (channel === 'mean') return tf.mean(stack, 3, true) as tf.Tensor4D;
  if (!Number.isInteger(channel) || channel < 0 || channel >= c) {
    throw new Error(`channel must be 'mean', 'rgb' (for 3 channels) or an integer in 0..${c - 1}; got ${JSON.stringify(channel)}`);
  }
  return tf.slice(stack, [0, 0, 0, channel], [-1, -1, -1, 1]) as tf.Tensor4D;
}
