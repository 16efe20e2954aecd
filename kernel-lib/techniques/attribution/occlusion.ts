/**
 * Occlusion sensitivity (Zeiler & Fergus 2014): slide a square patch over the image and record
 * the target class probability with the patch centred at each position. Low values (a big drop
 * from the unoccluded probability) mark the regions the class depends on.
 *
 * Positions form a grid with one cell per `stride` pixels: cell (i, j) covers pixels
 * [i·stride, (i+1)·stride) × [j·stride, (j+1)·stride) and its patch is centred at
 * (i·stride + ⌊stride/2⌋, j·stride + ⌊stride/2⌋), covering rows [centre - ⌊size/2⌋, centre - ⌊size/2⌋ + size).
 * The occluded copies are built as batches with tensor masks and run in chunks.
 */
import { tf } from '../../tf';
import { Attribution, AttributionOptions, batchBySegments, concatChunks, prepare, rowImages, sliceRows, withDispose } from '../common/attribution';
import { gaussianBlur } from '../../data/blur';
import { checkInteger, checkNumber, describeValue } from '../../core/checks';
import { forEachChunk } from '../../core/run-control';
import { valuesOf } from '../../core/tensors';
import { chunkSize } from '../../models/batch-size';
import { modelLogits, probabilitiesFromLogits } from '../../models/logits';
import type { ResolvedTarget } from '../common/target';

/** What fills the patch: gray (middle of `valueRange`), the dataset mean, a blurred copy, or a value (per channel). */
export type OcclusionFill = 'gray' | 'mean' | 'blur' | number | number[];

/** Options of {@link occlusion}. */
export interface OcclusionOptions extends AttributionOptions {
  /** Side of the square patch in pixels (default: a quarter of the image's shorter side, at least 1). */
  patchSize?: number;
  /** Step between patch centres in pixels (default: half the patch size). */
  stride?: number;
  /** Patch content (default 'gray'). */
  fill?: OcclusionFill;
  /** The pixel value range of the images, for 'gray' (default [0, 1]). */
  valueRange?: [number, number];
  /** The dataset mean per channel (or one value) for 'mean'; default the mean of the given images. */
  mean?: number | number[];
  /** Standard deviation in pixels of the blur for 'blur' (default patchSize / 4). */
  blurSigma?: number;
}

/** Occlusion result: `map` is the target probability per patch position `[N, rows, cols]`. */
export interface OcclusionMap extends Attribution {
  /** `[N, rows, cols]`: unoccluded probability minus occluded probability (positive = the patch hurt the class). */
  drop: tf.Tensor3D;
  /** The unoccluded probability of the target per image. */
  baseline: number[];
  /** Patch centre rows (pixels), one per map row. */
  centerRows: number[];
  /** Patch centre columns (pixels), one per map column. */
  centerCols: number[];
  /** The patch size and stride used. */
  patchSize: number;
  stride: number;
}

/** Patch centres along an axis of `length` pixels: cell k is centred at k·stride + ⌊stride/2⌋. */
export function occlusionCenters(length: number, stride: number): number[] {
  return Array.from({ length: Math.ceil(length / stride) }, (_, k) => Math.min(k * stride + Math.floor(stride / 2), length - 1));
}

/** `[centres, length]` 0/1 masks: 1 where the patch centred at each centre covers the pixel. */
function axisMasks(centers: number[], length: number, patch: number): tf.Tensor2D {
  return tf.tidy(() => {
    const lo = tf.tensor2d(centers.map((c) => c - Math.floor(patch / 2)), [centers.length, 1]);
    const pos = tf.range(0, length).reshape([1, length]);
    return tf.cast(tf.logicalAnd(tf.greaterEqual(pos, lo), tf.less(pos, tf.add(lo, patch))), 'float32') as tf.Tensor2D;
  });
}

function perChannel(name: string, value: number | number[], channels: number): tf.Tensor {
  const values = typeof value === 'number' ? [value] : value;
  if (!Array.isArray(values) || !(values.length === 1 || values.length === channels) || values.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    throw new Error(`${name} must be a number or ${channels} numbers (one per channel); got ${describeValue(value)}`);
  }
  return tf.tensor1d(values).reshape([1, 1, 1, values.length]);
}

