/**
 * wasm `MaxPool` and `AvgPool` for pools whose last windows reach past the padding.
 *
 * With a numeric pad and `dimRoundingMode: 'ceil'` (e.g. `tf.maxPool(x, 3, 2, 1, 'ceil')`) the last
 * window of a row or column can extend beyond the padded input. The cpu and webgpu kernels skip the
 * cells outside the image; tfjs-backend-wasm 4.22 hands XNNPACK the padding alone, which then reads
 * past the row: those outputs are garbage (values like 1.7e15). Here the input is padded
 * explicitly far enough for every window (-Infinity for max, 0 for the average, whose sum is then
 * divided by the cells inside the image) and pooled 'valid' by the stock kernel.
 */
import { tf } from '../tf';
import { KernelArgs, KernelFunc, runKernel, upload, withTemps } from './kernel-calls';
import { insideCounts, PoolAttrs, windowSpan } from './pool-geometry';

const BACKEND = 'wasm';

/** The pool kernel `kind` that pads explicitly where windows overhang, else runs `stock`. */
export function overhangSafePool(kind: 'max' | 'avg', stock: KernelFunc): KernelFunc {
  return (args: KernelArgs) => {
    const { x } = args.inputs;
    const attrs = args.attrs as unknown as PoolAttrs;
    const info = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
    const { inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
    const { top, bottom, left, right } = info.padInfo;
    const [spanH, spanW] = windowSpan(info);
    if (spanH <= inHeight + top + bottom && spanW <= inWidth + left + right) return stock(args);
    const run = (name: string, ins: KernelArgs['inputs'], a: KernelArgs['attrs'] = {}) => runKernel(BACKEND, name, args.backend, ins, a);
    return withTemps(args.backend, (keep) => {
      const padded = keep(
        run('PadV2', { x }, {
          paddings: [[0, 0], [top, Math.max(0, spanH - inHeight - top)], [left, Math.max(0, spanW - inWidth - left)], [0, 0]],
          constantValue: kind === 'max' ? -Infinity : 0,
        }),
      );
      const pooled = keep(stock({ ...args, inputs: { x: padded }, attrs: { ...args.attrs, pad: 'valid', dimRoundingMode: undefined } }));
      const [b, , , c] = x.shape;
      const fitted = pooled.shape[1] === outHeight && pooled.shape[2] === outWidth ? pooled : keep(run('Slice', { x: pooled }, { begin: [0, 0, 0, 0], size: [b, outHeight, outWidth, c] }));
      if (kind === 'max') return run('Identity', { x: fitted });
      // The valid pool divided each sum by the whole window; divide by the cells inside instead.
      const rows = insideCounts(outHeight, strideHeight, top, filterHeight, inHeight);
      const cols = insideCounts(outWidth, strideWidth, left, filterWidth, inWidth);
      const scale = new Float32Array(outHeight * outWidth);
      rows.forEach((r, i) => cols.forEach((cc, j) => (scale[i * outWidth + j] = (filterHeight * filterWidth) / (r * cc))));
      return run('Multiply', { a: fitted, b: keep(upload(args.backend, scale, [1, outHeight, outWidth, 1])) });
    });
  };
}
