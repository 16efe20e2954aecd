/**
 * `AvgPoolGrad` that is the gradient of the forward average pool, on every backend.
 *
 * tfjs' forward `avgPool` (cpu, wasm/XNNPACK, webgpu, like TensorFlow) divides each window's sum by
 * the number of window cells *inside* the image, so a 'same'-padded 3x3 corner window averages 4
 * values. The stock `AvgPoolGrad` kernels of tfjs 4.22 (cpu, wasm and webgpu alike) divide every
 * window's gradient by the full window size instead, so where a window hangs over the border the
 * gradient is too small (a 3x3 'same' corner input gets 4/9 of what it should). They also lose the
 * pool's rounding mode (pool-geometry.ts) and then read dy with the wrong shape.
 *
 * Where every window lies inside the image and the geometry agrees, the stock kernel is exact and
 * runs. Otherwise dx is the transposed convolution of dy / (cells inside its window) with a window
 * of ones, channels moved into the batch: `Conv2DBackpropInput`, which every backend has.
 */
import { tf } from '../tf';
import { KernelArgs, KernelFunc, runKernel, upload, withTemps } from './kernel-calls';
import { insideCounts, poolGeometry, PoolAttrs } from './pool-geometry';

/** Per output position 1 / (cells of its window inside the image), as `[outHeight * outWidth]`. */
export function avgPoolGradScale(info: tf.backend_util.Conv2DInfo): Float32Array {
  const rows = insideCounts(info.outHeight, info.strideHeight, info.padInfo.top, info.filterHeight, info.inHeight);
  const cols = insideCounts(info.outWidth, info.strideWidth, info.padInfo.left, info.filterWidth, info.inWidth);
  const scale = new Float32Array(rows.length * cols.length);
  rows.forEach((r, i) => cols.forEach((c, j) => (scale[i * cols.length + j] = r * c === 0 ? 0 : 1 / (r * c))));
  return scale;
}

/** True when every window of the pool lies inside the image (the stock kernels are exact then). */
function windowsInside(info: tf.backend_util.Conv2DInfo): boolean {
  const rows = insideCounts(info.outHeight, info.strideHeight, info.padInfo.top, info.filterHeight, info.inHeight);
  const cols = insideCounts(info.outWidth, info.strideWidth, info.padInfo.left, info.filterWidth, info.inWidth);
  return rows.every((r) => r === info.filterHeight) && cols.every((c) => c === info.filterWidth);
}

/** `AvgPoolGrad` for backend `backendName`, falling back to its `stock` kernel where that is exact. */
export function exactAvgPoolGrad(backendName: string, stock: KernelFunc): KernelFunc {
  return (args: KernelArgs) => {
    const { dy, input } = args.inputs;
    const attrs = args.attrs as unknown as PoolAttrs;
    const { info, rounding } = poolGeometry(input.shape, dy.shape, attrs);
    if (rounding === undefined && windowsInside(info)) return stock(args);
    const [b, height, width, c] = input.shape;
    const { outHeight, outWidth, filterHeight, filterWidth } = info;
    const run = (name: string, ins: KernelArgs['inputs'], a: KernelArgs['attrs'] = {}) => runKernel(backendName, name, args.backend, ins, a);
    return withTemps(args.backend, (keep) => {
      const scale = keep(upload(args.backend, avgPoolGradScale(info), [1, outHeight, outWidth, 1]));
      const scaled = keep(run('Multiply', { a: dy, b: scale }));
      const byChannel = keep(run('Transpose', { x: scaled }, { perm: [0, 3, 1, 2] }));
      const asBatch = keep(run('Reshape', { x: byChannel }, { shape: [b * c, outHeight, outWidth, 1] }));
      const ones = keep(upload(args.backend, new Float32Array(filterHeight * filterWidth).fill(1), [filterHeight, filterWidth, 1, 1]));
      const spread = keep(
        run('Conv2DBackpropInput', { dy: asBatch, filter: ones }, {
          strides: [info.strideHeight, info.strideWidth],
          pad: attrs.pad,
          dataFormat: 'NHWC',
          dimRoundingMode: rounding,
          inputShape: [b * c, height, width, 1],
        }),
      );
      const back = keep(run('Reshape', { x: spread }, { shape: [b, c, height, width] }));
      return run('Transpose', { x: back }, { perm: [0, 2, 3, 1] });
    });
  };
}
