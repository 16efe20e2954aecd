/**
 * `CropAndResize` with `method: 'nearest'` on wasm: tfjs-backend-wasm 4.22 picks wrong source
 * pixels (off by one row or column, or from the wrong place, depending on the crop size), while
 * TensorFlow, PyTorch-style references and tfjs-cpu round each sample coordinate to the nearest
 * pixel. Here nearest is computed as TensorFlow's crop_and_resize_op.cc does (the same arithmetic
 * as tfjs-cpu, so the two backends agree bit for bit); bilinear keeps the stock kernel.
 */
import { KernelArgs, KernelFunc, TensorInfo } from './kernel-calls';

/** The wasm backend's own helpers used here (not part of tfjs' public types). */
interface WasmBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array;
}

/** `CropAndResize` that samples `'nearest'` itself and passes `'bilinear'` to `stock`. */
export function nearestCropAndResize(stock: KernelFunc): KernelFunc {
  return (args: KernelArgs) => {
    const { cropSize, method, extrapolationValue } = args.attrs as { cropSize: [number, number]; method: string; extrapolationValue: number };
    if (method !== 'nearest') return stock(args);
    const { image, boxes, boxInd } = args.inputs;
    const wasm = args.backend as WasmBackend;
    const [batch, height, width, channels] = image.shape;
    const numBoxes = boxes.shape[0];
    const [cropH, cropW] = cropSize;
    const out = wasm.makeOutput([numBoxes, cropH, cropW, channels], 'float32');
    if (numBoxes * cropH * cropW * channels === 0) return out;
    const o = wasm.typedArrayFromHeap(out);
    const px = wasm.typedArrayFromHeap(image);
    const box = wasm.typedArrayFromHeap(boxes);
    const which = wasm.typedArrayFromHeap(boxInd);
    o.fill(0);
    const coordinate = (lo: number, hi: number, size: number, crop: number, i: number) =>
      crop > 1 ? lo * (size - 1) + i * ((hi - lo) * (size - 1) / (crop - 1)) : 0.5 * (lo + hi) * (size - 1);
    for (let b = 0; b < numBoxes; b++) {
      const [y1, x1, y2, x2] = [box[4 * b], box[4 * b + 1], box[4 * b + 2], box[4 * b + 3]];
      const n = which[b];
      if (n < 0 || n >= batch) continue; // TensorFlow leaves such crops at zero
      for (let y = 0; y < cropH; y++) {
        const inY = coordinate(y1, y2, height, cropH, y);
        for (let x = 0; x < cropW; x++) {
          const inX = coordinate(x1, x2, width, cropW, x);
          const to = ((b * cropH + y) * cropW + x) * channels;
          if (inY < 0 || inY > height - 1 || inX < 0 || inX > width - 1) {
            o.fill(extrapolationValue, to, to + channels);
            continue;
          }
          const from = ((n * height + Math.round(inY)) * width + Math.round(inX)) * channels;
          for (let c = 0; c < channels; c++) o[to + c] = px[from + c];
        }
      }
    }
    return out;
  };
}
