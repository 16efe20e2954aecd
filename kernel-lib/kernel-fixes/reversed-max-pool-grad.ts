/**
 * `MaxPoolGrad` with the first maximum winning, built on a stock kernel where the *last* tied
 * maximum wins (tfjs-backend-webgpu 4.22: `value >= currMaxValue` in its position shader).
 *
 * Pad the input with -Infinity so that the windows tile [0, span) exactly, then reverse both spatial
 * axes of the padded input and of dy: window k becomes window (n - 1 - k) of a 'valid' pool with
 * the same stride, and its row-major scan runs backwards, so "last maximum" there is the first
 * maximum here. The stock gradient of that pool, reversed back and with the padding sliced off,
 * is the gradient with the first-maximum rule (TensorFlow's, PyTorch's, the cpu backend's). It also
 * handles pools whose rounding mode tfjs-core's gradient dropped (pool-geometry.ts).
 */
import { KernelArgs, KernelFunc, runKernel, withTemps } from './kernel-calls';
import { poolGeometry, PoolAttrs, windowSpan } from './pool-geometry';

/** Wrap backend `backendName`'s last-tie-wins stock `MaxPoolGrad` into a first-tie-wins one. */
export function firstTieMaxPoolGrad(backendName: string, stock: KernelFunc): KernelFunc {
  return (args: KernelArgs) => {
    const { dy, input } = args.inputs;
    const { info } = poolGeometry(input.shape, dy.shape, args.attrs as unknown as PoolAttrs);
    const [spanH, spanW] = windowSpan(info);
    const { top, left } = info.padInfo;
    const [b, height, width, c] = input.shape;
    const run = (name: string, ins: KernelArgs['inputs'], a: KernelArgs['attrs']) => runKernel(backendName, name, args.backend, ins, a);
    return withTemps(args.backend, (keep) => {
      // Rows past the span (a 'valid' pool's leftover) are cut; missing ones are -Infinity.
      const cropped = spanH < height + top || spanW < width + left
        ? keep(run('Slice', { x: input }, { begin: [0, 0, 0, 0], size: [b, Math.min(height, spanH - top), Math.min(width, spanW - left), c] }))
        : input;
      const [, ch, cw] = cropped.shape;
      const padded = keep(run('PadV2', { x: cropped }, { paddings: [[0, 0], [top, spanH - ch - top], [left, spanW - cw - left], [0, 0]], constantValue: -Infinity }));
      const flippedX = keep(run('Reverse', { x: padded }, { dims: [1, 2] }));
      const flippedDy = keep(run('Reverse', { x: dy }, { dims: [1, 2] }));
      const grad = keep(stock({ ...args, inputs: { ...args.inputs, dy: flippedDy, input: flippedX }, attrs: { ...args.attrs, pad: 'valid', dimRoundingMode: undefined } }));
      const unflipped = keep(run('Reverse', { x: grad }, { dims: [1, 2] }));
      const inner = keep(run('Slice', { x: unflipped }, { begin: [0, top, left, 0], size: [b, ch, cw, c] }));
      if (ch === height && cw === width) return run('Identity', { x: inner }, {});
      // Cells no window reached get no gradient.
      return run('PadV2', { x: inner }, { paddings: [[0, 0], [0, height - ch], [0, width - cw], [0, 0]], constantValue: 0 });
    });
  };
}
