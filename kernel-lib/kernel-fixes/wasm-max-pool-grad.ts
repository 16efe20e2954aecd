/**
 * A correct `MaxPoolGrad` for the tfjs wasm backend (4.22), which replaces the stock kernel.
 *
 * The stock kernel (tfjs-backend-wasm src/cc/kernels/MaxPoolGrad.cc) starts its running maximum at
 * `std::numeric_limits<float>::min()`, the smallest *positive* float, and keeps a new maximum on
 * `>=`. So a window whose values are all <= 0 (all negative, or the all-zero windows of dead ReLUs)
 * sends its gradient to flat element 0 of the whole tensor instead of the window's maximum, and
 * among tied maxima the last one wins where TensorFlow, PyTorch and the tfjs cpu backend pick the
 * first. Both cases are everywhere in trained nets, so saliency, guided backprop, deconvnet and
 * Grad-CAM below a pooling layer came out wrong on wasm.
 *
 * This kernel routes each window's gradient to its first maximum, scanning the window row by row
 * from -Infinity (NaN never wins, as on the cpu backend), for any window, stride and padding
 * ('valid', 'same', explicit, rounded up: pool-geometry.ts). It is one pass over x and dy in plain JavaScript on the wasm heap:
 * 2.8x faster than the stock kernel and faster than a composite of wasm kernels (bench/README.md).
 */
import { tf } from '../tf';
import { KernelArgs, TensorInfo } from './kernel-calls';
import { poolGeometry, PoolAttrs } from './pool-geometry';
import { registerRowLoop, runRows, WasmMemory } from './wasm-row-pool';

/** The wasm backend's own helpers used here (not part of tfjs' public types). */
interface WasmBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  /** The Emscripten module; `wasmMemory` is its (shared, when threaded) memory. */
  wasm?: { wasmMemory?: WasmMemory };
}

/**
 * dx of a 2-D max pool, NHWC: for every window, dy goes to the window's first maximum.
 * Inputs `dy` (the pooled output's gradient), `input` (the pool's input x); `output` is not needed.
 */
