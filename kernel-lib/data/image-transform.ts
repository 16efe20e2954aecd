/**
 * Resizing images and image batches (bilinear or nearest neighbour).
 */
import { tf } from '../tf';

/** Options of {@link resizeImages}. */
export interface ResizeOptions {
  /** `'bilinear'` (default) or `'nearest'` (keeps hard edges, e.g. masks and pixel art). */
  method?: 'bilinear' | 'nearest';
  /** Align corner pixels (tf semantics). Default false; half-pixel centres are used. */
  alignCorners?: boolean;
}

/**
 * Resizes a `[h, w, c]` image or a `[n, h, w, c]` batch to `[height, width]` (same rank out).
 * @example const big = resizeImages(img, [224, 224]);
 */
export function resizeImages<T extends tf.Tensor3D | tf.Tensor4D>(images: T, size: [number, number], options: ResizeOptions = {}): T {
  if (!(images instanceof tf.Tensor) || (images.rank !== 3 && images.rank !== 4)) {
    throw new Error(`resizeImages: expected a [h, w, c] or [n, h, w, c] tensor, got ${images instanceof tf.Tensor ? `shape [${images.shape.join(',')}]` : typeof images}.`);
  }
  if (!Array.isArray(size) || size.length !== 2 || !size.every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(`resizeImages: size ${JSON.stringify(size)} must be [height, width] positive integers.`);
  }
  const method = options.method ?? 'bilinear';
  if (method !== 'bilinear' && method !== 'nearest') throw new Error(`resizeImages: method ${JSON.stringify(method)} must be 'bilinear' or 'nearest'.`);
  const align = options.alignCorners ?? false;
  return tf.tidy(() =>
    method === 'bilinear'
      ? tf.image.resizeBilinear(images.toFloat(), size, align, !align)
      : tf.image.resizeNearestNeighbor(images.toFloat(), size, align, !align),
  ) as T;
}
