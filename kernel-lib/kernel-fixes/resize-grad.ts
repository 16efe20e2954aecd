/**
 * `ResizeBilinearGrad` and `ResizeNearestNeighborGrad` that are the gradients of the forward resize,
 * on every backend.
 *
 * tfjs 4.22's stock gradient kernels ignore `halfPixelCenters` (cpu, wasm and webgpu), which every
 * `tf.image.resizeBilinear(x, size, false, true)` uses (Keras' and TensorFlow 2's convention), and
 * the cpu `ResizeBilinearGrad` returns its result with height and width swapped, so any non-square
 * image fails. A resize is linear and separable: y[b, :, :, c] = R_h · x[b, :, :, c] · R_wᵀ with
 * small interpolation matrices R_h `[outH, inH]` and R_w `[outW, inW]` taken from the forward
 * definition (TensorFlow's, which every tfjs forward follows). Its gradient is
 * dx = R_hᵀ · dy · R_w: two matrix products on the backend's own BatchMatMul and Transpose kernels.
 */
import { KernelArgs, KernelFunc, runKernel, upload, withTemps } from './kernel-calls';

/** The two resize methods. */
export type ResizeMethod = 'bilinear' | 'nearest';

/**
 * The interpolation matrix `[outSize, inSize]` (row-major) of one axis, as tfjs' forward kernels
 * (and TensorFlow) define the resize.
 */
export function resizeMatrix(method: ResizeMethod, inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): Float32Array {
  const m = new Float32Array(outSize * inSize);
  const aligned = alignCorners && outSize > 1;
  const ratio = (aligned ? inSize - 1 : inSize) / (aligned ? outSize - 1 : outSize);
  for (let o = 0; o < outSize; o++) {
    if (method === 'bilinear') {
      const src = halfPixelCenters ? ratio * (o + 0.5) - 0.5 : ratio * o;
      const lo = Math.max(0, Math.floor(src));
      const hi = Math.min(inSize - 1, Math.ceil(src));
      const frac = src - lo;
      m[o * inSize + lo] += 1 - frac;
      m[o * inSize + hi] += frac;
    } else {
      const src = halfPixelCenters ? ratio * (o + 0.5) : ratio * o;
      let i = Math.min(inSize - 1, alignCorners ? Math.round(src) : Math.floor(src));
      if (halfPixelCenters) i = Math.max(0, i);
      m[o * inSize + i] = 1;
    }
  }
  return m;
}

/** The gradient kernel of `method` for backend `backendName`. */
export function exactResizeGrad(backendName: string, method: ResizeMethod): KernelFunc {
  return ({ inputs, backend, attrs }: KernelArgs) => {
    const { images, dy } = inputs;
    const { alignCorners, halfPixelCenters } = attrs as { alignCorners: boolean; halfPixelCenters: boolean };
    const [b, inH, inW, c] = images.shape;
    const [, outH, outW] = dy.shape;
    const run = (name: string, ins: KernelArgs['inputs'], a: KernelArgs['attrs'] = {}) => runKernel(backendName, name, backend, ins, a);
    return withTemps(backend, (keep) => {
      const rows = keep(upload(backend, resizeMatrix(method, inH, outH, alignCorners, halfPixelCenters), [1, outH, inH]));
      const cols = keep(upload(backend, resizeMatrix(method, inW, outW, alignCorners, halfPixelCenters), [1, outW, inW]));
      // dy [b, oh, ow, c] → [b·c·oh, ow] · R_w → [b·c·oh, iw]
      const byChannel = keep(run('Transpose', { x: dy }, { perm: [0, 3, 1, 2] }));
      const flat = keep(run('Reshape', { x: byChannel }, { shape: [1, b * c * outH, outW] }));
      const alongCols = keep(run('BatchMatMul', { a: flat, b: cols }, { transposeA: false, transposeB: false }));
      // → [b·c, iw, oh] · R_h → [b·c·iw, ih]
      const perImage = keep(run('Reshape', { x: alongCols }, { shape: [b * c, outH, inW] }));
      const rowsLast = keep(run('Transpose', { x: perImage }, { perm: [0, 2, 1] }));
      const flat2 = keep(run('Reshape', { x: rowsLast }, { shape: [1, b * c * inW, outH] }));
      const alongRows = keep(run('BatchMatMul', { a: flat2, b: rows }, { transposeA: false, transposeB: false }));
      // [b, c, iw, ih] → [b, ih, iw, c]
      const shaped = keep(run('Reshape', { x: alongRows }, { shape: [b, c, inW, inH] }));
      return run('Transpose', { x: shaped }, { perm: [0, 3, 2, 1] });
    });
  };
}