export function wasmMaxPoolGrad({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { dy, input } = inputs;
  const { info } = poolGeometry(input.shape, dy.shape, attrs as unknown as PoolAttrs);
  const wasm = backend as WasmBackend;
  // Allocate first: growing the wasm memory detaches earlier views of the heap.
  const out = wasm.makeOutput(input.shape, 'float32');
  const size = input.shape.reduce((a, b) => a * b, 1);
  if (size === 0) return out;
  const x = wasm.typedArrayFromHeap(input);
  const g = wasm.typedArrayFromHeap(dy);
  const dx = wasm.typedArrayFromHeap(out);
  if (tiles(info)) {
    const { inWidth, inChannels, outWidth, filterHeight, filterWidth, batchSize, outHeight } = info;
    const rows = batchSize * outHeight;
    runRows(TILE_LOOP, [x.byteOffset, g.byteOffset, dx.byteOffset, size, inWidth, inChannels, outWidth, filterHeight, filterWidth], rows, x.buffer, wasm.wasm?.wasmMemory, 8);
  } else {
    dx.fill(0);
    routeToFirstMax(x, g, dx, info);
  }
  return out;
}

/**
 * Whether the windows tile the input exactly (stride = window, no dilation, no padding, no rest):
 * then every input element lies in exactly one window (VGG's 2x2/2 pools).
 */
export function tiles(info: tf.backend_util.Conv2DInfo): boolean {
  const { filterHeight: fh, filterWidth: fw, strideHeight, strideWidth, dilationHeight, dilationWidth, padInfo } = info;
  return strideHeight === fh && strideWidth === fw && dilationHeight === 1 && dilationWidth === 1 &&
    padInfo.top === 0 && padInfo.left === 0 && info.outHeight * fh === info.inHeight && info.outWidth * fw === info.inWidth;
}

/**
 * {@link routeToFirstMax} for windows that tile the input ({@link tiles}), over pooled rows
 * `[from, to)` (a row: one output row of one image): one pass that writes every element of dx (dy
 * at the window's first maximum, 0 elsewhere) with no clearing pass, the 2x2 window unrolled.
 * `p` = [x, dy, dx byte offsets in `heap`, x's size, inWidth, channels, outWidth, window height,
 * window width]. Self-contained: its source also runs on the row pool's workers (wasm-row-pool.ts).
 */
export function routeTileRows(heap: ArrayBufferLike, p: Float64Array, from: number, to: number): void {
  const size = p[3], inWidth = p[4], channels = p[5], outWidth = p[6], fh = p[7], fw = p[8];
  const x = new Float32Array(heap, p[0], size);
  const dy = new Float32Array(heap, p[1], size / (fh * fw));
  const dx = new Float32Array(heap, p[2], size);
  const rowStep = inWidth * channels;
  const windowStep = fw * channels;
  let dyAt = from * outWidth * channels;
  let rowAt = from * fh * rowStep;
  for (let row = from; row < to; row++, rowAt += fh * rowStep) {
    for (let ox = 0, at = rowAt; ox < outWidth; ox++, at += windowStep, dyAt += channels) {
      if (fh === 2 && fw === 2) {
        const below = at + rowStep;
        for (let c = 0; c < channels; c++) {
          const a = at + c, b = a + channels, d = below + c, e = d + channels;
          const va = x[a], vb = x[b], vd = x[d], ve = x[e];
          // The first maximum in row order from -Infinity (NaN never wins), as routeToFirstMax.
          let best = -Infinity;
          let where = -1;
          if (va > best) { best = va; where = 0; }
          if (vb > best) { best = vb; where = 1; }
          if (vd > best) { best = vd; where = 2; }
          if (ve > best) where = 3;
          const g = dy[dyAt + c];
          dx[a] = where === 0 ? g : 0;
          dx[b] = where === 1 ? g : 0;
          dx[d] = where === 2 ? g : 0;
          dx[e] = where === 3 ? g : 0;
        }
        continue;
      }
      for (let c = 0; c < channels; c++) {
        let best = -Infinity;
        let where = -1;
        for (let ky = 0; ky < fh; ky++) {
          for (let kx = 0, q = at + ky * rowStep + c; kx < fw; kx++, q += channels) {
            dx[q] = 0;
            if (x[q] > best) {
              best = x[q];
              where = q;
            }
          }
        }
        if (where >= 0) dx[where] = dy[dyAt + c];
      }
    }
  }
}

const TILE_LOOP = 'maxPoolGradTiles';
registerRowLoop(TILE_LOOP, routeTileRows);

/** The loop itself, on plain arrays (exported for the benchmark and the tests). */
export function routeToFirstMax(x: Float32Array, dy: Float32Array, dx: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { effectiveFilterHeight: fh, effectiveFilterWidth: fw, dilationHeight: dh, dilationWidth: dw } = info;
  const { top, left } = info.padInfo;
  const rowStep = inWidth * channels;
  let dyAt = 0;
  for (let b = 0; b < batchSize; b++) {
    const imageAt = b * inHeight * rowStep;
    for (let oy = 0; oy < outHeight; oy++) {
      // The window's rows inside the image: y0 + ky for ky = kyFrom, kyFrom + dh, ... < kyTo.
      const y0 = oy * strideHeight - top;
      const kyFrom = firstInside(y0, dh);
      const kyTo = Math.min(fh, inHeight - y0);
      for (let ox = 0; ox < outWidth; ox++, dyAt += channels) {
        const x0 = ox * strideWidth - left;
        const kxFrom = firstInside(x0, dw);
        const kxTo = Math.min(fw, inWidth - x0);
        const cornerAt = imageAt + y0 * rowStep + x0 * channels;
        for (let c = 0; c < channels; c++) {
          let best = -Infinity;
          let where = -1;
          for (let ky = kyFrom; ky < kyTo; ky += dh) {
            const rowAt = cornerAt + ky * rowStep + c;
            for (let kx = kxFrom; kx < kxTo; kx += dw) {
              const at = rowAt + kx * channels;
              const v = x[at];
              if (v > best) {
                best = v;
                where = at;
              }
            }
          }
          if (where >= 0) dx[where] += dy[dyAt + c];
        }
      }
    }
  }
}

/** The first window offset k (a multiple of `step`) with corner + k >= 0. */
function firstInside(corner: number, step: number): number {
  return corner >= 0 ? 0 : Math.ceil(-corner / step) * step;
}
