/**
 * Crop fixed-size boxes out of a batch of images with one gather: the patches a unit saw. Boxes may
 * hang over the border (where a conv layer saw padding); the part outside the image is `fill`.
 * Exact pixel copies on every backend (no resampling, so no CropAndResize rounding).
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
    // (min/max, not clipByValue: wasm's ClipByValue reads int32 as float32.)
    // Pad by a whole patch on every side: a box starting anywhere in [-sh, h] then fits; a box
    // further out sees only fill, as the clamped one does.
    const hp = h + 2 * sh;
    const wp = w + 2 * sw;
    const padded = tf.pad(images, [[0, 0], [sh, sh], [sw, sw], [0, 0]], fill);
    const flat = tf.reshape(padded, [b * hp * wp, c]);
    const t = tf.add(tf.minimum(tf.maximum(top, int(-sh)), int(h)), int(sh));
    const l = tf.add(tf.minimum(tf.maximum(left, int(-sw)), int(w)), int(sw));
    const corner = tf.add(tf.add(tf.mul(image, int(hp * wp)), tf.mul(t, int(wp))), l);
    const rows = tf.reshape(tf.mul(tf.range(0, sh, 1, 'int32'), int(wp)), [1, sh, 1]);
    const cols = tf.reshape(tf.range(0, sw, 1, 'int32'), [1, 1, sw]);
    const index = tf.add(tf.add(tf.reshape(corner, [-1, 1, 1]), rows), cols);
    return tf.reshape(tf.gather(flat, tf.reshape(index, [-1])), [-1, sh, sw, c]);
  });
}
