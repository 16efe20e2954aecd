/**
 * Tiling a batch of images (filters, activation maps, dataset samples) into one grid image.
 */
import { tf } from '../tf';
import { toDisplayRange } from './normalize';

/** Options of {@link tileImages}. */
export interface TileImagesOptions {
  /** Tiles per row. Default: ceil(sqrt(n)). */
  columns?: number;
  /** Pixels between tiles. Default 1. */
  padding?: number;
  /** Value of the padding and of empty cells. Default 1 (white, for images in [0, 1]). */
  padValue?: number;
  /** Rescale to [0, 1] before tiling: `'none'` (default), `'all'` (one range) or `'each'` (per tile). */
  scale?: 'none' | 'all' | 'each';
}

/**
 * Tiles `[n, h, w, c]` (or `[n, h, w]`) images into one `[rows*(h+p)-p, cols*(w+p)-p, c]` grid
 * image, row-major. Pure tensor ops (pad, reshape, transpose). The caller disposes the result.
 * @example const grid = tileImages(filters.transpose([3, 0, 1, 2]), { scale: 'each' });
 */
export function tileImages(images: tf.Tensor, options: TileImagesOptions = {}): tf.Tensor3D {
  if (!(images instanceof tf.Tensor) || (images.rank !== 3 && images.rank !== 4)) {
    throw new Error(`tileImages: expected [n, h, w, c] or [n, h, w] images, got ${images instanceof tf.Tensor ? `shape [${images.shape.join(',')}]` : typeof images}.`);
  }
  const n = images.shape[0];
  if (n === 0) throw new Error('tileImages: no images to tile (n = 0).');
  const columns = options.columns ?? Math.ceil(Math.sqrt(n));
  const padding = options.padding ?? 1;
  const padValue = options.padValue ?? 1;
  const scale = options.scale ?? 'none';
  if (!(Number.isInteger(columns) && columns > 0)) throw new Error(`tileImages: columns ${columns} must be a positive integer.`);
  if (!(Number.isInteger(padding) && padding >= 0)) throw new Error(`tileImages: padding ${padding} must be a non-negative integer.`);
  if (!['none', 'all', 'each'].includes(scale)) throw new Error(`tileImages: scale ${JSON.stringify(scale)} must be 'none', 'all' or 'each'.`);
  const rows = Math.ceil(n / columns);
  return tf.tidy(() => {
    let x = images.rank === 3 ? images.expandDims(3) : images;
    x = x.toFloat();
    if (scale !== 'none') x = toDisplayRange(x, scale);
    const [, h, w, c] = x.shape as number[];
    const blanks = rows * columns - n;
    if (blanks > 0) x = tf.concat([x, tf.fill([blanks, h, w, c], padValue)]);
    x = tf.pad(x, [[0, 0], [0, padding], [0, padding], [0, 0]], padValue);
    const grid = x
      .reshape([rows, columns, h + padding, w + padding, c])
      .transpose([0, 2, 1, 3, 4])
      .reshape([rows * (h + padding), columns * (w + padding), c]);
    return grid.slice([0, 0, 0], [rows * (h + padding) - padding, columns * (w + padding) - padding, c]) as tf.Tensor3D;
  });
}
