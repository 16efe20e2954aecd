/**
 * A fast `Conv2DBackpropInput` (the input gradient of a 2-D convolution, also `conv2dTranspose`)
 * for the tfjs wasm backend.
 *
 * tfjs-backend-wasm 4.22 computes it with a scalar C++ loop outside XNNPACK: on a VGG-style block
 * it took 80% of forward + input gradient, ~10x the forward convolutions. The input gradient is
 * itself a forward convolution, which XNNPACK runs fast (SIMD, and threads when they are on):
 *
 *     dx = conv2d(pad(dilate(dy, stride)), reverse(W, [0, 1]) with in/out channels swapped, 'valid')
 *
 * Per spatial axis, with forward stride s, kernel size k and top/left padding p:
 * dx[i] = Σ_k dy[(i + p - k) / s] · W[k] over the k where (i + p - k) is a multiple of s. Dilating
 * dy by s (s - 1 zeros after each value) and padding it with k - 1 - p zeros in front turns that
 * into a stride-1 correlation with the flipped kernel. The padding goes to XNNPACK as explicit
 * convolution padding (no copy); a negative amount (padding wider than the kernel) crops instead.
 */
import { tf } from './tf';
import { run as runWasmKernel, withTemps, KernelFunc as WasmKernelFunc } from './wasm-training-kernels';

type TensorInfo = tf.TensorInfo;

interface BackpropInputAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/** dy [b, oh, ow, c] with s-1 zeros after every value along rows and columns: [b, oh·sh, ow·sw, c]. */
function dilate(backend: unknown, keep: (t: TensorInfo) => TensorInfo, dy: TensorInfo, sh: number, sw: number): TensorInfo {
  if (sh === 1 && sw === 1) return dy;
  const [b, oh, ow, c] = dy.shape;
  const spread = keep(runWasmKernel('Reshape', backend, { x: dy }, { shape: [b, oh, 1, ow, 1, c] }));
  const zeros = keep(
    runWasmKernel('PadV2', backend, { x: spread }, { paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0 }),
  );
  return keep(runWasmKernel('Reshape', backend, { x: zeros }, { shape: [b, oh * sh, ow * sw, c] }));
}

/**
 * Padding before and after one axis of the dilated dy (length `dilated`) so that a stride-1 valid
 * correlation with a `k`-tap kernel gives `inLength` outputs. Negative means crop.
 */
function axisPadding(inLength: number, k: number, padBefore: number, dilated: number): [number, number] {
  const before = k - 1 - padBefore;
  return [before, inLength + k - 1 - before - dilated];
}

/** The input gradient through XNNPACK's forward convolution (NHWC; other layouts use `fallback`). */
function makeKernel(fallback: WasmKernelFunc): WasmKernelFunc {
  const conv2DBackpropInputViaConv2D: WasmKernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as BackpropInputAttrs;
    if (dataFormat === 'NCHW') return fallback(args);
    const { dy, filter } = inputs;
    const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, inHeight, inWidth } = info;
    return withTemps(backend, (keep) => {
      let x = dilate(backend, keep, dy, sh, sw);
      let [top, bottom] = axisPadding(inHeight, kh, info.padInfo.top, x.shape[1]);
      let [left, right] = axisPadding(inWidth, kw, info.padInfo.left, x.shape[2]);
      if (top < 0 || bottom < 0 || left < 0 || right < 0) {
        const begin = [0, Math.max(0, -top), Math.max(0, -left), 0];
        const size = [x.shape[0], x.shape[1] - begin[1] - Math.max(0, -bottom), x.shape[2] - begin[2] - Math.max(0, -right), x.shape[3]];
        x = keep(runWasmKernel('Slice', backend, { x }, { begin, size }));
        [top, bottom, left, right] = [top, bottom, left, right].map((p) => Math.max(0, p));
      }
      const flipped = keep(runWasmKernel('Reverse', backend, { x: filter }, { dims: [0, 1] }));
      const swapped = keep(runWasmKernel('Transpose', backend, { x: flipped }, { perm: [0, 1, 3, 2] }));
      return runWasmKernel('Conv2D', backend, { x, filter: swapped }, {
        strides: [1, 1],
        pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
        dataFormat: 'NHWC',
        dilations: [1, 1],
        dimRoundingMode: undefined,
      });
    });
  };
  return conv2DBackpropInputViaConv2D;
}

let registered = false;

/**
 * Replace the wasm backend's `Conv2DBackpropInput` with the XNNPACK-convolution version
 * (idempotent; call after the wasm backend is registered).
 */
export function registerWasmConvBackpropInput(): void {
  if (registered) return;
  const original = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (!original) throw new Error("convlens: the wasm backend has no 'Conv2DBackpropInput' kernel to replace");
  registered = true;
  tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel({ ...original, kernelFunc: makeKernel(original.kernelFunc as unknown as WasmKernelFunc) as never });
}
