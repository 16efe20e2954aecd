/**
 * `BatchMatMul` on wasm with `transposeA` / `transposeB` set takes XNNPACK's slow path in
 * tfjs-backend-wasm 4.22: a [4096, 256]ᵀ x [4096, 128] product took 232 ms against 16 ms for an
 * explicit transpose followed by the plain product. Every matMul gradient sets those flags (dense
 * layers' backward passes, Gram matrices, IoU counts). This kernel transposes the flagged inputs
 * with wasm's own Transpose kernel and runs the stock kernel without flags: the same numbers.
 */
import { KernelArgs, KernelFunc, TensorInfo, runKernel, withTemps } from './kernel-calls';

/** The permutation that swaps the last two axes of a rank-`rank` tensor. */
function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return perm;
}

/** `BatchMatMul` that transposes flagged inputs explicitly before calling `stock` without flags. */
export function explicitTransposeMatMul(stock: KernelFunc): KernelFunc {
  return (args: KernelArgs) => {
    const { transposeA, transposeB } = args.attrs as { transposeA?: boolean; transposeB?: boolean };
    if (!transposeA && !transposeB) return stock(args);
    const { a, b } = args.inputs;
    return withTemps(args.backend, (keep) => {
      const flip = (x: TensorInfo): TensorInfo => keep(runKernel('wasm', 'Transpose', args.backend, { x }, { perm: swapLastTwo(x.shape.length) }));
      return stock({
        ...args,
        inputs: { ...args.inputs, a: transposeA ? flip(a) : a, b: transposeB ? flip(b) : b },
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      });
    });
  };
}
