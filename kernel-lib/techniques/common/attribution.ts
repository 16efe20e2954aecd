/**
 * What every attribution technique shares: the options (target, class names, run control), the
 * result shape (`map` `[N, H, W]`, one map per image), and small tensor helpers (channel reduction,
 * upsampling to the image size, the gradient of a score with respect to the input).
 */
import { tf } from '../../tf';
import type { RunControl } from '../../core/run-control';
import { runGraph, type ReluBackward } from '../../models/graph';
import { modelClassNames, modelLogits, numClasses } from '../../models/logits';
import { checkFinite, checkModel, imageBatch } from '../../models/validate';
import { classScores, planTarget, resolveTarget, type ResolvedTarget, type Target } from './target';

/** Options every technique takes. */
export interface AttributionOptions extends RunControl {
  /** What to explain: class index, class name, 'predicted' (default), one per image, or a function of the logits. */
  target?: Target;
  /** Class names for name targets (default: the model's metadata `classNames`). */
  classNames?: string[];
}

/**
 * The result of every technique: one map per image. Dispose it with `result.dispose()`.
 */
export interface Attribution {
  /** `[N, H, W]`: one map per image (occlusion: one value per patch position, `[N, rows, cols]`). */
  map: tf.Tensor3D;
  /** The class explained for each image, or null when a target function defined its own score. */
  classes: number[] | null;
  /** Dispose every tensor of the result. */
  dispose(): void;
}

/** Add `dispose()` (disposing every tensor field) to a technique's result. */
export function withDispose<T extends object>(fields: T): T & { dispose(): void } {
  return {
    ...fields,
    dispose() {
      for (const v of Object.values(fields)) if (v instanceof tf.Tensor) v.dispose();
    },
  };
}

/** A pixel-space attribution that also keeps the per-channel values. */
export interface PixelAttribution extends Attribution {
  /** `[N, H, W, C]`: the signed attribution for each pixel and colour channel. */
  attribution: tf.Tensor4D;
}

/** How a per-channel attribution becomes one value per pixel. */
export type ChannelReduction = 'maxAbs' | 'sumAbs' | 'sum';

const REDUCTIONS: ChannelReduction[] = ['maxAbs', 'sumAbs', 'sum'];

/** Check a channel reduction name; throws unless `how` is a {@link ChannelReduction} (or undefined). */
export function checkReduction(how: unknown): void {
  if (how !== undefined && !REDUCTIONS.includes(how as ChannelReduction)) {
    throw new Error(`reduce must be one of ${REDUCTIONS.map((r) => `'${r}'`).join(', ')}; got ${JSON.stringify(how)}`);
  }
}

/** Reduce `[N, H, W, C]` to `[N, H, W]` (default: max of |value| over channels, as Simonyan et al.). */
export function reduceChannels(t: tf.Tensor4D, how: ChannelReduction = 'maxAbs'): tf.Tensor3D {
  return tf.tidy(() => {
    if (how === 'maxAbs') return tf.max<tf.Tensor3D>(tf.abs(t), 3);
    if (how === 'sumAbs') return tf.sum<tf.Tensor3D>(tf.abs(t), 3);
    checkReduction(how);
    return tf.sum<tf.Tensor3D>(t, 3);
  });
}

/** Resize maps `[N, h, w]` to `[N, H, W]` with bilinear interpolation (pixel centres aligned). */
export function upsampleMaps(maps: tf.Tensor3D, size: [number, number]): tf.Tensor3D {
  return tf.tidy(() => {
    if (maps.shape[1] === size[0] && maps.shape[2] === size[1]) return maps.clone();
    const resized = tf.image.resizeBilinear(tf.expandDims<tf.Tensor4D>(maps, 3), size, false, true);
    return tf.squeeze<tf.Tensor3D>(resized, [3]);
  });
}

/** The checked image batch and the resolved target; dispose `images` when done. */
export interface Prepared {
  images: tf.Tensor4D;
  target: ResolvedTarget;
}

/**
 * Check the inputs, batch the images and resolve the target (on the clean images' logits when it
 * depends on them: 'predicted' or a function).
 * @throws on bad images or a bad target (the batch is disposed before throwing).
 */
export async function prepare(model: tf.LayersModel, images: tf.Tensor, opts: AttributionOptions): Promise<Prepared> {
  checkModel(model, 'model', 'images');
  await checkFinite('images', images);
  const batch = imageBatch(model, images);
  try {
    const names = opts.classNames ?? modelClassNames(model);
    const fixed = planTarget(opts.target, batch.shape[0], numClasses(model), names).fixed;
    if (fixed) return { images: batch, target: { classes: fixed, score: (l, rows) => classScores(l, fixed, rows) } };
    const logits = tf.tidy(() => modelLogits(model, batch));
    try {
      return { images: batch, target: await resolveTarget(opts.target, logits, names) };
    } finally {
      logits.dispose();
    }
  } catch (e) {
    batch.dispose();
    throw e;
  }
}

/**
 * Gradient of the target score (before softmax) with respect to the input images `x` `[B, H, W, C]`,
 * where row i of `x` belongs to image `rows[i]`. `relu` picks the backward rule of the ReLUs.
 */
export function scoreGradient(
  model: tf.LayersModel,
  x: tf.Tensor4D,
  target: ResolvedTarget,
  rows?: number[],
  relu: ReluBackward = 'plain',
): tf.Tensor4D {
  return tf.tidy(() => {
    const objective = (input: tf.Tensor) => tf.sum(target.score(runGraph(model, input, { logits: true, relu }).output as tf.Tensor2D, rows));
    return tf.grad(objective)(x) as tf.Tensor4D;
  });
}

/** Concatenate chunk results along the batch axis and dispose the parts. */
export function concatChunks<T extends tf.Tensor>(parts: T[]): T {
  if (parts.length === 1) return parts[0];
  const out = tf.concat<T>(parts, 0);
  tf.dispose(parts);
  return out;
}

/** Rows `[start, end)` of a batch (a slice: cheap on every backend, unlike a gather of whole images). */
export function sliceRows(x: tf.Tensor4D, start: number, end: number): tf.Tensor4D {
  return tf.slice(x, [start], [end - start]);
}

/**
 * Build a batch from runs of equal image indices in `rows` (sorted): `f(image, from, to)` makes the
 * rows `[from, to)` of the chunk, all of which show `image`; the pieces are concatenated. This
 * lets chunks broadcast one image against many masks or noise samples instead of gathering copies.
 */
export function batchBySegments(rows: number[], f: (image: number, from: number, to: number) => tf.Tensor4D): tf.Tensor4D {
  const pieces: tf.Tensor4D[] = [];
  for (let i = 0; i < rows.length; ) {
    let j = i;
    while (j < rows.length && rows[j] === rows[i]) j++;
    pieces.push(f(rows[i], i, j));
    i = j;
  }
  return pieces.length === 1 ? pieces[0] : (tf.concat<tf.Tensor4D>(pieces, 0));
}

/** Row indices `[start, end)` as image indices when each image has `perImage` consecutive rows. */
export function rowImages(start: number, end: number, perImage = 1): number[] {
  const rows: number[] = [];
  for (let i = start; i < end; i++) rows.push(Math.floor(i / perImage));
  return rows;
}
