/**
 * Crop fixed-size boxes out of a batch of images with one gather: the patches a unit saw. Boxes may
 * hang over the border (where a conv layer saw padding); the part outside the image is `fill`.
 * Exact pixel copies on every backend (no resampling, so no CropAndResize rounding), and work in
 * proportion to the patches, not to the images.
 */
import { tf } from '../../tf';

/**
 * Patches `[P, sh, sw, C]` of `images` `[b, H, W, C]`: patch p is rows `[top[p], top[p] + sh)`,
 * columns `[left[p], left[p] + sw)` of image `image[p]`, with `fill` outside the image.
 * `image`, `top`, `left` are int32 `[P]` tensors (not disposed). Returns a new tensor.
 */
export function cropPatches(
  images: tf.Tensor4D,
  image: tf.Tensor1D,
  top: tf.Tensor1D,
  left: tf.Tensor1D,
  size: [number, number],
  fill = 0,
): tf.Tensor4D {
  const [b, h, w, c] = images.shape;
  const [sh, sw] = size;
  if (!size.every((s) => Number.isInteger(s) && s >= 1)) throw new Error(`cropPatches: size must be two integers >= 1; got ${JSON.stringify(size)}`);
  return tf.tidy(() => {
    const int = (v: number) => tf.scalar(v, 'int32'); // a bare number would make the result float32
    // Rows [P, sh, 1] and columns [P, 1, sw] of every patch, clamped into the image, and 0/1 masks of
    // the ones inside it. (minimum/maximum, not clipByValue: stock wasm ClipByValue reads int32 as float32.)
    const along = (start: tf.Tensor1D, n: number, limit: number, shape: number[]) => {
      const at = tf.reshape(tf.add(tf.reshape(start, [-1, 1]), tf.reshape(tf.range(0, n, 1, 'int32'), [1, n])), shape);
      const inside = tf.cast(tf.logicalAnd(tf.greaterEqual(at, int(0)), tf.less(at, int(limit))), 'int32');
      return { at: tf.minimum(tf.maximum(at, int(0)), int(limit - 1)), inside };
    };
    const rows = along(top, sh, h, [-1, sh, 1]);
    const cols = along(left, sw, w, [-1, 1, sw]);
    // Pixels outside the image read one extra row holding `fill`, appended after the b*h*w pixels.
    const pixel = tf.add(tf.add(tf.reshape(tf.mul(image, int(h * w)), [-1, 1, 1]), tf.mul(rows.at, int(w))), cols.at);
    const inside = tf.mul(rows.inside, cols.inside);
    const index = tf.add(tf.mul(pixel, inside), tf.mul(tf.sub(int(1), inside), int(b * h * w)));
    const table = tf.concat([tf.reshape(images, [b * h * w, c]), tf.fill([1, c], fill)], 0);
    return tf.reshape<tf.Rank.R4>(tf.gather(table, tf.reshape(index, [-1])), [-1, sh, sw, c]);
  });
}
