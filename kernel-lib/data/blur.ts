/**
 * Gaussian blur of an image batch as two separable convolutions with reflected borders (used as an
 * occlusion fill).
 */
import { tf } from '../tf';

/** A normalised 1-D Gaussian kernel of standard deviation `sigma` (radius 3σ, at least 1). */
export function gaussianKernel1d(sigma: number): number[] {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const taps = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const total = taps.reduce((a, b) => a + b, 0);
  return taps.map((t) => t / total);
}

/**
 * Blur `images` `[N, H, W, C]` with a Gaussian of `sigma` pixels (sigma 0 returns a copy). Borders
 * are reflected, so the blur does not darken the edges.
 */
export function gaussianBlur(images: tf.Tensor4D, sigma: number): tf.Tensor4D {
  return tf.tidy(() => {
    if (sigma <= 0) return images.clone();
    const [n, h, w, c] = images.shape;
    const taps = gaussianKernel1d(sigma);
    const radius = (taps.length - 1) / 2;
    // Channels into the batch, so one single-channel kernel blurs every channel.
    let x = tf.transpose(images, [0, 3, 1, 2]).reshape<tf.Tensor4D>([n * c, h, w, 1]);
    const padRows = Math.min(radius, h - 1);
    const padCols = Math.min(radius, w - 1);
    x = tf.mirrorPad(x, [[0, 0], [padRows, padRows], [padCols, padCols], [0, 0]], 'reflect');
    const vertical = tf.tensor4d(taps, [taps.length, 1, 1, 1]);
    const horizontal = tf.tensor4d(taps, [1, taps.length, 1, 1]);
    // Where the image is smaller than the kernel, pad the rest with edge-free zeros and renormalise.
    const ones = tf.onesLike(x);
    const blur = (t: tf.Tensor4D) => tf.conv2d(tf.conv2d(t, vertical, 1, 'same'), horizontal, 1, 'same');
    const out = tf.div(blur(x), blur(ones)).slice([0, padRows, padCols, 0], [n * c, h, w, 1]);
    return tf.transpose(out.reshape([n, c, h, w]), [0, 2, 3, 1]) as tf.Tensor4D;
  });
}
