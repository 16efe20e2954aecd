/**
 * Tiles for the FilterGrid: from a stack of images `[n, h, w, c]`, pick what each tile shows (RGB,
 * the channel mean or one channel), stretch (render layer's `toDisplayRange`), optionally sort by
 * norm, and encode as one RGBA buffer (render layer's `rgbaBytes`).
 */
import { tf } from '../tf';
import { checkDisplayScope, toDisplayRange, type DisplayScope } from '../render/normalize';
import { rgbaBytes } from '../render/rgba';
import { valuesOf } from '../core/tensors';

/** Tiles ready to send: RGBA bytes of shape `[n, h, w]` and what each tile shows. */
export interface Tiles {
  /** RGBA bytes, `n * h * w * 4`. */
  images: Uint8Array;
  /** `[n, h, w]`. */
  shape: [number, number, number];
  /** Tooltip of each tile, in display order. */
  labels: string[];
  /** Item index (filter number, image number) of each tile, in display order. */
  indices: number[];
}

/** How tiles are made from a stack. */
export interface TileOptions {
  /** What a tile shows: `'rgb'` (3 channels), `'mean'` of the channels, or one channel index. Default: 'rgb' for 3 channels, else 'mean'. */
  channel?: number | 'mean' | 'rgb';
  /** Stretch each tile on its own (`'each'`, default), all with one range (`'all'`), clip [0, 1] (`'none'`), or around 0 per tile (`'signed'`: grey = 0). */
  normalize?: DisplayScope;
  /** Order tiles by L2 norm, largest first (`'norm'`), or keep the order (`'none'`, default). */
  sort?: 'none' | 'norm';
  /** Tooltip per item (default `#i`), in item order. */
  labels?: string[];
}

/**
 * Tiles of a stack `[n, h, w, c]`. `norms` (item order) are used for sorting and labels; by
 * default they are the L2 norms of the stack's items.
 * @throws naming a bad option value and what is allowed.
 */
export async function stackTiles(stack: tf.Tensor4D, opts: TileOptions = {}, norms?: number[]): Promise<Tiles> {
  const [n, h, w, c] = stack.shape;
  const normalize = checkDisplayScope('normalize', opts.normalize ?? 'each');
  if (opts.sort !== undefined && opts.sort !== 'none' && opts.sort !== 'norm') {
    throw new Error(`sort must be 'none' or 'norm'; got ${JSON.stringify(opts.sort)}`);
  }
  if (opts.labels && opts.labels.length !== n) throw new Error(`labels must have one entry per image (${n}); got ${opts.labels.length}`);
  const itemNorms = norms ?? (await tileNorms(stack));
  const order = Array.from({ length: n }, (_, i) => i);
  if (opts.sort === 'norm') order.sort((a, b) => itemNorms[b] - itemNorms[a]);
  const unit = tf.tidy(() => {
    const picked = selectChannels(stack, opts.channel ?? (c === 3 ? 'rgb' : 'mean'));
    const ordered = opts.sort === 'norm' ? tf.gather(picked, order) : picked;
    return toDisplayRange(ordered, normalize);
  });
  try {
    return {
      images: await rgbaBytes(unit),
      shape: [n, h, w],
      labels: order.map((i) => opts.labels?.[i] ?? `#${i}`),
      indices: order,
    };
  } finally {
    unit.dispose();
  }
}

/** L2 norm of each tile of a stack `[n, ...]`, as numbers. */
export function tileNorms(stack: tf.Tensor): Promise<number[]> {
  return valuesOf(() => tf.sqrt(tf.sum(tf.square(tf.reshape(stack, [stack.shape[0], -1])), 1)));
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
  if (channel === 'mean') return tf.mean<tf.Tensor4D>(stack, 3, true);
  if (!Number.isInteger(channel) || channel < 0 || channel >= c) {
    throw new Error(`channel must be 'mean', 'rgb' (for 3 channels) or an integer in 0..${c - 1}; got ${JSON.stringify(channel)}`);
  }
  return tf.slice(stack, [0, 0, 0, channel], [-1, -1, -1, 1]);
}
