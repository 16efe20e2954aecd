/**
 * The concept dataset dissection reads (Broden's role): images streamed in order, and for any
 * range of images the 0/1 masks of every concept, grouped by category. Pixel categories give
 * `[count, h, w, K]` masks at the annotation resolution `maskSize`; image-level categories (scenes,
 * as in Broden) give `[count, K]` labels, and a label covers the whole image. The shapes dataset
 * converts with {@link conceptDataset}; any dataset with per-pixel masks implements the interface.
 */
import { tf } from '../../tf';
import type { BatchSource } from '../../core/run-control';
import { describeValue, isRecord } from '../../core/checks';
import type { ShapesDataset } from '../../data/shapes-dataset';

/** A dataset with concept masks, streamed batch by batch (see the file comment). */
export interface ConceptDataset {
  /** Number of images. */
  n: number;
  /**
   * The images in order: a tensor `[n, H, W, C]`, or a function returning a fresh iterable of
   * batches (dissection reads the data twice: thresholds, then IoU), so the dataset never needs
   * to fit in memory at once.
   */
  images: tf.Tensor4D | (() => BatchSource);
  /** Category names in display order. */
  categories: readonly string[];
  /** Concept names of each category. */
  concepts: Readonly<Record<string, readonly string[]>>;
  /** Categories whose labels are per image (`[count, K]`), e.g. `['scene']`. */
  imageLevel: readonly string[];
  /** `[h, w]` of the pixel masks: activations are upsampled (bilinear) to this size. */
  maskSize: readonly [number, number];
  /**
   * New float32 0/1 masks of `category` for images `[start, start + count)` (the caller disposes):
   * `[count, h, w, K]` for pixel categories, `[count, K]` for image-level ones.
   */
  masks(category: string, start: number, count: number): tf.Tensor;
  /** Images by index, `[indices.length, H, W, C]` (for the top images of a unit); optional. */
  imagesAt?(indices: number[]): tf.Tensor4D;
}

function isShapes(ds: unknown): ds is ShapesDataset {
  return isRecord(ds) && 'segmentation' in ds && 'conceptMasks' in ds && 'scenes' in ds;
}

/**
 * The shapes dataset as a {@link ConceptDataset}: object, colour and texture masks per pixel,
 * scenes per image. Shares the dataset's tensors (disposing the dataset invalidates it).
 *
 * @example const concepts = lens.dissection.conceptDataset(await lens.shapesDataset({ n: 2000 }));
 */
export function conceptDataset(ds: ShapesDataset | ConceptDataset): ConceptDataset {
  if (!isShapes(ds)) return checkConceptDataset(ds);
  return {
    n: ds.n,
    images: ds.images,
    categories: ['object', 'colour', 'texture', 'scene'],
    concepts: ds.concepts,
    imageLevel: ['scene'],
    maskSize: [ds.size, ds.size],
    masks(category, start, count) {
      if (category !== 'scene') return ds.conceptMasks(category as 'object', start, count);
      return tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from(ds.scenes.subarray(start, start + count)), 'int32'), ds.concepts.scene.length).toFloat());
    },
    imagesAt: (indices) => tf.tidy(() => tf.gather(ds.images, tf.tensor1d(indices, 'int32'))),
  };
}

/** @throws unless `ds` has the fields of a {@link ConceptDataset}; returns it. */
export function checkConceptDataset(ds: unknown): ConceptDataset {
  const fail = (what: string) => {
    throw new Error(`dissect: dataset ${what}; pass a shapesDataset() or a ConceptDataset {n, images, categories, concepts, imageLevel, maskSize, masks}.`);
  };
  if (!isRecord(ds)) return fail(`must be an object, got ${describeValue(ds)}`);
  const d = ds as unknown as ConceptDataset;
  if (!(Number.isInteger(d.n) && d.n > 0)) fail(`n must be a positive integer, got ${describeValue(d.n)}`);
  if (!(d.images instanceof tf.Tensor || typeof d.images === 'function')) fail(`images must be a tensor [n, H, W, C] or a function returning batches, got ${describeValue(d.images)}`);
  if (d.images instanceof tf.Tensor && d.images.shape[0] !== d.n) fail(`images has ${d.images.shape[0]} rows but n is ${d.n}`);
  if (!Array.isArray(d.categories) || d.categories.length === 0) fail(`categories must be a non-empty array of names, got ${describeValue(d.categories)}`);
  for (const c of d.categories) {
    if (!isRecord(d.concepts) || !Array.isArray(d.concepts[c]) || d.concepts[c].length === 0) fail(`concepts[${JSON.stringify(c)}] must list the category's concept names`);
  }
  if (!Array.isArray(d.imageLevel) || d.imageLevel.some((c: unknown) => typeof c !== 'string' || !d.categories.includes(c))) fail(`imageLevel must list categories among ${d.categories.join(', ')}, got ${describeValue(d.imageLevel)}`);
  if (!Array.isArray(d.maskSize) || d.maskSize.length !== 2 || !d.maskSize.every((s) => Number.isInteger(s) && s > 0)) fail(`maskSize must be [h, w] positive integers, got ${JSON.stringify(d.maskSize)}`);
  if (typeof d.masks !== 'function') fail('masks must be a function (category, start, count) => tensor');
  return d;
}