/** The patch content per image, broadcastable to `[N, H, W, C]`. */
function fillTensor(images: tf.Tensor4D, opts: OcclusionOptions, patch: number): tf.Tensor4D {
  const fill = opts.fill ?? 'gray';
  const channels = images.shape[3];
  return tf.tidy(() => {
    if (fill === 'gray') {
      const [lo, hi] = opts.valueRange ?? [0, 1];
      checkNumber('valueRange[0]', lo, -Infinity);
      checkNumber('valueRange[1]', hi, lo);
      return tf.fill<tf.Rank.R4>([1, 1, 1, channels], (lo + hi) / 2);
    }
    if (fill === 'mean') {
      return (opts.mean !== undefined ? perChannel('mean', opts.mean, channels) : tf.mean(images, [0, 1, 2], true)) as tf.Tensor4D;
    }
    if (fill === 'blur') return gaussianBlur(images, checkNumber('blurSigma', opts.blurSigma ?? patch / 4, 0));
    if (typeof fill === 'number' || Array.isArray(fill)) return perChannel('fill', fill, channels) as tf.Tensor4D;
    throw new Error(`fill must be 'gray', 'mean', 'blur', a number or one number per channel; got ${describeValue(fill)}`);
  });
}

/** Target probability (or custom score) per row of `batch`, whose row i shows image `rows[i]`. */
function targetValue(model: tf.LayersModel, batch: tf.Tensor4D, target: ResolvedTarget, rows: number[]): tf.Tensor1D {
  return tf.tidy(() => {
    const logits = modelLogits(model, batch);
    if (target.custom) return target.score(logits, rows);
    return target.score(probabilitiesFromLogits(model, logits), rows);
  });
}

/**
 * Occlusion map of each image for its target: the class probability with a `patchSize` patch
 * centred at every grid position (`stride` apart), and the drop from the unoccluded probability.
 * With a target function that returns its own score, the map holds that score instead.
 * Long runs report `onProgress` and stop on `signal`.
 *
 * @example
 * const occ = await lens.occlusion(model, image, { patchSize: 8, stride: 2, fill: 'gray', target: 'Sneaker' });
 */
export async function occlusion(model: tf.LayersModel, images: tf.Tensor, opts: OcclusionOptions = {}): Promise<OcclusionMap> {
  const { images: x, target } = await prepare(model, images, opts);
  const parts: tf.Tensor1D[] = [];
  let delta: tf.Tensor4D | undefined;
  let rowMasks: tf.Tensor2D | undefined;
  let colMasks: tf.Tensor2D | undefined;
  try {
    const [n, height, width, channels] = x.shape;
    const patch = checkInteger('patchSize', opts.patchSize ?? Math.max(1, Math.floor(Math.min(height, width) / 4)), 1, Math.max(height, width));
    const stride = checkInteger('stride', opts.stride ?? Math.max(1, Math.floor(patch / 2)), 1, Math.max(height, width));
    // occluded = x + mask · (fill - x); the difference is computed once per image.
    delta = tf.tidy(() => tf.sub<tf.Tensor4D>(fillTensor(x, opts, patch), x));
    const centerRows = occlusionCenters(height, stride);
    const centerCols = occlusionCenters(width, stride);
    rowMasks = axisMasks(centerRows, height, patch);
    // Column masks carry the channels ([cols, W·C]) so building a chunk broadcasts only over rows
    // and the batch (tile/gather of full images and channel broadcasts are slow on wasm).
    colMasks = tf.tidy(() => tf.tile(axisMasks(centerCols, width, patch).reshape([-1, width, 1]), [1, 1, channels]).reshape<tf.Tensor2D>([-1, width * channels]));
    const perImage = centerRows.length * centerCols.length;
    const baseline = await valuesOf(() => targetValue(model, x, target, rowImages(0, n, 1)));
    await forEachChunk(n * perImage, chunkSize(model, opts), opts, (start, end) => {
      parts.push(
        tf.tidy(() => {
          const rows = rowImages(start, end, perImage);
          const occluded = batchBySegments(rows, (image, from, to) => {
            const cells = Array.from({ length: to - from }, (_, k) => (start + from + k) % perImage);
            const r = tf.gather(rowMasks!, cells.map((c) => Math.floor(c / centerCols.length))).reshape([-1, height, 1, 1]);
            const c = tf.gather(colMasks!, cells.map((c) => c % centerCols.length)).reshape([-1, 1, width, channels]);
            return tf.add<tf.Tensor4D>(sliceRows(x, image, image + 1), tf.mul(tf.mul(r, c), sliceRows(delta!, image, image + 1)));
          });
          return targetValue(model, occluded, target, rows);
        }),
      );
    });
    const shape: [number, number, number] = [n, centerRows.length, centerCols.length];
    const flat = concatChunks(parts);
    parts.length = 0;
    const map = tf.reshape<tf.Rank.R3>(flat, shape);
    flat.dispose();
    const drop = tf.tidy(() => tf.sub<tf.Tensor3D>(tf.tensor1d(baseline).reshape([n, 1, 1]), map));
    return withDispose({ map, drop, baseline, classes: target.classes, centerRows, centerCols, patchSize: patch, stride });
  } finally {
    tf.dispose([x, ...parts, ...(delta ? [delta] : []), ...(rowMasks ? [rowMasks] : []), ...(colMasks ? [colMasks] : [])]);
  }
}
