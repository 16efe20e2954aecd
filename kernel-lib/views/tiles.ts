/**
 * Tensor ops that turn weights and activations into tile images: a stack `[n, h, w, c]` becomes
 * RGBA bytes `[n, h, w, 4]`, each tile (or the whole stack) stretched to the full 0..255 range.
 * Everything is batched tensor work inside tf.tidy; only the final bytes leave the backend.
 */
import { tf } from '../tf';

/** How tiles are stretched to 0..255: each on its own, all with one range, or not at all. */
export type TileNormalization = 'each' | 'all' | 'none';

/**
 * Stretch a stack `[n, h, w, c]` to [0, 1]: per tile (`'each'`), over the whole stack (`'all'`),
 * or clip values already in [0, 1] (`'none'`). A constant tile becomes mid-grey.
 */
export function normalizeTiles(stack: tf.Tensor4D, mode: TileNormalization = 'each'): tf.Tensor4D {
  return tf.tidy(() => {
    const x = tf.cast(stack, 'float32');
    if (mode === 'none') return tf.clipByValue(x, 0, 1) as tf.Tensor4D;
    const axes = mode === 'each' ? [1, 2, 3] : [0, 1, 2, 3];
    const lo = tf.min(x, axes, true);
    const span = tf.sub(tf.max(x, axes, true), lo);
    const flat = tf.lessEqual(span, 1e-12);
    const unit = tf.div(tf.sub(x, lo), tf.where(flat, tf.onesLike(span), span));
    return tf.where(tf.broadcastTo(flat, x.shape), tf.fill(x.shape, 0.5), unit) as tf.Tensor4D;
  });
}

/** RGBA bytes of a stack `[n, h, w, 1 | 3]` in [0, 1] (grey tiles repeat their channel). */
export function rgbaBytes(unit: tf.Tensor4D): Uint8Array {
  const c = unit.shape[3];
  if (c !== 1 && c !== 3) throw new Error(`tiles must have 1 or 3 channels to draw; got shape ${JSON.stringify(unit.shape)}`);
  const rgba = tf.tidy(() => {
    const bytes = tf.round(tf.mul(tf.clipByValue(unit, 0, 1), 255));
    const rgb = c === 1 ? tf.tile(bytes, [1, 1, 1, 3]) : bytes;
    return tf.cast(tf.concat([rgb, tf.fill([...unit.shape.slice(0, 3), 1], 255)], 3), 'int32');
  });
  try {
    return Uint8Array.from(rgba.dataSync());
  } finally {
    rgba.dispose();
  }
}

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
