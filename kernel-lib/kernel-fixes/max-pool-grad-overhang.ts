/**
 * `MaxPoolGrad` for pools whose windows reach past the padding, on the cpu and webgpu backends.
 *
 * tfjs-core's MaxPool gradient drops the pool's rounding mode, so for `tf.maxPool(x, 3, 2, 1,
 * 'ceil')` the stock kernels compute one output row or column fewer than dy has and the last
 * windows get no gradient. Such a pool equals a 'valid' pool of the input padded with -Infinity
 * far enough for every window; its gradient is the 'valid' pool's gradient on that padded input
 * (stock kernel), with the padding sliced off. Pools without overhang run the stock kernel as is.
 */
import { KernelArgs, KernelFunc, runKernel, withTemps } from './kernel-calls';
import { poolGeometry, PoolAttrs, windowSpan } from './pool-geometry';

/** Wrap backend `backendName`'s stock `MaxPoolGrad` for pools that need a rounding mode. */
export function overhangSafeMaxPoolGrad(backendName: string, stock: KernelFunc): KernelFunc {
  return (args: KernelArgs) => {
    const { dy, input } = args.inputs;
    const attrs = args.attrs as unknown as PoolAttrs;
    const { info, rounding } = poolGeometry(input.shape, dy.shape, attrs);
    if (rounding === undefined) return stock(args);
    const [spanH, spanW] = windowSpan(info);
    const { top, left } = info.padInfo;
    const [b, height, width, c] = input.shape;
    const run = (name: string, ins: KernelArgs['inputs'], a: KernelArgs['attrs']) => runKernel(backendName, name, args.backend, ins, a);
    return withTemps(args.backend, (keep) => {
      const padded = keep(
        run('PadV2', { x: input }, { paddings: [[0, 0], [top, Math.max(0, spanH - height - top)], [left, Math.max(0, spanW - width - left)], [0, 0]], constantValue: -Infinity }),
      );
      const grad = keep(stock({ ...args, inputs: { ...args.inputs, input: padded }, attrs: { ...args.attrs, pad: 'valid', dimRoundingMode: undefined } }));
      return run('Slice', { x: grad }, { begin: [0, top, left, 0], size: [b, height, width, c] });
    });
  };
}
