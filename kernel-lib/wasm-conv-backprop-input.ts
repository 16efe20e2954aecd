/**
 * A fast `Conv2DBackpropInput` (the input gradient of a 2-D convolution, also `conv2dTranspose`)
 * for the tfjs wasm backend.
 *
 * tfjs-backend-wasm 4.22 computes it with a scalar C++ loop outside XNNPACK: on a VGG-style block
 * it took 80% of forward + input gradient, ~10x the forward convolutions. The input gradient is
 * itself a forward convolution, which XNNPACK runs fast (SIMD, and threads when they are on).
 *
 * Per spatial axis, with forward stride s, kernel size K and leading padding p,
 * dx[i] = Σ_k dy[(i + p - k) / s] · W[k] over the taps k where i + p - k is a multiple of s.
 * Split the outputs by phase r = i mod s (i = s·q + r): phase r uses only the taps
 * k ≡ (r + p) mod s, and is a stride-1 correlation of dy with those taps reversed. Each row
 * phase runs as one convolution whose sw·ci output channels are the column phases (each column
 * phase's taps placed in a common window at its own offset), which a reshape interleaves for
 * free; the row phases interleave by one concatenation of whole rows ("sub-pixel" convolution).
 * No multiplications by the zeros a dilated dy would hold, and wider GEMM outputs than ci alone
 * (the first layer's ci = 1 or 3 wastes most of XNNPACK's output tile). wasm's Transpose and
 * DepthToSpace are per-element loops, too slow for this. With stride 1 it is plainly
 * conv2d(dy, flipped W with in/out channels swapped).
 * The window's padding goes to XNNPACK as explicit convolution padding; where negative (padding
 * wider than the kernel) dy is cropped instead.
 */
import { tf } from './tf';
import { KernelFunc as WasmKernelFunc, runKernel, TensorInfo, withTemps } from './kernel-fixes/kernel-calls';

/** Run another wasm kernel on backend tensors. */
function runWasmKernel(name: string, backend: unknown, inputs: Record<string, TensorInfo>, attrs: Record<string, unknown>): TensorInfo {
  return runKernel('wasm', name, backend, inputs, attrs);
}

interface BackpropInputAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/** One phase r of an axis: outputs i = s·q + r read dy[q + last - taps + 1 .. q + last] through taps first, first + s, ... */
interface Phase {
  first: number;
  taps: number;
  last: number;
}

/** The phases of one spatial axis: input length `inLength`, kernel size `k`, stride `s`, leading padding `p`. */
function axisPhases(k: number, s: number, p: number): Phase[] {
  // dx[s·q + r] = Σ_m dy[q + d - m] · W[s·m + c] with c = (r + p) mod s and d = ⌊(r + p) / s⌋.
  return Array.from({ length: s }, (_, r) => {
    const first = (r + p) % s;
    return { first, taps: first >= k ? 0 : Math.ceil((k - first) / s), last: Math.floor((r + p) / s) };
  });
}

/** A window of dy that serves `phases` (each at its offset in it), and dy's padding for it. */
interface Window {
  size: number;
  /** Where each phase's (reversed) taps sit in the window. */
  offsets: number[];
  before: number;
  after: number;
}

/** The window for the phases with taps among `phases`, giving `length` outputs from a dy of `dyLength`. */
function windowFor(phases: Phase[], length: number, dyLength: number): Window {
  const live = phases.filter((ph) => ph.taps > 0);
  const start = Math.min(...live.map((ph) => ph.last - ph.taps + 1));
  const size = Math.max(...live.map((ph) => ph.last)) - start + 1;
  return { size, offsets: phases.map((ph) => ph.last - ph.taps + 1 - start), before: -start, after: length + size - 1 + start - dyLength };
}

/**
 * The filter of one row phase `[taps, window, co, sw·ci]`: for each column phase, the taps it
 * uses, reversed, in/out channels swapped, at its offset in the column window (zeros where a
 * column phase has no taps).
 */
