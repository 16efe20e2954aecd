/**
 * Small wasm kernels: two stock tfjs-backend-wasm 4.22 kernels that give wrong answers for some
 * dtypes, and one that a gradient needs and wasm lacks. Each is a plain loop over the wasm heap.
 *
 * - `Select` (`tf.where`) reads and writes its values as float32 whatever their dtype: with bool
 *   values it writes 4 bytes into each 1-byte output element and overruns the output (heap
 *   corruption). Bool values are selected byte by byte here; float32 and int32 use the stock kernel.
 * - `OneHot` writes int32 bit patterns whatever the dtype, so `oneHot(.., 'float32')` holds ~1e-45
 *   instead of 1. float32 is filled here; int32 uses the stock kernel.
 * - `UnsortedSegmentSum` is missing, so the gradient of `tf.gather` fails on wasm.
 * - `ClipByValue` reads and writes int32 values as float32 bit patterns (clipping -5 to [-2, 5]
 *   gives -1073741824). int32 is clipped here; float32 uses the stock kernel.
 * - `GatherV2` is right but slow on short rows: ~30 ns per element gathering `[N, 2]` positions
 *   (half of exact t-SNE's time on wasm). Gathered here with one copy loop per row when every
 *   index is in range and `batchDims` is 0; otherwise the stock kernel.
 */
import { KernelArgs, KernelFunc, TensorInfo } from './kernel-calls';

type DataType = 'float32' | 'int32' | 'bool';

/** The wasm backend's own helpers used here (not part of tfjs' public types). */
interface WasmBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** `Select` that handles bool values itself and passes other dtypes to `stock`. */
export function boolSafeSelect(stock: KernelFunc): KernelFunc {
  return (args: KernelArgs) => {
    const { condition, t, e } = args.inputs;
    if (t.dtype !== 'bool') return stock(args);
    const wasm = args.backend as WasmBackend;
    const out = wasm.makeOutput(t.shape, 'bool');
    const n = sizeOf(t.shape);
    if (n === 0) return out;
    // tf.where broadcasts condition, t and e to one shape before the kernel runs.
    const [c, a, b, o] = [condition, t, e, out].map((x) => wasm.typedArrayFromHeap(x));
    for (let i = 0; i < n; i++) o[i] = c[i] ? a[i] : b[i];
    return out;
  };
}

/** `OneHot` that fills float32 outputs itself and passes int32 to `stock`. */
export function float32OneHot(stock: KernelFunc): KernelFunc {
  return (args: KernelArgs) => {
    const { depth, onValue, offValue, dtype } = args.attrs as { depth: number; onValue: number; offValue: number; dtype: DataType };
    if (dtype !== 'float32') return stock(args);
    const { indices } = args.inputs;
    const wasm = args.backend as WasmBackend;
    const out = wasm.makeOutput([...indices.shape, depth], 'float32');
    const n = sizeOf(indices.shape);
    if (n * depth === 0) return out;
    const idx = wasm.typedArrayFromHeap(indices);
    const o = wasm.typedArrayFromHeap(out);
    o.fill(offValue);
    for (let i = 0; i < n; i++) {
      const k = idx[i];
      if (k >= 0 && k < depth) o[i * depth + k] = onValue;
    }
    return out;
  };
}

/** out[s] = Σ x[i] over the rows i with segmentIds[i] = s (ids outside [0, numSegments) are dropped). */
export const unsortedSegmentSum: KernelFunc = ({ inputs, backend, attrs }: KernelArgs) => {
  const { x, segmentIds } = inputs;
  const numSegments = attrs.numSegments as number;
  const wasm = backend as WasmBackend;
  const rows = sizeOf(segmentIds.shape);
  const inner = rows === 0 ? 0 : sizeOf(x.shape) / rows;
  const out = wasm.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype as DataType);
  if (numSegments * inner === 0) return out;
  const o = wasm.typedArrayFromHeap(out);
  o.fill(0);
  if (rows === 0) return out;
  const xs = wasm.typedArrayFromHeap(x);
  const ids = wasm.typedArrayFromHeap(segmentIds);
  for (let i = 0; i < rows; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue;
    for (let j = 0, from = i * inner, to = s * inner; j < inner; j++) o[to + j] += xs[from + j];
  }
  return out;
};

/** `ClipByValue` that clips int32 itself and passes float32 to `stock`. */
export function int32SafeClip(stock: KernelFunc): KernelFunc {
  return (args: KernelArgs) => {
    const { x } = args.inputs;
    if (x.dtype !== 'int32') return stock(args);
    const { clipValueMin, clipValueMax } = args.attrs as { clipValueMin: number; clipValueMax: number };
    const wasm = args.backend as WasmBackend;
    const out = wasm.makeOutput(x.shape, 'int32');
    const n = sizeOf(x.shape);
    if (n === 0) return out;
    const xs = wasm.typedArrayFromHeap(x);
    const o = wasm.typedArrayFromHeap(out);
    for (let i = 0; i < n; i++) o[i] = Math.min(clipValueMax, Math.max(clipValueMin, xs[i]));
    return out;
  };
}

/** `GatherV2` as a copy loop over the heap (batchDims 0, indices in range); else `stock`. */
export function loopGather(stock: KernelFunc): KernelFunc {
  return (args: KernelArgs) => {
    const { x, indices } = args.inputs;
    const { axis, batchDims } = args.attrs as { axis: number; batchDims: number };
    if (batchDims !== 0 || x.dtype === 'string') return stock(args);
    const wasm = args.backend as WasmBackend;
    const ax = axis < 0 ? axis + x.shape.length : axis;
    const outer = sizeOf(x.shape.slice(0, ax));
    const size = x.shape[ax];
    const inner = sizeOf(x.shape.slice(ax + 1));
    const count = sizeOf(indices.shape);
    const checked = wasm.typedArrayFromHeap(indices);
    for (let i = 0; i < count; i++) if (!(checked[i] >= 0 && checked[i] < size)) return stock(args);
    const out = wasm.makeOutput([...x.shape.slice(0, ax), ...indices.shape, ...x.shape.slice(ax + 1)], x.dtype as DataType);
    if (outer * count * inner === 0) return out;
    // Views taken after makeOutput, which may grow (and so move) the heap.
    const ids = wasm.typedArrayFromHeap(indices);
    const xs = wasm.typedArrayFromHeap(x);
    const o = wasm.typedArrayFromHeap(out);
    for (let b = 0, to = 0; b < outer; b++) {
      const base = b * size * inner;
      for (let i = 0; i < count; i++, to += inner) {
        const from = base + ids[i] * inner;
        if (inner < 16) for (let k = 0; k < inner; k++) o[to + k] = xs[from + k];
        else o.set(xs.subarray(from, from + inner), to);
      }
    }
    return out;
  };
}
