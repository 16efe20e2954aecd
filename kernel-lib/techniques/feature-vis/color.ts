/**
 * Decorrelated colour (Olah et al., "Feature Visualization", Distill 2017): optimizing in a colour
 * space whose axes are uncorrelated over natural images, and mapping back to RGB with the square
 * root of the colour covariance. Lucid's ImageNet matrix, normalised so its largest column has
 * norm 1.
 */
import { tf } from '../../tf';

/** Square root of ImageNet's RGB colour correlation (Lucid's `color_correlation_svd_sqrt`). */
export const COLOR_CORRELATION_SQRT: readonly (readonly number[])[] = [
  [0.26, 0.09, 0.02],
  [0.27, 0.0, -0.05],
  [0.27, -0.09, 0.03],
];

const maxColumnNorm = Math.max(...[0, 1, 2].map((j) => Math.hypot(...COLOR_CORRELATION_SQRT.map((row) => row[j]))));

/** The matrix M (3x3) with rgb = M · decorrelated, as numbers. */
export function colorMatrix(): number[][] {
  return COLOR_CORRELATION_SQRT.map((row) => row.map((v) => v / maxColumnNorm));
}

/** The inverse of a 3x3 matrix (numbers). */
export function inverse3(m: number[][]): number[][] {
  const [[a, b, c], [d, e, f], [g, h, i]] = m;
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  if (Math.abs(det) < 1e-12) throw new Error('colour matrix is singular');
  return [
    [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det],
    [(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det],
    [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det],
  ];
}

/** Apply a 3x3 colour matrix to images `[B, H, W, 3]`: out[..., i] = Σ_j m[i][j] · x[..., j]. */
export function mixColors(x: tf.Tensor4D, m: number[][]): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, h, w, c] = x.shape;
    if (c !== 3) throw new Error(`colour decorrelation needs 3 channels; the images have ${c}`);
    const mt = tf.tensor2d(m, [3, 3]).transpose();
    return tf.matMul(x.reshape([b * h * w, 3]), mt).reshape([b, h, w, 3]) as tf.Tensor4D;
  });
}

/** Decorrelated colours → RGB (`[B, H, W, 3]`). */
export function toCorrelatedColors(x: tf.Tensor4D): tf.Tensor4D {
  return mixColors(x, colorMatrix());
}

/** RGB → decorrelated colours (the inverse of {@link toCorrelatedColors}). */
export function toDecorrelatedColors(x: tf.Tensor4D): tf.Tensor4D {
  return mixColors(x, inverse3(colorMatrix()));
}