function rowPhaseFilter(backend: unknown, keep: (t: TensorInfo) => TensorInfo, swapped: TensorInfo, sh: number, row: Phase, sw: number, cols: Phase[], win: Window): TensorInfo {
  const [, , co, ci] = swapped.shape;
  const parts = cols.map((col, k) => {
    if (col.taps === 0) return keep(runWasmKernel('Fill', backend, {}, { shape: [row.taps, win.size, co, ci], value: 0, dtype: 'float32' }));
    const taps = keep(
      runWasmKernel('StridedSlice', backend, { x: swapped }, {
        begin: [row.first, col.first, 0, 0],
        end: [row.first + sh * (row.taps - 1) + 1, col.first + sw * (col.taps - 1) + 1, co, ci],
        strides: [sh, sw, 1, 1],
        beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0,
      }),
    );
    const reversed = keep(runWasmKernel('Reverse', backend, { x: taps }, { dims: [0, 1] }));
    const paddings = [[0, 0], [win.offsets[k], win.size - win.offsets[k] - col.taps], [0, 0], [0, 0]];
    return keep(runWasmKernel('PadV2', backend, { x: reversed }, { paddings, constantValue: 0 }));
  });
  return parts.length === 1 ? parts[0] : keep(runWasmKernel('Concat', backend, parts as unknown as Record<string, TensorInfo>, { axis: 3 }));
}

/** dy cropped where a padding is negative, and the (non-negative) padding left for the convolution. */
function cropped(backend: unknown, keep: (t: TensorInfo) => TensorInfo, dy: TensorInfo, rows: Window, cols: Window): { x: TensorInfo; pad: number[][] } {
  const [top, bottom, left, right] = [rows.before, rows.after, cols.before, cols.after];
  const pad = [[0, 0], [Math.max(0, top), Math.max(0, bottom)], [Math.max(0, left), Math.max(0, right)], [0, 0]];
  if (top >= 0 && bottom >= 0 && left >= 0 && right >= 0) return { x: dy, pad };
  const begin = [0, Math.max(0, -top), Math.max(0, -left), 0];
  const size = [dy.shape[0], dy.shape[1] - begin[1] - Math.max(0, -bottom), dy.shape[2] - begin[2] - Math.max(0, -right), dy.shape[3]];
  return { x: keep(runWasmKernel('Slice', backend, { x: dy }, { begin, size })), pad };
}

/** The input gradient through XNNPACK's forward convolution (NHWC; other layouts use `fallback`). */
function makeKernel(fallback: WasmKernelFunc): WasmKernelFunc {
  const conv2DBackpropInputViaConv2D: WasmKernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as BackpropInputAttrs;
    if (dataFormat === 'NCHW') return fallback(args);
    const { dy, filter } = inputs;
    const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    const [b, inHeight, inWidth, ci] = inputShape;
    const [sh, sw] = [info.strideHeight, info.strideWidth];
    const rows = axisPhases(info.filterHeight, sh, info.padInfo.top);
    const cols = axisPhases(info.filterWidth, sw, info.padInfo.left);
    const [qh, qw] = [Math.ceil(inHeight / sh), Math.ceil(inWidth / sw)];
    const colWindow = windowFor(cols, qw, dy.shape[2]);
    return withTemps(backend, (keep) => {
      const swapped = keep(runWasmKernel('Transpose', backend, { x: filter }, { perm: [0, 1, 3, 2] }));
      // One convolution per row phase: its sw·ci output channels are the column phases, which a
      // reshape interleaves for free ([b, qh, qw, sw·ci] is [b, qh, qw·sw, ci] in memory).
      const perRow = rows.map((row) => {
        if (row.taps === 0) return keep(runWasmKernel('Fill', backend, {}, { shape: [b, qh, 1, qw * sw * ci], value: 0, dtype: 'float32' }));
        const { x, pad } = cropped(backend, keep, dy, windowFor([row], qh, dy.shape[1]), colWindow);
        const kernel = rowPhaseFilter(backend, keep, swapped, sh, row, sw, cols, colWindow);
        const y = keep(runWasmKernel('Conv2D', backend, { x, filter: kernel }, { strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined }));
        return keep(runWasmKernel('Reshape', backend, { x: y }, { shape: [b, qh, 1, qw * sw * ci] }));
      });
      // Rows interleave by concatenating the row phases along a new axis after the row: whole
      // rows are copied at once.
      const joined = perRow.length === 1 ? perRow[0] : keep(runWasmKernel('Concat', backend, perRow as unknown as Record<string, TensorInfo>, { axis: 2 }));
      const dx = keep(runWasmKernel('Reshape', backend, { x: joined }, { shape: [b, qh * sh, qw * sw, ci] }));
      // The last phase rows/columns may run past the input: crop them. Otherwise a Reshape hands
      // out the data without a copy (it outlives the temporaries' disposal by its reference count).
      if (qh * sh === inHeight && qw * sw === inWidth) return runWasmKernel('Reshape', backend, { x: dx }, { shape: inputShape });
      return runWasmKernel('Slice', backend, { x: dx }, { begin: [0, 0, 0, 0], size: [b, inHeight, inWidth, ci] });
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
