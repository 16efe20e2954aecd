/**
 * Pool geometry for gradient kernels. tfjs-core's MaxPool and AvgPool gradients drop the pool's
 * `dimRoundingMode` (`tf.maxPool(x, 3, 2, 1, 'ceil')`), so a gradient kernel that recomputes the
 * geometry from its attributes gets fewer output rows than dy has. The geometry is taken from the
 * rounding mode that reproduces dy's shape instead.
 */
import { tf } from '../tf';

/** A pool's rounding mode. */
export type Rounding = 'floor' | 'round' | 'ceil';

/** Attributes of the pool kernels and their gradients. */
export interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: Rounding;
}

/**
 * The geometry of the pool of `inputShape` that produced a gradient of `dyShape`, and the rounding
 * mode it needs (undefined when none is needed: what the stock kernels compute).
 */
export function poolGeometry(inputShape: number[], dyShape: number[], attrs: PoolAttrs): { info: tf.backend_util.Conv2DInfo; rounding?: Rounding } {
  for (const rounding of [undefined, attrs.dimRoundingMode, 'floor', 'ceil', 'round'] as const) {
    const info = tf.backend_util.computePool2DInfo(inputShape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, rounding);
    if (info.outHeight === dyShape[1] && info.outWidth === dyShape[2]) return { info, rounding };
  }
  throw new Error(`convlens: no pool of [${inputShape}] with these attributes gives a gradient of shape [${dyShape}]`);
}

/** Cells of each window along one axis that fall inside [0, size). */
export function insideCounts(outSize: number, stride: number, pad: number, filter: number, size: number): number[] {
  return Array.from({ length: outSize }, (_, o) => {
    const start = o * stride - pad;
    return Math.max(0, Math.min(size, start + filter) - Math.max(0, start));
  });
}

/** Rows and columns past the top-left padding that the windows span (more than the padded input when they overhang). */
export function windowSpan(info: tf.backend_util.Conv2DInfo): [number, number] {
  return [(info.outHeight - 1) * info.strideHeight + info.filterHeight, (info.outWidth - 1) * info.strideWidth + info.filterWidth];
}
