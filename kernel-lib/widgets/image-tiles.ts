/**
 * From a stack of images `[n, h, w, c]` to {@link Tiles}: pick channels, stretch, optionally
 * sort by norm, encode as RGBA bytes. Shared by `imageGrid` and `filterGrid`.
 */
import { tf } from '../tf';
import type { Tiles } from './filter-grid-widget';
import { checkDisplayScope, toDisplayRange, type DisplayScope } from '../render/normalize';
import { rgbaBytes } from '../render/rgba';
import { selectChannels, tileNorms } from './tiles';

/** How tiles are made from a stack. */
export interface TileOptions {
  /** What a tile shows: `'rgb'` (3 channels), `'mean'` of the channels, or one channel index. Default: 'rgb' for 3 channels, else 'mean'. */
  channel?: number | 'mean' | 'rgb';
  /** Stretch each tile on its own (`'each'`, default), all with one range (`'all'`), or clip [0, 1] (`'none'`). */
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
export function stackTiles(stack: tf.Tensor4D, opts: TileOptions = {}, norms?: number[]): Tiles {
  const [n, h, w, c] = stack.shape;
  const normalize = checkDisplayScope('normalize', opts.normalize ?? 'each');
  if (opts.sort !== undefined && opts.sort !== 'none' && opts.sort !== 'norm') {
    throw new Error(`sort must be 'none' or 'norm'; got ${JSON.stringify(opts.sort)}`);
  }
  if (opts.labels && opts.labels.length !== n) throw new Error(`labels must have one entry per image (${n}); got ${opts.labels.length}`);
  const itemNorms = norms ?? tileNorms(stack);
  const order = Array.from({ length: n }, (_, i) => i);
  if (opts.sort === 'norm') order.sort((a, b) => itemNorms[b] - itemNorms[a]);
  const unit = tf.tidy(() => {
    const picked = selectChannels(stack, opts.channel ?? (c === 3 ? 'rgb' : 'mean'));
    const ordered = opts.sort === 'norm' ? tf.gather(picked, order) : picked;
    return toDisplayRange(ordered as tf.Tensor4D, normalize);
  });
  try {
    return {
      images: rgbaBytes(unit),
      shape: [n, h, w],
      labels: order.map((i) => opts.labels?.[i] ?? `#${i}`),
      indices: order,
    };
  } finally {
    unit.dispose();
  }
}
