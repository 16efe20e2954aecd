/**
 * `AvgPoolGrad` that is the gradient of the forward average pool, on every backend.
 *
 * tfjs' forward `avgPool` (cpu, wasm/XNNPACK, webgpu, like TensorFlow) divides each window's sum by
 * the number of window cells *inside* the image, so a 'same'-padded 3x3 corner window averages 4
 * values. The stock `AvgPoolGrad` kernels of tfjs 4.22 (cpu, wasm and webgpu alike) divide every
 * window's gradient by the full window size instead, so where a window hangs over the border the
 * gradient is too small (a 3x3 'same' corner input gets 4/9 of what it should). This wrapper scales
 * dy by (window size / cells inside) before the stock kernel spreads it, which makes the result the
 * exact gradient; windows fully inside the image are unchanged (and 'valid' pools skip the work).
 */
import { tf } from '../tf';
import { KernelArgs, KernelFunc, runKernel, upload, withTemps } from './kernel-calls';

/** Attributes of the `AvgPoolGrad` kernel. */
interface AvgPoolGradAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** Cells of each window along one axis that fall inside [0, size). */
function insideCounts(outSize: number, stride: number, pad: number, filter: number, size: number): number[] {
  return Array.from({ length: outSize }, (_, o) => {
    const start = o * stride - pad;
    return Math.max(0, Math.min(size, start + filter) - Math.max(0, start));
  });
}

/**
 * Per output position, window size / cells inside the image, as `[outHeight * outWidth]`;
 * undefined when every window lies inside (nothing to correct).
 */
export function avgPoolGradScale(info: tf.backend_util.Conv2DInfo): Float32Array | undefined {
  const { filterHeight: fh, filterWidth: fw } = info;
  const rows = insideCounts(info.outHeight, info.strideHeight, info.padInfo.top, fh, info.inHeight);
  const cols = insideCounts(info.outWidth, info.strideWidth, info.padInfo.left, fw, info.inWidth);
  if (rows.every((r) => r === fh) && cols.every((c) => c === fw)) return undefined;
  const scale = new Float32Array(rows.length * cols.length);
  rows.forEach((r, i) => cols.forEach((c, j) => (scale[i * cols.length + j] = r * c === 0 ? 0 : (fh * fw) / (r * c))));
  return scale;
}

/** Wrap a backend's stock `AvgPoolGrad` so padded windows get the exact gradient. */
export function exactAvgPoolGrad(backendName: string, stock: KernelFunc): KernelFunc {
  return (args: KernelArgs) => {
    const { dy, input } = args.inputs;
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as AvgPoolGradAttrs;
    const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    const scale = avgPoolGradScale(info);
    if (!scale) return stock(args);
    return withTemps(args.backend, (keep) => {
      const s = keep(upload(args.backend, scale, [1, info.outHeight, info.outWidth, 1]));
      const scaled = keep(runKernel(backendName, 'Multiply', args.backend, { a: dy, b: s }));
      return stock({ ...args, inputs: { ...args.inputs, dy: scaled } });
    });
  };
}
